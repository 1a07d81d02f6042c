package org.atnabridge.allinone;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.atnabridge.allinone.RestHookNotifications.Delivered;
import org.atnabridge.testing.FreePorts;
import org.atnabridge.testing.TestVectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rest-hook endpoint that is down for five minutes loses nothing: the all-in-one (packaged jar,
 * {@code serve}) delivers to an endpoint that then stops listening altogether (connection refused,
 * not an error status) while matching events keep arriving over syslog for five minutes. The
 * subscription turns {@code error}; when a receiver listens on the same port again, everything
 * numbered during the outage is delivered, first occurrences in eventNumber order 1..N with none
 * missing, and the subscription is {@code active} again. {@code --subscription-retry-max-backoff
 * 20s} caps the wait between attempts so the return is noticed within the test's time (the default
 * 5 min cap would only add up to 5 min to the same outcome).
 */
class SubscriptionOutageFaultIT {

  private static final Duration OUTAGE = Duration.ofMinutes(5);
  private static final int BEFORE = 50;
  private static final int PER_TICK = 10;
  private static final Duration TICK = Duration.ofSeconds(10);
  private static final Pattern NUMBER = Pattern.compile("O(\\d{6})");
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path dir;
  private final List<HttpServer> receivers = new CopyOnWriteArrayList<>();

  @AfterEach
  void stopReceivers() {
    receivers.forEach(r -> r.stop(0));
  }

  @Test
  void anEndpointDownForFiveMinutes_getsEverything_inOrder_whenItComesBack() throws Exception {
    List<Delivered> delivered = new CopyOnWriteArrayList<>();
    List<String> unreadable = new CopyOnWriteArrayList<>();
    int hookPort = FreePorts.next();
    HttpServer hook = receiver(hookPort, delivered, unreadable);
    String prefix = "http://127.0.0.1:" + hookPort + "/";
    int http = ServeProcess.freePort();
    int syslog = ServeProcess.freePort();
    try (ServeProcess serve =
        ServeProcess.serve(
                dir,
                http,
                syslog,
                0,
                "--subscription-allow-http",
                "--subscription-endpoints",
                prefix,
                "--subscription-retry-max-backoff",
                "20s")
            .awaitReady(Duration.ofSeconds(120))) {
      String bearer =
          ServeProcess.token(dir.resolve("data"), "system/Subscription.cruds system/AuditEvent.rs");
      String base = "http://127.0.0.1:" + http + "/fhir";
      HttpResponse<String> created =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(base + "/Subscription"))
                  .header("Authorization", "Bearer " + bearer)
                  .header("Content-Type", "application/fhir+json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          RestHookNotifications.patientRecordSubscription(prefix + "hook")))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      String location = created.headers().firstValue("Location").orElseThrow();
      String subscription = location.replaceAll("/_history/.*", "");
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> delivered.stream().anyMatch(d -> d.number() == 0)); // the handshake

      int sent = 0;
      send(syslog, sent, BEFORE);
      sent += BEFORE;
      await()
          .atMost(Duration.ofMinutes(2))
          .until(() -> firstOccurrences(delivered).size() == BEFORE);

      hook.stop(0); // down: nothing listens on the port any more
      Instant down = Instant.now();
      int atDown = delivered.size();
      boolean sawError = false;
      while (Duration.between(down, Instant.now()).compareTo(OUTAGE) < 0) {
        send(syslog, sent, PER_TICK);
        sent += PER_TICK;
        Thread.sleep(TICK.toMillis());
        sawError |= status(subscription, bearer).equals("error");
      }
      assertThat(delivered).as("nothing can arrive while the endpoint is down").hasSize(atDown);
      assertThat(sawError).as("the subscription turned error during the outage").isTrue();

      int total = sent;
      receiver(hookPort, delivered, unreadable); // back, on the same URL
      Instant back = Instant.now();
      await()
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofSeconds(1))
          .untilAsserted(
              () ->
                  assertThat(firstOccurrences(delivered))
                      .as(() -> "unreadable: " + unreadable + "\nserve log:\n" + serve.log())
                      .hasSize(total));
      System.out.printf(
          "outage %s: %d events numbered, all delivered %d ms after the endpoint came back%n",
          OUTAGE, total, Duration.between(back, Instant.now()).toMillis());
      assertThat(unreadable).isEmpty();
      assertThat(firstOccurrences(delivered))
          .as("every eventNumber once, in order, none missing")
          .containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
      // a repeat (at least once) always carries the same event; the events are the ones sent
      Map<Long, Integer> messageOf = new HashMap<>();
      for (Delivered d : delivered) {
        if (d.number() > 0) {
          Integer before = messageOf.putIfAbsent(d.number(), d.message());
          assertThat(before == null || before == d.message())
              .as("eventNumber %d delivered for two different events", d.number())
              .isTrue();
        }
      }
      assertThat(messageOf.values()).doesNotHaveDuplicates().hasSize(total);
      await()
          .atMost(Duration.ofMinutes(1))
          .until(() -> status(subscription, bearer).equals("active"));
    }
  }

  private HttpServer receiver(int port, List<Delivered> delivered, List<String> unreadable)
      throws IOException {
    HttpServer hook = RestHookNotifications.receiver(port, NUMBER, delivered, unreadable);
    receivers.add(hook);
    return hook;
  }

  /** The eventNumbers in the order they first arrived (repeats of a retried Bundle left out). */
  private static List<Long> firstOccurrences(List<Delivered> delivered) {
    LinkedHashSet<Long> seen = new LinkedHashSet<>();
    for (Delivered d : delivered) {
      if (d.number() > 0) {
        seen.add(d.number());
      }
    }
    return new ArrayList<>(seen);
  }

  private static String status(String subscription, String bearer) throws Exception {
    String body =
        HTTP.send(
                HttpRequest.newBuilder(URI.create(subscription))
                    .header("Authorization", "Bearer " + bearer)
                    .header("Accept", "application/fhir+json")
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    Matcher m = Pattern.compile("\"status\"\\s*:\\s*\"([a-z-]+)\"").matcher(body);
    return m.find() ? m.group(1) : "";
  }

  /** Numbered "Patient Record" (DICOM 110110) messages over one TCP connection. */
  private static void send(int syslog, int from, int count) {
    String xml =
        new String(TestVectors.bytes("dicom-audit-xml/ipf-pixfeed.xml"), UTF_8)
            .replaceAll("\\R\\s*", "");
    byte[][] batch = new byte[count][];
    for (int i = 0; i < count; i++) {
      batch[i] =
          AtnaTraffic.syslog5424(
              xml.replace("7627199^^^", String.format("O%06d^^^", from + i)).getBytes(UTF_8));
    }
    AtnaTraffic.sendOctetCounted(syslog, batch);
  }
}
