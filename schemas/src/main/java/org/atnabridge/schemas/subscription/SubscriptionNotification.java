package org.atnabridge.schemas.subscription;

import java.time.Instant;
import org.hl7.fhir.r5.model.AuditEvent;

/**
 * One numbered notification of one subscription, as the matcher writes it to {@code
 * audit.notifications}.
 *
 * @param subscriptionId the Subscription's logical id (also the record key)
 * @param eventNumber this subscription's event number: 1 for its first notification, then
 *     contiguous, never reused (R5 {@code notificationEvent.eventNumber})
 * @param topic the canonical URL of the SubscriptionTopic that matched
 * @param matchedAt when the matcher numbered it (R5 {@code notificationEvent.timestamp})
 * @param event the AuditEvent that matched, whole, as stored: the focus and the {@code
 *     full-resource} content; its id is the focus reference {@code AuditEvent/<id>}
 */
public record SubscriptionNotification(
    String subscriptionId, long eventNumber, String topic, Instant matchedAt, AuditEvent event) {

  public SubscriptionNotification {
    if (eventNumber < 1) {
      throw new IllegalArgumentException("eventNumber starts at 1, got " + eventNumber);
    }
  }

  /** {@code AuditEvent/<id>}: the notification's focus. */
  public String focus() {
    return "AuditEvent/" + event.getIdPart();
  }
}
