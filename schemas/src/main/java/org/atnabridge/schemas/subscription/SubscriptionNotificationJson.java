package org.atnabridge.schemas.subscription;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import org.atnabridge.schemas.Fhir;
import org.hl7.fhir.r5.model.AuditEvent;

/**
 * The JSON of a {@link SubscriptionNotification} on {@code audit.notifications}: {@code {"version":
 * 1, "subscription": id, "eventNumber": n, "topic": url, "matchedAt": ISO-8601, "event": {R5
 * AuditEvent}}}. A reader of version 1 ignores fields it does not know.
 */
public final class SubscriptionNotificationJson {

  public static final int VERSION = 1;

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private SubscriptionNotificationJson() {}

  public static byte[] write(SubscriptionNotification n) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("version", VERSION);
    o.put("subscription", n.subscriptionId());
    o.put("eventNumber", n.eventNumber());
    o.put("topic", n.topic());
    o.put("matchedAt", n.matchedAt().toString());
    try {
      o.set("event", MAPPER.readTree(Fhir.jsonParser().encodeResourceToString(n.event())));
      return MAPPER.writeValueAsBytes(o);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write a notification", e);
    }
  }

  /**
   * @throws IllegalArgumentException when {@code bytes} is not a version 1 notification
   */
  public static SubscriptionNotification read(byte[] bytes) {
    try {
      JsonNode o = MAPPER.readTree(bytes);
      if (o == null || o.path("version").asInt() != VERSION) {
        throw new IllegalArgumentException("not a version 1 subscription notification");
      }
      AuditEvent event =
          Fhir.jsonParser().parseResource(AuditEvent.class, o.path("event").toString());
      return new SubscriptionNotification(
          o.path("subscription").asText(),
          o.path("eventNumber").asLong(),
          o.path("topic").asText(),
          Instant.parse(o.path("matchedAt").asText()),
          event);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("not a subscription notification: " + e.getMessage(), e);
    }
  }
}
