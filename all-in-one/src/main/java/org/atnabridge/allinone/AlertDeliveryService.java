package org.atnabridge.allinone;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.function.Supplier;
import org.atnabridge.allinone.health.HealthCheck;
import org.atnabridge.streams.alert.notify.AlertDelivery;
import org.atnabridge.streams.alert.rules.AlertRules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivery of {@code audit.alerts} to the webhook and e-mail channels of the rules file, run by
 * {@code serve} and {@code atna-bridge streams} when they are given alert rules ({@code
 * --alert-rules}); the channels are read from the rules at each attempt, so a reload applies
 * without a restart. Consumer group {@code audit-alert-delivery}.
 */
final class AlertDeliveryService implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(AlertDeliveryService.class);

  private final AlertDelivery delivery;

  private AlertDeliveryService(AlertDelivery delivery) {
    this.delivery = delivery;
  }

  /**
   * Starts delivering; the caller adds it to its parts and its {@link #checks()} to readiness.
   *
   * @param rules the current rules (the rules file watcher)
   */
  static AlertDeliveryService start(
      String bootstrap, Supplier<AlertRules> rules, MeterRegistry registry) {
    AlertDelivery d =
        AlertDelivery.start(AlertDelivery.Settings.defaults(bootstrap), rules, registry);
    LOG.info("ready: alert delivery (audit.alerts to webhook and e-mail channels)");
    return new AlertDeliveryService(d);
  }

  /** {@code alert-delivery}: the delivery thread runs. */
  List<HealthCheck> checks() {
    return List.of(
        new HealthCheck(
            "alert-delivery", () -> delivery.running() ? null : "alert delivery stopped"));
  }

  @Override
  public void close() {
    delivery.close();
  }
}
