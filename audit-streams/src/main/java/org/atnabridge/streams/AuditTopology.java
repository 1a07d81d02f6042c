package org.atnabridge.streams;

import java.time.Clock;
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
import org.atnabridge.accesslog.AccessLogConverter;
import org.atnabridge.accesslog.AccessLogSources;
import org.atnabridge.atna.AtnaConverter;
import org.atnabridge.schemas.Topic;
import org.atnabridge.schemas.Topics;
import org.atnabridge.streams.accesslog.AccessLogConvertProcessor;
import org.atnabridge.streams.accesslog.AccessLogSourceTable;
import org.atnabridge.streams.chain.ChainProcessor;
import org.atnabridge.streams.chain.ChainedEvent;
import org.atnabridge.streams.chain.CheckpointKeys;
import org.atnabridge.streams.convert.ConvertProcessor;
import org.atnabridge.streams.convert.EventForwarder;
import org.atnabridge.streams.enrich.AuditEventEnricher;
import org.atnabridge.streams.enrich.EnrichProcessor;
import org.atnabridge.streams.enrich.EnrichmentConfig;
import org.atnabridge.streams.enrich.PostedEventProcessor;
import org.atnabridge.streams.outcome.DeadLetters;
import org.atnabridge.streams.outcome.StreamsMeters;
import org.hl7.fhir.r5.model.Resource;
import org.jspecify.annotations.Nullable;

/**
 * The audit-streams topology, wired in one place ({@link #build}, which {@link AuditStreams} and
 * the tests call alike); the processors it wires are plain classes that are told their stores and
 * the nodes they forward to. One sub-topology: task {@code p} reads partition {@code p} of {@code
 * atna.raw}, {@code accesslog.raw} and {@code audit.posted} and writes the chain of partition
 * {@code p} of {@code audit.enriched}.
 *
 * <pre>
 * atna.raw ─────▶ convert ──────────┬─▶ audit.events (topic of record, header atna.chained-by)
 *                                   ├─▶ audit.dlq
 *                                   └─▶ enrich ─▶ chain ─┬─▶ audit.enriched
 * accesslog.raw ─▶ accesslog-convert ┬─▶ audit.events     └─▶ audit.checkpoints
 *                                   ├─▶ audit.dlq (unreadable lines; dropped lines are counted)
 *                                   └─▶ enrich
 * audit.posted ─▶ posted ───────────┬─▶ audit.events
 *                                   ├─▶ audit.dlq
 *                                   └─▶ enrich
 * </pre>
 *
 * <p>Why one sub-topology: a raw record is parsed once and its AuditEvent object goes straight on
 * to enrichment and the chain, in the same task and the same exactly-once transaction as its {@code
 * audit.events} record and its input offset. Events the API posts (the FHIR feed, self-audit,
 * Security Alerts) arrive on {@code audit.posted} and take the same way: written to {@code
 * audit.events} as posted, enriched and chained by the same task, so each {@code audit.enriched}
 * partition keeps one writer. The task never subscribes to {@code audit.events}: it only writes it,
 * so nothing it wrote comes back to be skipped (before {@code audit.posted} existed, the API wrote
 * to {@code audit.events} and the task read every converted event back only to skip it: a fetch and
 * a deserialisation per event more; {@link PostedEventsHandover} hands over what such an API wrote
 * and the task had not read yet, once, on upgrade).
 *
 * <p>Chain order: within a task, Kafka Streams takes the records of {@code atna.raw} p, {@code
 * accesslog.raw} p and {@code audit.posted} p in timestamp order, as it did with {@code
 * audit.events} p; each partition of each input is chained in its offset order. Later receipts are
 * dropped before anything is written ({@link org.atnabridge.streams.chain.FirstReceipts}).
 *
 * <p>The reference topics are GlobalKTables (every instance holds all of them, so no repartitioning
 * by user or patient is needed, and a later update applies to the events that follow it; events are
 * never held back waiting for reference data). A reference record that is not a FHIR resource is
 * read as absent, so a bad reference record cannot stop the application.
 *
 * <p>Requirement: {@code audit.enriched} has at least as many partitions as {@code atna.raw},
 * {@code accesslog.raw} and {@code audit.posted} (all 3 in {@link Topics}); each chain is the
 * sequence of one task.
 */
public final class AuditTopology {

  /**
   * Application id: a constant, never a class name (changing it resets offsets and chain state). It
   * is the id of the enrich application from before conversion joined it, so a data dir from then
   * keeps its chain heads and offsets ({@link LegacyConvertOffsets} carries over the offsets of the
   * former {@value LegacyConvertOffsets#LEGACY_APPLICATION_ID}).
   */
  public static final String APPLICATION_ID = "audit-enrich";

  /** {@code dlq.stage} of records conversion rejects. */
  public static final String CONVERT_STAGE = "audit-convert";

