package org.atnabridge.streams.alert.notify;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * The meters of alert delivery (README "Metrics"): {@code atna.alert.notifications.delivered}
 * (channel, type), {@code atna.alert.notification.latency} (channel: from the alert's {@code
 * detectedAt} to the channel taking it), {@code atna.alert.notification.retries} (channel: failed
 * attempts that will be tried again) and {@code atna.alert.notification.dead.letters} (channel,
 * reason).
 */
public final class NotificationMetrics {

  public static final String DELIVERED = "atna.alert.notifications.delivered";
  public static final String LATENCY = "atna.alert.notification.latency";
  public static final String RETRIES = "atna.alert.notification.retries";
  public static final String DEAD_LETTERS = "atna.alert.notification.dead.letters";

  private final MeterRegistry registry;

  public NotificationMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void delivered(String channel, String type, Duration latency) {
    Counter.builder(DELIVERED)
        .description("alerts a notification channel took")
        .tag("channel", channel)
        .tag("type", type)
        .register(registry)
        .increment();
    Timer.builder(LATENCY)
        .description("from an alert's detection to a channel taking it")
        .tag("channel", channel)
        .register(registry)
        .record(latency.isNegative() ? Duration.ZERO : latency);
  }

  void retry(String channel) {
    Counter.builder(RETRIES)
        .description("failed notification attempts that are tried again")
        .tag("channel", channel)
        .register(registry)
        .increment();
  }

  void deadLettered(String channel, String reason) {
    Counter.builder(DEAD_LETTERS)
        .description("alerts written to audit.alerts.dlq")
        .tag("channel", channel)
        .tag("reason", reason)
        .register(registry)
        .increment();
  }
}
