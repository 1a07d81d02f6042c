package org.atnabridge.allinone;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.atnabridge.allinone.health.HealthCheck;
import org.atnabridge.streams.alert.rules.RulesWatcher;
import org.atnabridge.streams.chain.CheckpointKeys;
import org.jspecify.annotations.Nullable;

/**
 * What {@code serve} and {@code streams} run as "the streams": the audit streams application and,
 * with {@code --alert-rules}, the rules file watcher (reloads without restart), the alert engine
 * (application {@code audit-alerts}) reading the watcher's current rules, and alert delivery
 * ({@code audit.alerts} to the channels). One part: started in that order, closed in reverse.
 */
final class StreamsPart implements AutoCloseable {

  private final @Nullable RulesWatcher rules;
  private final AuditStreamsService streams;
  private final @Nullable AlertDeliveryService delivery;

  private StreamsPart(
      @Nullable RulesWatcher rules,
      AuditStreamsService streams,
      @Nullable AlertDeliveryService delivery) {
    this.rules = rules;
    this.streams = streams;
    this.delivery = delivery;
  }

  static StreamsPart start(PipelineConfig config, String bootstrap, MeterRegistry registry) {
    Path file = config.alertRules();
    if (file == null) {
      return new StreamsPart(null, AuditStreamsService.start(config, bootstrap, registry), null);
    }
    RulesWatcher rules = RulesWatcher.start(file, registry);
    AuditStreamsService streams = null;
    try {
      streams = AuditStreamsService.start(config, bootstrap, registry, rules);
      AlertDeliveryService delivery = AlertDeliveryService.start(bootstrap, rules, registry);
      return new StreamsPart(rules, streams, delivery);
    } catch (RuntimeException e) {
      if (streams != null) {
        streams.close();
      }
      rules.close();
      throw e;
    }
  }

  /** The streams' checks ({@code streams}, {@code alerts}) and {@code alert-delivery}. */
  List<HealthCheck> checks() {
    List<HealthCheck> checks = new ArrayList<>(streams.checks());
    if (delivery != null) {
      checks.addAll(delivery.checks());
    }
    return checks;
  }

  CheckpointKeys keys() {
    return streams.keys();
  }

  @Override
  public void close() {
    try (RulesWatcher r = rules;
        AuditStreamsService s = streams;
        AlertDeliveryService d = delivery) {
      // closed in reverse order: delivery, streams, then the watcher
    }
  }
}