  /**
   * {@code dlq.stage} of posted records that are not AuditEvents, and of events too large once
   * chained.
   */
  public static final String ENRICH_STAGE = "audit-enrich";

  public static final String PEOPLE_STORE = "reference-people";
  public static final String PATIENTS_STORE = "reference-patients";
  public static final String NODES_STORE = "reference-nodes";
  static final String RAW_SOURCE = "atna-raw-source";
  static final String POSTED_SOURCE = "audit-posted-source";
  static final String ACCESS_LOG_SOURCE = "accesslog-raw-source";
  public static final String CONVERT = "convert";
  public static final String ACCESS_LOG_CONVERT = "accesslog-convert";
  public static final String POSTED = "posted";
  public static final String ENRICH = "enrich";
  public static final String CHAIN = "chain";
  public static final String EVENTS_SINK = "audit-events-sink";
  public static final String ENRICHED_SINK = "audit-enriched-sink";
  public static final String CHECKPOINTS_SINK = "audit-checkpoints-sink";
  public static final String DLQ_SINK = "audit-dlq-sink";

  private AuditTopology() {}

  /**
   * As {@link #build(AtnaConverter, AccessLogSources, EnrichmentConfig, CheckpointKeys, Clock,
   * StreamsMeters, int)} without a sources file: access log lines are read with the default source.
   */
  public static Topology build(
      AtnaConverter converter,
      EnrichmentConfig config,
      CheckpointKeys keys,
      Clock clock,
      StreamsMeters meters,
      int maxEventBytes) {
    return build(converter, null, config, keys, clock, meters, maxEventBytes);
  }

  /**
   * The topology {@link AuditStreams} runs.
   *
   * @param accessLogSources the sources file ({@code --access-log-sources}) as loaded, or null: the
   *     source an {@code accesslog.raw} record is read with ({@link AccessLogSourceTable})
   * @param meters where the steps count what they do ({@link StreamsMeters#unregistered()} when
   *     nobody reads them)
   * @param maxEventBytes the record limit of {@code audit.events} and {@code audit.enriched}
   *     ({@link Topics#MAX_EVENT_RECORD_BYTES}): an enriched, chained event over it is
   *     dead-lettered, and so is a message whose converted event is over half of it (the room
   *     enrichment and the chain link may need)
   */
  public static Topology build(
      AtnaConverter converter,
      @Nullable AccessLogSources accessLogSources,
      EnrichmentConfig config,
      CheckpointKeys keys,
      Clock clock,
      StreamsMeters meters,
      int maxEventBytes) {
    AccessLogConverter accessLogConverter = new AccessLogConverter();
    AccessLogSourceTable sources = new AccessLogSourceTable(accessLogSources);
    StreamsBuilder builder = new StreamsBuilder();
    globalTable(builder, Topics.REFERENCE_PEOPLE, PEOPLE_STORE);
    globalTable(builder, Topics.REFERENCE_PATIENTS, PATIENTS_STORE);
    globalTable(builder, Topics.REFERENCE_NODES, NODES_STORE);
    Topology topology = builder.build();
    AuditEventEnricher enricher = new AuditEventEnricher(config);
    EnrichProcessor.ReferenceStores references =
        new EnrichProcessor.ReferenceStores(PEOPLE_STORE, PATIENTS_STORE, NODES_STORE);

    topology.addSource(
        RAW_SOURCE,
        Topics.ATNA_RAW.keySerde().deserializer(),
        Topics.ATNA_RAW.valueSerde().deserializer(),
        Topics.ATNA_RAW.name());
    topology.addSource(
        ACCESS_LOG_SOURCE,
        Topics.ACCESSLOG_RAW.keySerde().deserializer(),
        Topics.ACCESSLOG_RAW.valueSerde().deserializer(),
        Topics.ACCESSLOG_RAW.name());
    topology.addSource(
        POSTED_SOURCE,
        Serdes.ByteArray().deserializer(),
        Serdes.ByteArray().deserializer(),
        Topics.AUDIT_POSTED.name());
    topology.addProcessor(
        CONVERT,
        () -> {
          DeadLetters deadLetters = new DeadLetters(CONVERT_STAGE, DLQ_SINK, clock, meters);
          return new ConvertProcessor(
              converter, meters, deadLetters, forwarder(deadLetters, meters, maxEventBytes));
        },
        RAW_SOURCE);
    topology.addProcessor(
        ACCESS_LOG_CONVERT,
        () -> {
          DeadLetters deadLetters = new DeadLetters(CONVERT_STAGE, DLQ_SINK, clock, meters);
          return new AccessLogConvertProcessor(
              accessLogConverter,
              sources,
              meters,
              deadLetters,
              forwarder(deadLetters, meters, maxEventBytes));
        },
        ACCESS_LOG_SOURCE);
    topology.addProcessor(
        POSTED,
        () ->
            new PostedEventProcessor(
                APPLICATION_ID,
                meters,
                new DeadLetters(ENRICH_STAGE, DLQ_SINK, clock, meters),
                ChainProcessor.IDS_STORE,
                EVENTS_SINK,
                ENRICH),
        POSTED_SOURCE);
    topology.addProcessor(
        ENRICH,
        () -> new EnrichProcessor(enricher, references, CHAIN),
        CONVERT,
        ACCESS_LOG_CONVERT,
        POSTED);
    topology.addProcessor(
        CHAIN,
        () ->
            new ChainProcessor(
                keys,
                config.checkpointEvery(),
                config.checkpointInterval(),
                clock,
                ENRICHED_SINK,
                CHECKPOINTS_SINK,
                meters,
                new DeadLetters(ENRICH_STAGE, DLQ_SINK, clock, meters),
                maxEventBytes),
        ENRICH);
    topology.addStateStore(ChainProcessor.headStore(), CHAIN);
    topology.addStateStore(ChainProcessor.idStore(config.idRetention()), CHAIN);
    // convert and posted read it to drop later receipts before anything is written (FirstReceipts)
    topology.connectProcessorAndStateStores(CONVERT, ChainProcessor.IDS_STORE);
    topology.connectProcessorAndStateStores(ACCESS_LOG_CONVERT, ChainProcessor.IDS_STORE);
    topology.connectProcessorAndStateStores(POSTED, ChainProcessor.IDS_STORE);

    // convert forwards the JSON it encoded (and measured) itself, posted the bytes as they were
    // posted
    topology.addSink(
        EVENTS_SINK,
        Topics.AUDIT_EVENTS.name(),
        Topics.AUDIT_EVENTS.keySerde().serializer(),
        Serdes.ByteArray().serializer(),
        CONVERT,
        ACCESS_LOG_CONVERT,
        POSTED);
    topology.addSink(
        ENRICHED_SINK,
        Topics.AUDIT_ENRICHED.name(),
        Topics.AUDIT_ENRICHED.keySerde().serializer(),
        (Serializer<ChainedEvent>) (topic, chained) -> chained == null ? null : chained.json(),
        new ChainPartitioner(),
        CHAIN);
    topology.addSink(
        CHECKPOINTS_SINK,
        Topics.AUDIT_CHECKPOINTS.name(),
        Topics.AUDIT_CHECKPOINTS.keySerde().serializer(),
        Topics.AUDIT_CHECKPOINTS.valueSerde().serializer(),
        CHAIN);
    topology.addSink(
        DLQ_SINK,
        Topics.AUDIT_DLQ.name(),
        Topics.AUDIT_DLQ.keySerde().serializer(),
        Topics.AUDIT_DLQ.valueSerde().serializer(),
        CONVERT,
        ACCESS_LOG_CONVERT,
        POSTED,
        CHAIN);
    return topology;
  }

