package org.atnabridge.allinone;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.atnabridge.allinone.health.HealthCheck;
import org.atnabridge.atna.AtnaConverter;
import org.atnabridge.streams.AlertStreams;
import org.atnabridge.streams.AuditStreams;
import org.atnabridge.streams.StreamsSettings;
import org.atnabridge.streams.SubscriptionStreams;
import org.atnabridge.streams.alert.rules.AlertRules;
import org.atnabridge.streams.chain.CheckpointKeys;
import org.atnabridge.streams.enrich.EnrichmentConfig;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code atna-bridge streams}: the audit streams application (convert, enrich, label, chain), its
 * state under {@code <data-dir>/streams}, the checkpoint signing key under {@code <data-dir>/keys};
 * {@code accesslog.raw} lines are read with the sources of {@code --access-log-sources}. With alert
 * rules, the alert engine ({@link AlertStreams}, application {@code audit-alerts}) runs beside it;
 * the Subscription matcher ({@link SubscriptionStreams}, application {@code audit-subscriptions})
 * always does.
 */
final class AuditStreamsService implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(AuditStreamsService.class);

  private final AuditStreams streams;
  private final @Nullable AlertStreams alerts;
  private final SubscriptionStreams subscriptions;

  private AuditStreamsService(
      AuditStreams streams, @Nullable AlertStreams alerts, SubscriptionStreams subscriptions) {
    this.streams = streams;
    this.alerts = alerts;
    this.subscriptions = subscriptions;
  }

  /** Returns once the application is RUNNING. */
  static AuditStreamsService start(
      PipelineConfig config, String bootstrap, MeterRegistry registry) {
    return start(config, bootstrap, registry, null);
  }

  /**
   * As {@link #start(PipelineConfig, String, MeterRegistry)}, and the alert engine too when {@code
   * alertRules} (the loaded {@code --alert-rules} file, reloaded behind the supplier) has at least
   * one rule; returns once both are RUNNING.
   */
  static AuditStreamsService start(
      PipelineConfig config,
      String bootstrap,
      MeterRegistry registry,
      @Nullable Supplier<AlertRules> alertRules) {
    AuditStreams streams =
        AuditStreams.start(
            StreamsSettings.defaults(bootstrap, config.streamsDir()),
            new AtnaConverter(),
            AccessLogSourcesFile.load(config.accessLogSources()),
            EnrichmentConfig.defaults(),
            config.keysDir(),
            registry);
    LOG.info("ready: audit streams (convert, enrich, label, chain)");
    AlertStreams alerts = null;
    if (alertRules != null && !alertRules.get().rules().isEmpty()) {
      try {
        alerts =
            AlertStreams.start(
                StreamsSettings.defaults(bootstrap, config.streamsDir()), alertRules, registry);
      } catch (RuntimeException e) {
        streams.close();
        throw e;
      }
      LOG.info("ready: alert engine");
    }
    SubscriptionStreams subscriptions;
    try {
      subscriptions =
          SubscriptionStreams.start(
              StreamsSettings.defaults(bootstrap, config.streamsDir()), registry);
    } catch (RuntimeException e) {
      try (AuditStreams s = streams;
          AlertStreams a = alerts) {
        throw e;
      }
    }
    LOG.info("ready: subscription matcher");
    return new AuditStreamsService(streams, alerts, subscriptions);
  }

  /**
   * {@code streams}: the application is RUNNING (or rebalancing); {@code alerts}: the alert engine
   * is; {@code subscriptions}: the Subscription matcher is.
   */
  List<HealthCheck> checks() {
    List<HealthCheck> checks = new ArrayList<>();
    checks.add(
        new HealthCheck("streams", () -> streams.check() ? null : "audit streams are not RUNNING"));
    AlertStreams a = alerts;
    if (a != null) {
      checks.add(
          new HealthCheck("alerts", () -> a.check() ? null : "the alert engine is not RUNNING"));
    }
    checks.add(
        new HealthCheck(
            "subscription-matching",
            () -> subscriptions.check() ? null : "the subscription matcher is not RUNNING"));
    return List.copyOf(checks);
  }

  CheckpointKeys keys() {
    return streams.keys();
  }

  @Override
  public void close() {
    try (AuditStreams s = streams;
        AlertStreams a = alerts;
        SubscriptionStreams m = subscriptions) {
      // closed in reverse order: the matcher, the alert engine, then the audit streams
    }
  }
}
