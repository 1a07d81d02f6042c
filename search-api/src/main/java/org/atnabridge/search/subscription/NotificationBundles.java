package org.atnabridge.search.subscription;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.atnabridge.schemas.subscription.SubscriptionNotification;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.Enumerations.SubscriptionStatusCodes;
import org.hl7.fhir.r5.model.Reference;
import org.hl7.fhir.r5.model.Subscription;
import org.hl7.fhir.r5.model.SubscriptionStatus;
import org.hl7.fhir.r5.model.SubscriptionStatus.SubscriptionNotificationType;

/**
 * The Bundles of FHIR R5 topic-based subscriptions (R5 Subscription "Notifications"): a {@code
 * subscription-notification} Bundle whose first entry is a SubscriptionStatus, followed by what the
 * subscription's content level carries: nothing ({@code empty}), or the focus AuditEvents ({@code
 * full-resource}). With {@code id-only} the SubscriptionStatus's {@code focus} references are all
 * there is. The AuditEvents are given already reduced to what the subscriber may read.
 */
public final class NotificationBundles {

  private NotificationBundles() {}

  /** One notification as it is to be sent: its number and the event as the subscriber sees it. */
  public record Event(long eventNumber, Instant matchedAt, AuditEvent event) {
    public static Event of(SubscriptionNotification n, AuditEvent shown) {
      return new Event(n.eventNumber(), n.matchedAt(), shown);
    }

    String focus() {
      return "AuditEvent/" + event.getIdPart();
    }
  }

  /**
   * A notification Bundle.
   *
   * @param base the FHIR base URL (references and {@code fullUrl}s are built from it)
   * @param eventsSinceStart the subscription's events so far ({@code eventsSinceSubscriptionStart})
   * @param content the content level to use ({@code empty}, {@code id-only}, {@code full-resource})
   */
  public static Bundle notification(
      String base,
      Subscription s,
      SubscriptionNotificationType type,
      SubscriptionStatusCodes status,
      long eventsSinceStart,
      List<Event> events,
      String content,
      Instant now) {
    Bundle b = new Bundle();
    b.setId(UUID.randomUUID().toString());
    b.setType(
        type == SubscriptionNotificationType.QUERYEVENT
            ? Bundle.BundleType.HISTORY
            : Bundle.BundleType.SUBSCRIPTIONNOTIFICATION);
    b.setTimestamp(Date.from(now));
    SubscriptionStatus st = status(base, s, type, status, eventsSinceStart);
    for (Event e : events) {
      SubscriptionStatus.SubscriptionStatusNotificationEventComponent ne =
          st.addNotificationEvent();
      ne.setEventNumber(e.eventNumber());
      ne.setTimestamp(Date.from(e.matchedAt()));
      if (!content.equals("empty")) {
        ne.setFocus(new Reference(base + "/" + e.focus()));
      }
    }
    Bundle.BundleEntryComponent first = b.addEntry();
    first.setFullUrl("urn:uuid:" + UUID.randomUUID());
    first.setResource(st);
    if (content.equals("full-resource")) {
      for (Event e : events) {
        Bundle.BundleEntryComponent entry = b.addEntry();
        entry.setFullUrl(base + "/" + e.focus());
        entry.setResource(e.event());
        if (b.getType() == Bundle.BundleType.HISTORY) {
          entry.getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("AuditEvent");
          entry.getResponse().setStatus("201");
        }
      }
    }
    return b;
  }

  /**
   * The SubscriptionStatus of {@code s} (R5 {@code $status} and each notification's first entry).
   */
  public static SubscriptionStatus status(
      String base,
      Subscription s,
      SubscriptionNotificationType type,
      SubscriptionStatusCodes status,
      long eventsSinceStart) {
    SubscriptionStatus st = new SubscriptionStatus();
    st.setId(UUID.randomUUID().toString());
    st.setStatus(status);
    st.setType(type);
    st.setEventsSinceSubscriptionStart(eventsSinceStart);
    st.setSubscription(new Reference(base + "/Subscription/" + s.getIdPart()));
    st.setTopic(s.getTopic());
    return st;
  }

  /** The subscription's content level, {@code id-only} when it states none. */
  public static String content(Subscription s) {
    String code = s.getContentElement().getValueAsString();
    return code == null || code.isBlank() ? "id-only" : code;
  }
}
