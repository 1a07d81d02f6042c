package org.atnabridge.streams.alert;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.atnabridge.schemas.Topic;
import org.atnabridge.schemas.Topics;
import org.atnabridge.schemas.alert.AlertJson;
import org.atnabridge.streams.alert.rules.AlertRules;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Resource;

/**
 * The alert engine as one Kafka Streams application ({@value #APPLICATION_ID}), apart from the
 * enrich application so that its state, offsets and failures never touch the chain:
 *
 * <pre>
 * audit.enriched ─▶ match (stage 1) ─┬▶ alert-observations (repartition by rule and group)
 * reference.nodes ─▶ known sources ──┘
 *   ─▶ state (stage 2: windows, first-seen, silence, suppression) ─▶ emit (stage 3) ─┬─▶ audit.alerts
 *                                                                                   └─▶ audit.posted
 * </pre>
 *
 * Event time is {@code recorded} ({@link RecordedTimestampExtractor}). The repartition topic brings
 * every observation of one rule and group, from whichever partition of {@code audit.enriched}, to
 * one task, so they count together. Alert AuditEvents go to {@code audit.posted}, from where the
 * enrich application chains and the indexer stores them like every posted event. The reference
 * tables are this application's own GlobalKTables of {@code reference.people} and {@code
 * reference.patients} (store names apart from the enrich application's); {@code reference.nodes} is
 * read as a stream of the sources silence rules watch ({@link KnownSources}).
 *
 * <p>{@link RulesTester} runs this same topology offline, so {@code rules test} and the stream
 * agree by construction.
 */
public final class AlertTopology {

  /** Application id: a constant (changing it resets the offsets and the rules' state). */
  public static final String APPLICATION_ID = "audit-alerts";

  /** The name of the repartition topic (prefixed by Kafka Streams with the application id). */
  public static final String OBSERVATIONS = "alert-observations";

  /** Partitions of the repartition topic: the partitions of {@code audit.enriched}. */
  public static final int OBSERVATION_PARTITIONS = 3;

  public static final String PEOPLE_STORE = "alert-reference-people";
  public static final String PATIENTS_STORE = "alert-reference-patients";
  public static final String MATCH = "alert-match";
  public static final String KNOWN_SOURCES = "alert-known-sources";
  public static final String STATE = "alert-state";
  public static final String EMIT = "alert-emit";

  private AlertTopology() {}

  /**
   * @param rules the rules as they are now (a reload swaps what it returns; the topology does not
   *     change)
   * @param clock the wall clock: alert detection times and stage 2's window closing
   * @param registry where the engine counts what it does ({@link AlertMeters})
   */
  public static Topology build(Supplier<AlertRules> rules, Clock clock, MeterRegistry registry) {
    AlertMeters meters = new AlertMeters(registry);
    StreamsBuilder builder = new StreamsBuilder();
    referenceTables(builder);
    List<StoreBuilder<?>> stores = RuleStateProcessor.storeBuilders();
    stores.forEach(builder::addStateStore);
    String[] stateStores = stores.stream().map(StoreBuilder::name).toArray(String[]::new);

    KStream<String, AuditEvent> events =
        builder.stream(
            Topics.AUDIT_ENRICHED.name(),
            Consumed.with(Topics.AUDIT_ENRICHED.keySerde(), Topics.AUDIT_ENRICHED.valueSerde())
                .withTimestampExtractor(new RecordedTimestampExtractor())
                .withName("audit-enriched-source"));
    builder.addStateStore(KnownSources.storeBuilder());
    KStream<String, Observation> knownSources =
        builder.stream(
                Topics.REFERENCE_NODES.name(),
                Consumed.with(Topics.REFERENCE_NODES.keySerde(), Serdes.ByteArray())
                    .withName("reference-nodes-source"))
            .process(
                () -> new KnownSources(rules, RuleStateProcessor.DEFAULT_PUNCTUATION),
                Named.as(KNOWN_SOURCES),
                KnownSources.STORE);
    KStream<String, EmittedAlert> emitted =
        events
            .process(
                () -> new RuleMatchProcessor(rules, PEOPLE_STORE, PATIENTS_STORE, meters),
                Named.as(MATCH))
            .merge(knownSources, Named.as("alert-observations-and-known-sources"))
            .repartition(
                Repartitioned.<String, Observation>as(OBSERVATIONS)
                    .withKeySerde(Serdes.String())
                    .withValueSerde(new ObservationSerde())
                    .withNumberOfPartitions(OBSERVATION_PARTITIONS))
            .process(
                () -> new RuleStateProcessor(rules, clock, registry), Named.as(STATE), stateStores)
            .process(() -> new AlertEmitter(rules, clock, meters), Named.as(EMIT));
    emitted
        .mapValues(a -> AlertJson.write(a.alert()), Named.as("alert-json"))
        .to(
            Topics.AUDIT_ALERTS.name(),
            Produced.with(Topics.AUDIT_ALERTS.keySerde(), Topics.AUDIT_ALERTS.valueSerde())
                .withName("audit-alerts-sink"));
    emitted
        .map(
            (alertId, a) -> KeyValue.pair(a.event().getIdElement().getIdPart(), a.event()),
            Named.as("alert-event"))
        .to(
            Topics.AUDIT_POSTED.name(),
            Produced.with(Topics.AUDIT_POSTED.keySerde(), Topics.AUDIT_POSTED.valueSerde())
                .withName("audit-posted-sink"));
    return builder.build();
  }

  /** The reference GlobalKTables stage 1 reads: {@link #PEOPLE_STORE}, {@link #PATIENTS_STORE}. */
  static void referenceTables(StreamsBuilder builder) {
    globalTable(builder, Topics.REFERENCE_PEOPLE, PEOPLE_STORE);
    globalTable(builder, Topics.REFERENCE_PATIENTS, PATIENTS_STORE);
  }

  /** The topic's bytes as they are; parsed when looked up (a bad record reads as absent). */
  private static void globalTable(
      StreamsBuilder builder, Topic<String, Resource> topic, String store) {
    builder.globalTable(
        topic.name(),
        Consumed.with(topic.keySerde(), Serdes.ByteArray()).withName(store + "-source"),
        Materialized.<String, byte[], KeyValueStore<Bytes, byte[]>>as(store)
            .withKeySerde(topic.keySerde())
            .withValueSerde(Serdes.ByteArray()));
  }
}
