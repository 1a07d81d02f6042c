package org.atnabridge.allinone;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.atnabridge.schemas.Fhir;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.SubscriptionStatus;

/**
 * The fault tests' rest-hook side: a JDK {@link HttpServer} that reads every notification Bundle
 * into {@link Delivered} events (eventNumber and the message number the sender put in the patient
 * id), and the full-resource Subscription of Patient Record events those tests create.
 */
final class RestHookNotifications {

  private RestHookNotifications() {}

  /**
   * One event of a notification: its eventNumber (0 for a handshake) and the number matched by the
   * sender's pattern in its focus resource.
   */
  record Delivered(long number, int message) {

    /** The events of one notification Bundle; a heartbeat has none. */
    static List<Delivered> of(Bundle bundle, Pattern numbered) {
      SubscriptionStatus status = (SubscriptionStatus) bundle.getEntryFirstRep().getResource();
      if (status.getType() == SubscriptionStatus.SubscriptionNotificationType.HANDSHAKE) {
        return List.of(new Delivered(0, -1));
      }
      if (status.getType() != SubscriptionStatus.SubscriptionNotificationType.EVENTNOTIFICATION) {
        return List.of();
      }
      List<Delivered> out = new ArrayList<>();
      for (SubscriptionStatus.SubscriptionStatusNotificationEventComponent e :
          status.getNotificationEvent()) {
        String reference = e.getFocus().getReference();
        String focus =
            bundle.getEntry().stream()
                .filter(entry -> entry.hasFullUrl() && entry.getFullUrl().endsWith(reference))
                .map(entry -> Fhir.toJson(entry.getResource()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no resource for " + reference));
        Matcher m = numbered.matcher(focus);
        if (!m.find()) {
          throw new AssertionError("no numbered patient in " + focus);
        }
        out.add(new Delivered(e.getEventNumber(), Integer.parseInt(m.group(1))));
      }
      return out;
    }
  }

  /**
   * A started receiver on {@code port} answering 200 to every readable notification (its events
   * added to {@code delivered}) and 500 to anything else (recorded in {@code unreadable}).
   */
  static HttpServer receiver(
      int port, Pattern numbered, List<Delivered> delivered, List<String> unreadable)
      throws IOException {
    HttpServer hook = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 50);
    hook.createContext(
        "/",
        exchange -> {
          String body = new String(exchange.getRequestBody().readAllBytes(), UTF_8);
          int status = 200;
          try {
            delivered.addAll(
                Delivered.of(Fhir.jsonParser().parseResource(Bundle.class, body), numbered));
          } catch (RuntimeException | AssertionError e) {
            unreadable.add(e + " in " + body);
            status = 500;
          }
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    hook.start();
    return hook;
  }

  /** Full-resource rest-hook notifications of every Patient Record event (DICOM 110110). */
  static String patientRecordSubscription(String endpoint) {
    return """
        {"resourceType":"Subscription","status":"requested",
         "topic":"http://atna-bridge.org/fhir/SubscriptionTopic/audit-event",
         "channelType":{"system":"http://terminology.hl7.org/CodeSystem/subscription-channel-type","code":"rest-hook"},
         "endpoint":"%s","content":"full-resource","maxCount":100,
         "filterBy":[{"filterParameter":"category","value":"110110"}]}
        """
        .formatted(endpoint);
  }
}
