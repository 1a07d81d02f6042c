package org.atnabridge.streams.subscription;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The matcher's meters. Counted as records are processed: records of a transaction that aborts are
 * counted again when processed again.
 */
public final class SubscriptionMeters {

  /** Events of {@code audit.enriched} tested against the subscriptions. */
  public static final String EVALUATED = "atna.subscriptions.events.evaluated";

  /** Events of {@code audit.enriched} that are not readable AuditEvents, skipped. */
  public static final String UNREADABLE = "atna.subscriptions.events.unreadable";

  /** Matches of an event and a subscription, sent to be numbered. */
  public static final String MATCHED = "atna.subscriptions.matched";

  /** Numbered notifications written to {@code audit.notifications}. */
  public static final String NOTIFICATIONS = "atna.subscriptions.notifications";

  /**
   * Matches not numbered: tag {@code reason} = {@code deleted} (the subscription was deleted before
   * its match was numbered) or {@code oversized} (the notification would exceed the topic's record
   * size).
   */
  public static final String DROPPED = "atna.subscriptions.dropped";

  /** Subscriptions being matched now (requested, active or error, with a recorded access). */
  public static final String ACTIVE = "atna.subscriptions.active";

  private final Counter evaluated;
  private final Counter unreadable;
  private final Counter matched;
  private final Counter notifications;
  private final Counter deleted;
  private final Counter oversized;

  public SubscriptionMeters(MeterRegistry registry, SubscriptionIndex index) {
    evaluated =
        Counter.builder(EVALUATED)
            .description("AuditEvents of audit.enriched tested against the subscriptions")
            .register(registry);
    unreadable =
        Counter.builder(UNREADABLE)
            .description("records of audit.enriched that are not readable AuditEvents")
            .register(registry);
    matched =
        Counter.builder(MATCHED)
            .description("matches of an event and a subscription, sent to be numbered")
            .register(registry);
    notifications =
        Counter.builder(NOTIFICATIONS)
            .description("numbered notifications written to audit.notifications")
            .register(registry);
    deleted =
        Counter.builder(DROPPED)
            .description("matches not numbered")
            .tag("reason", "deleted")
            .register(registry);
    oversized =
        Counter.builder(DROPPED)
            .description("matches not numbered")
            .tag("reason", "oversized")
            .register(registry);
    Gauge.builder(ACTIVE, index, SubscriptionIndex::active)
        .description("subscriptions being matched")
        .strongReference(true)
        .register(registry);
  }

  void evaluated() {
    evaluated.increment();
  }

  void unreadable() {
    unreadable.increment();
  }

  void matched() {
    matched.increment();
  }

  void notification() {
    notifications.increment();
  }

  void deleted() {
    deleted.increment();
  }

  void oversized() {
    oversized.increment();
  }
}
