package org.atnabridge.allinone;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.atnabridge.allinone.health.HealthCheck;
import org.atnabridge.atna.AtnaConverter;
import org.atnabridge.streams.AuditStreams;
import org.atnabridge.streams.StreamsSettings;
import org.atnabridge.streams.chain.CheckpointKeys;
import org.atnabridge.streams.enrich.EnrichmentConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code atna-bridge streams}: the audit streams application (convert, enrich, label, chain), its
 * state under {@code <data-dir>/streams}, the checkpoint signing key under {@code <data-dir>/keys};
 * {@code accesslog.raw} lines are read with the sources of {@code --access-log-sources}.
 */
final class AuditStreamsService implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(AuditStreamsService.class);

  private final AuditStreams streams;

  private AuditStreamsService(AuditStreams streams) {
    this.streams = streams;
  }

  /** Returns once the application is RUNNING. */
  static AuditStreamsService start(
      PipelineConfig config, String bootstrap, MeterRegistry registry) {
    AuditStreams streams =
        AuditStreams.start(
            StreamsSettings.defaults(bootstrap, config.streamsDir()),
            new AtnaConverter(),
            AccessLogSourcesFile.load(config.accessLogSources()),
            EnrichmentConfig.defaults(),
            config.keysDir(),
            registry);
    LOG.info("ready: audit streams (convert, enrich, label, chain)");
    return new AuditStreamsService(streams);
  }

  /** {@code streams}: the application is RUNNING (or rebalancing). */
  List<HealthCheck> checks() {
    return List.of(
        new HealthCheck("streams", () -> streams.check() ? null : "audit streams are not RUNNING"));
  }

  CheckpointKeys keys() {
    return streams.keys();
  }

  @Override
  public void close() {
    streams.close();
  }
}
