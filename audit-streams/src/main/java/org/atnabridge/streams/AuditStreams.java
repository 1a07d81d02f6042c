package org.atnabridge.streams;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.atnabridge.accesslog.AccessLogSources;
import org.atnabridge.atna.AtnaConverter;
import org.atnabridge.schemas.Topics;
import org.atnabridge.streams.chain.CheckpointKeys;
import org.atnabridge.streams.enrich.EnrichmentConfig;
import org.atnabridge.streams.outcome.StreamsMeters;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit-streams stage as one start/close unit: the {@code KafkaStreams} application {@value
 * AuditTopology#APPLICATION_ID} ({@link AuditTopology}: {@code atna.raw} → convert, {@code
 * accesslog.raw} → access log convert, and {@code audit.posted} → posted, each → {@code
 * audit.events} | {@code audit.dlq}, and every event → enrich + label → chain → {@code
 * audit.enriched} + {@code audit.checkpoints}), exactly-once v2. Before it starts, the upgrade
 * steps of former layouts run once ({@link LegacyConvertOffsets}, {@link PostedEventsHandover}).
 *
 * <p>{@code atna-bridge verify} needs {@code <data-dir>/keys/checkpoint-ed25519.pub} (the public
 * key generated here on first start).
 */
public final class AuditStreams implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(AuditStreams.class);
  static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  private final StreamsService streams;
  private final CheckpointKeys keys;

  private AuditStreams(StreamsService streams, CheckpointKeys keys) {
    this.streams = streams;
    this.keys = keys;
  }

  /**
   * Starts the application and returns once it is RUNNING.
   *
   * @param keyDir where the checkpoint signing key is read from, or generated on first start
   * @throws IllegalStateException when it is not RUNNING within 90 s, or the key cannot be read or
   *     created
   */
  public static AuditStreams start(
      StreamsSettings settings, AtnaConverter converter, EnrichmentConfig config, Path keyDir) {
    return start(settings, converter, null, config, keyDir, StreamsMeters.unregistered(), null);
  }

  /**
   * As {@link #start(StreamsSettings, AtnaConverter, EnrichmentConfig, Path)}, with the {@link
   * StreamsMeters} and Kafka Streams' own metrics (tag {@code application}) in {@code registry}.
   */
  public static AuditStreams start(
      StreamsSettings settings,
      AtnaConverter converter,
      EnrichmentConfig config,
      Path keyDir,
      MeterRegistry registry) {
    return start(settings, converter, null, config, keyDir, registry);
  }

  /**
   * As {@link #start(StreamsSettings, AtnaConverter, EnrichmentConfig, Path, MeterRegistry)}, with
   * the access log sources ({@code --access-log-sources}, loaded and validated by the caller) that
   * {@code accesslog.raw} lines are read with; null: the default source only.
   */
  public static AuditStreams start(
      StreamsSettings settings,
      AtnaConverter converter,
      @Nullable AccessLogSources accessLogSources,
      EnrichmentConfig config,
      Path keyDir,
      MeterRegistry registry) {
    return start(
        settings,
        converter,
        accessLogSources,
        config,
        keyDir,
        new StreamsMeters(registry),
        registry);
  }

  private static AuditStreams start(
      StreamsSettings settings,
      AtnaConverter converter,
      @Nullable AccessLogSources accessLogSources,
      EnrichmentConfig config,
      Path keyDir,
      StreamsMeters meters,
      @Nullable MeterRegistry registry) {
    CheckpointKeys keys = CheckpointKeys.loadOrCreate(keyDir);
    LegacyConvertOffsets.carryOver(settings);
    PostedEventsHandover.run(settings);
    StreamsService streams =
        new StreamsService(
            AuditTopology.APPLICATION_ID,
            AuditTopology.build(
                converter,
                accessLogSources,
                config,
                keys,
                Clock.systemUTC(),
                meters,
                Topics.MAX_EVENT_RECORD_BYTES),
            settings,
            registry);
    streams.start(START_TIMEOUT);
    LOG.info(
        "audit streams running; checkpoints signed with key {} ({})",
        keys.keyId(),
        keyDir.resolve(CheckpointKeys.PUBLIC_FILE));
    return new AuditStreams(streams, keys);
  }

  /** True while the application runs (or rebalances). */
  public boolean check() {
    return streams.check();
  }

  public CheckpointKeys keys() {
    return keys;
  }

  /** Stops the application, committing what it processed and leaving its group. */
  @Override
  public void close() {
    streams.close();
  }
}
