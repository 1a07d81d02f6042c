package org.atnabridge.streams.enrich;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.atnabridge.schemas.Topic;
import org.atnabridge.schemas.Topics;
import org.atnabridge.streams.chain.ChainProcessor;
import org.atnabridge.streams.chain.ChainedEvent;
import org.atnabridge.streams.chain.CheckpointKeys;
import org.atnabridge.streams.handoff.EventHandoff;
import org.hl7.fhir.r5.model.Resource;

/**
 * {@code audit.events} → enrich + label → chain → {@code audit.enriched} (same partition number)
 * and {@code audit.checkpoints}; undecodable records → {@code audit.dlq}.
 *
 * <p>The reference topics are GlobalKTables (every instance holds all of them, so no
 * repartitioning by user or patient is needed, and a later update applies to the events that
 * follow it; events are never held back waiting for reference data). A reference record that is
 * not a FHIR resource is read as absent, so a bad reference record cannot stop the application.
 *
 * <p>Requirement: {@code audit.enriched} has as many partitions as {@code audit.events} (both 3
 * in {@link Topics}); each chain is the sequence of one partition.
 */
public final class EnrichTopology {

  /** Application id: a constant, never a class name (changing it resets offsets and chain state). */
  public static final String APPLICATION_ID = "audit-enrich";

  public static final String PEOPLE_STORE = "reference-people";
  public static final String PATIENTS_STORE = "reference-patients";
  public static final String NODES_STORE = "reference-nodes";
  static final String SOURCE = "audit-events-source";
  static final String ENRICH = "enrich";
  static final String CHAIN = "chain";
  static final String ENRICHED_SINK = "audit-enriched-sink";
  static final String CHECKPOINTS_SINK = "audit-checkpoints-sink";
  static final String DLQ_SINK = "audit-dlq-sink";

  private EnrichTopology() {}

  public static Topology build(EnrichmentConfig config, CheckpointKeys keys, Clock clock) {
    return build(config, keys, clock, EventHandoff.disabled());
  }

  /**
   * As {@link #build(EnrichmentConfig, CheckpointKeys, Clock)}, taking events from {@code handoff}
   * (same JVM's convert) instead of parsing them when the record's bytes match.
   */
  public static Topology build(EnrichmentConfig config, CheckpointKeys keys, Clock clock, EventHandoff handoff) {
    StreamsBuilder builder = new StreamsBuilder();
    globalTable(builder, Topics.REFERENCE_PEOPLE, PEOPLE_STORE);
    globalTable(builder, Topics.REFERENCE_PATIENTS, PATIENTS_STORE);
    globalTable(builder, Topics.REFERENCE_NODES, NODES_STORE);
    Topology topology = builder.build();
    AuditEventEnricher enricher = new AuditEventEnricher(config);
    topology.addSource(SOURCE, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(),
        Topics.AUDIT_EVENTS.name());
    topology.addProcessor(ENRICH, () -> new EnrichProcessor(enricher, clock, handoff), SOURCE);
    topology.addProcessor(CHAIN, () -> new ChainProcessor(keys, config.checkpointEvery(), config.checkpointInterval(),
        clock, ENRICHED_SINK, CHECKPOINTS_SINK), ENRICH);
    // one key rewritten per event: the cache sends only its last value per commit to RocksDB and the
    // changelog (flushed before the transaction commits, so a restart still sees the committed head)
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ChainProcessor.HEAD_STORE),
        Serdes.String(), Serdes.String()).withCachingEnabled(), CHAIN);
    // bounded by record time (see ChainProcessor): segments past the retention are dropped whole
    topology.addStateStore(Stores.windowStoreBuilder(Stores.persistentWindowStore(ChainProcessor.IDS_STORE,
        config.idRetention(), Duration.ofMillis(1), false), Serdes.String(), Serdes.String()), CHAIN);
    topology.addSink(ENRICHED_SINK, Topics.AUDIT_ENRICHED.name(), Topics.AUDIT_ENRICHED.keySerde().serializer(),
        (Serializer<ChainedEvent>) (topic, chained) -> chained == null ? null : chained.json(), new ChainPartitioner(), CHAIN);
    topology.addSink(CHECKPOINTS_SINK, Topics.AUDIT_CHECKPOINTS.name(), Topics.AUDIT_CHECKPOINTS.keySerde().serializer(),
        Topics.AUDIT_CHECKPOINTS.valueSerde().serializer(), CHAIN);
    topology.addSink(DLQ_SINK, Topics.AUDIT_DLQ.name(), Topics.AUDIT_DLQ.keySerde().serializer(),
        Topics.AUDIT_DLQ.valueSerde().serializer(), ENRICH);
    return topology;
  }

  /**
   * Materializes the topic's bytes as they are: nothing is parsed on the global thread (so a bad
   * record cannot stop it); {@link ParsedReferences} parses each value once when it is looked up.
   */
  private static void globalTable(StreamsBuilder builder, Topic<String, Resource> topic, String store) {
    builder.globalTable(topic.name(), Consumed.with(topic.keySerde(), Serdes.ByteArray()).withName(store + "-source"),
        Materialized.<String, byte[], KeyValueStore<Bytes, byte[]>>as(store)
            .withKeySerde(topic.keySerde()).withValueSerde(Serdes.ByteArray()));
  }

  /** Writes each event to the partition of its chain ({@link ChainedEvent#partition()}). */
  static final class ChainPartitioner implements StreamPartitioner<String, ChainedEvent> {
    @Override
    public Optional<Set<Integer>> partitions(String topic, String key, ChainedEvent value, int numPartitions) {
      if (value.partition() >= numPartitions) {
        throw new IllegalStateException(topic + " has " + numPartitions + " partitions, fewer than "
            + Topics.AUDIT_EVENTS.name() + ": the chain needs one partition per input partition");
      }
      return Optional.of(Set.of(value.partition()));
    }
  }
}
