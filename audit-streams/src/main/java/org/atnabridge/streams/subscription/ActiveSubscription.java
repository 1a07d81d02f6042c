package org.atnabridge.streams.subscription;

import java.time.Instant;
import org.atnabridge.store.AuditEventMatcher;
import org.atnabridge.store.EventValues;
import org.jspecify.annotations.Nullable;

/**
 * A stored Subscription as the matcher tests it: its filters and its creator's access as one {@link
 * AuditEventMatcher}, its topic, and the end after which it matches nothing.
 *
 * @param id the Subscription's logical id
 * @param topic the canonical URL of its SubscriptionTopic
 * @param end {@code Subscription.end}, or null
 * @param matcher filters AND topic criteria AND the creator's restrictions
 */
public record ActiveSubscription(
    String id, String topic, @Nullable Instant end, AuditEventMatcher matcher) {

  /** Whether the event projected as {@code values} is one of this subscription's at {@code now}. */
  public boolean matches(EventValues values, Instant now) {
    return (end == null || now.isBefore(end)) && matcher.test(values);
  }
}
