package org.atnabridge.search.subscription;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * The meters of subscription delivery: {@code atna.subscription.notifications} (type
 * handshake/heartbeat/event-notification, outcome success/failure), {@code
 * atna.subscription.events.delivered}, {@code atna.subscription.notification.latency} (from the
 * matcher numbering an event to the endpoint taking it), {@code atna.subscription.events.given.up}
 * (events past {@code --subscription-retry-deadline}). Deliveries are counted here and never
 * recorded as AuditEvents, which would feed back into the subscriptions.
 */
public final class DeliveryMetrics {

  public static final String NOTIFICATIONS = "atna.subscription.notifications";
  public static final String DELIVERED = "atna.subscription.events.delivered";
  public static final String LATENCY = "atna.subscription.notification.latency";
  public static final String GIVEN_UP = "atna.subscription.events.given.up";

  private final MeterRegistry registry;

  public DeliveryMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void attempt(String type, boolean success) {
    Counter.builder(NOTIFICATIONS)
        .description("subscription notification bundles POSTed to rest-hook endpoints")
        .tag("type", type)
        .tag("outcome", success ? "success" : "failure")
        .register(registry)
        .increment();
  }

  void delivered(int events, Duration latency) {
    Counter.builder(DELIVERED)
        .description("numbered events a rest-hook endpoint took")
        .register(registry)
        .increment(events);
    Timer.builder(LATENCY)
        .description("from the matcher numbering an event to its endpoint taking it")
        .register(registry)
        .record(latency.isNegative() ? Duration.ZERO : latency);
  }

  void givenUp(int events) {
    Counter.builder(GIVEN_UP)
        .description("events not delivered before --subscription-retry-deadline")
        .register(registry)
        .increment(events);
  }
}