  /**
   * The converting steps' forwarding: half the record limit per converted event (the room
   * enrichment and the chain link may need).
   */
  private static EventForwarder forwarder(
      DeadLetters deadLetters, StreamsMeters meters, int maxEventBytes) {
    return new EventForwarder(
        APPLICATION_ID,
        meters,
        deadLetters,
        maxEventBytes / 2,
        ChainProcessor.IDS_STORE,
        EVENTS_SINK,
        ENRICH);
  }

  /**
   * Materializes the topic's bytes as they are: nothing is parsed on the global thread (so a bad
   * record cannot stop it); {@link org.atnabridge.streams.enrich.ParsedReferences} parses each
   * value once when it is looked up.
   */
  private static void globalTable(
      StreamsBuilder builder, Topic<String, Resource> topic, String store) {
    builder.globalTable(
        topic.name(),
        Consumed.with(topic.keySerde(), Serdes.ByteArray()).withName(store + "-source"),
        Materialized.<String, byte[], KeyValueStore<Bytes, byte[]>>as(store)
            .withKeySerde(topic.keySerde())
            .withValueSerde(Serdes.ByteArray()));
  }

  /**
   * Writes each event to the partition of its chain ({@link ChainedEvent#partition()}): the
   * partition of the input record ({@code atna.raw}, {@code accesslog.raw} or {@code audit.posted})
   * it came from.
   */
  static final class ChainPartitioner implements StreamPartitioner<String, ChainedEvent> {
    @Override
    public Optional<Set<Integer>> partitions(
        String topic, String key, ChainedEvent value, int numPartitions) {
      if (value.partition() >= numPartitions) {
        throw new IllegalStateException(
            topic
                + " has "
                + numPartitions
                + " partitions, fewer than "
                + Topics.ATNA_RAW.name()
                + ", "
                + Topics.ACCESSLOG_RAW.name()
                + " or "
                + Topics.AUDIT_POSTED.name()
                + ": the chain needs one partition per input partition");
      }
      return Optional.of(Set.of(value.partition()));
    }
  }
}
