package org.atnabridge.streams;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.atnabridge.atna.AtnaConverter;
import org.atnabridge.streams.chain.CheckpointKeys;
import org.atnabridge.streams.convert.ConvertTopology;
import org.atnabridge.streams.enrich.EnrichTopology;
import org.atnabridge.streams.enrich.EnrichmentConfig;
import org.atnabridge.streams.handoff.EventHandoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole audit-streams stage as one start/close unit: the convert application ({@value
 * ConvertTopology#APPLICATION_ID}: {@code atna.raw} → {@code audit.events} | {@code audit.dlq})
 * and the enrich/label/chain application ({@value EnrichTopology#APPLICATION_ID}: {@code
 * audit.events} + reference GlobalKTables → {@code audit.enriched} + {@code audit.checkpoints}),
 * each its own {@code KafkaStreams} with a constant application id and exactly-once v2.
 *
 * <h2>What {@code Pipeline} does with it</h2>
 * <ol>
 *   <li>Create {@code Topics.newTopics(...)} as today (it now includes the reference topics and
 *       {@code audit.checkpoints}).
 *   <li>Replace the {@code StreamsService convert = ...; convert.start(...)} block by
 *       <pre>{@code
 * AuditStreams streams = AuditStreams.start(StreamsSettings.defaults(bootstrap, config.streamsDir()),
 *     new AtnaConverter(), EnrichmentConfig.defaults(), config.dataDir().resolve("keys"));
 * started.push(streams);}</pre>
 *       (optionally {@code EnrichmentConfig} from settings: internal CIDRs, checkpoint N and T).
 *   <li>Make the indexer consume {@code audit.enriched} instead of {@code audit.events}:
 *       {@code new AuditIndexer(Map.of("bootstrap.servers", bootstrap), Topics.AUDIT_ENRICHED.name(), store, null)}
 *       — only enriched, labelled, chained events are searchable and verifiable.
 *   <li>Start it before the indexer or after — order does not matter for correctness; it must be
 *       closed before the broker (the existing reverse-order close does that).
 * </ol>
 *
 * {@code atna-bridge verify} needs {@code <data-dir>/keys/checkpoint-ed25519.pub} (the public key
 * generated here on first start).
 */
public final class AuditStreams implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(AuditStreams.class);
  static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  private final StreamsService convert;
  private final StreamsService enrich;
  private final CheckpointKeys keys;

  private AuditStreams(StreamsService convert, StreamsService enrich, CheckpointKeys keys) {
    this.convert = convert;
    this.enrich = enrich;
    this.keys = keys;
  }

  /**
   * Starts both applications and returns once both are RUNNING.
   *
   * @param keyDir where the checkpoint signing key is read from, or generated on first start
   * @throws IllegalStateException when an application is not RUNNING within 90 s, or the key
   *     cannot be read or created
   */
  public static AuditStreams start(StreamsSettings settings, AtnaConverter converter, EnrichmentConfig config,
      Path keyDir) {
    CheckpointKeys keys = CheckpointKeys.loadOrCreate(keyDir);
    // both applications run in this JVM: enrich takes convert's objects instead of parsing them again
    EventHandoff handoff = EventHandoff.defaults();
    StreamsService convert = new StreamsService(ConvertTopology.APPLICATION_ID,
        ConvertTopology.build(converter, Clock.systemUTC(), handoff), settings);
    StreamsService enrich = new StreamsService(EnrichTopology.APPLICATION_ID,
        EnrichTopology.build(config, keys, Clock.systemUTC(), handoff), settings);
    try {
      enrich.start(START_TIMEOUT);
      convert.start(START_TIMEOUT);
    } catch (RuntimeException e) {
      convert.close();
      enrich.close();
      throw e;
    }
    LOG.info("audit streams running; checkpoints signed with key {} ({})", keys.keyId(),
        keyDir.resolve(CheckpointKeys.PUBLIC_FILE));
    return new AuditStreams(convert, enrich, keys);
  }

  /** True while both applications run (or rebalance). */
  public boolean check() {
    return convert.check() && enrich.check();
  }

  public CheckpointKeys keys() {
    return keys;
  }

  /** Stops conversion first, then enrichment, each committing what it processed and leaving its group. */
  @Override
  public void close() {
    try {
      convert.close();
    } finally {
      enrich.close();
    }
  }
}
