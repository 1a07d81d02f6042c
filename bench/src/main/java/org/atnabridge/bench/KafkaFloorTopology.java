package org.atnabridge.bench;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.atnabridge.atna.AtnaConverter;
import org.atnabridge.schemas.EventHeaders;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.schemas.RawMetadata;
import org.atnabridge.schemas.Topics;
import org.atnabridge.schemas.chain.ChainHash;
import org.atnabridge.streams.AuditTopology;
import org.atnabridge.streams.chain.ChainProcessor;
import org.atnabridge.streams.enrich.EnrichmentConfig;
import org.hl7.fhir.r5.model.AuditEvent;

/**
 * The Kafka part of {@link AuditTopology} with none of the audit work: what the broker and Kafka
 * Streams alone cost per event on this machine, the floor under the real application.
 *
 * <p>Same sources ({@code atna.raw} and the idle {@code audit.posted}), sinks, state stores and
 * exactly-once settings as {@link AuditTopology}: each {@code atna.raw} record gives one marked
 * {@code audit.events} record (which, as in the real task, nothing reads back) and one {@code
 * audit.enriched} record of the real sizes (the JSON of the bench's message converted, and
 * chained), one read and one write of the {@code chain-recent-ids} window store and one write of
 * the cached head store. Nothing is parsed, mapped, enriched, encoded or hashed: the bytes are made
 * once, before the run.
 */
final class KafkaFloorTopology {

  private KafkaFloorTopology() {}

  static Topology build(byte[] sampleFrame) throws Exception {
    AuditEvent event =
        new AtnaConverter()
            .convert(
                sampleFrame,
                new RawMetadata(
                    "tcp", "10.0.0.1:40000", Instant.parse("2026-01-01T00:00:00Z"), null))
            .getFirst();
    byte[] eventJson = Fhir.toJsonBytes(event);
    byte[] enrichedJson =
        ChainHash.chainAndEncode(event, 0, 1, ChainHash.GENESIS, null, null, null).json();

    Topology t = new Topology();
    t.addSource(
        "raw",
        Serdes.ByteArray().deserializer(),
        Serdes.ByteArray().deserializer(),
        Topics.ATNA_RAW.name());
    t.addSource(
        "posted",
        Serdes.ByteArray().deserializer(),
        Serdes.ByteArray().deserializer(),
        Topics.AUDIT_POSTED.name());
    t.addProcessor("copy", () -> new Copy(eventJson, enrichedJson), "raw", "posted");
    // the application's own store definitions, with its default id retention
    t.addStateStore(ChainProcessor.headStore(), "copy");
    t.addStateStore(ChainProcessor.idStore(EnrichmentConfig.defaults().idRetention()), "copy");
    t.addSink(
        "events-sink",
        Topics.AUDIT_EVENTS.name(),
        Serdes.String().serializer(),
        Serdes.ByteArray().serializer(),
        "copy");
    // to the task's own partition, as ChainPartitioner does
    t.addSink(
        "enriched-sink",
        Topics.AUDIT_ENRICHED.name(),
        Serdes.String().serializer(),
        Serdes.ByteArray().serializer(),
        (String topic, String key, byte[] value, int n) ->
            java.util.Optional.of(
                java.util.Set.of(Integer.parseInt(key.substring(0, key.indexOf('-'))))),
        "copy");
    return t;
  }

  /** Writes fixed bytes where the real task writes an event and its chained form. */
  private static final class Copy implements Processor<byte[], byte[], Object, Object> {
    private final byte[] eventJson;
    private final byte[] enrichedJson;
    private ProcessorContext<Object, Object> ctx;
    private KeyValueStore<String, String> heads;
    private WindowStore<String, String> ids;
    private long seq;

    Copy(byte[] eventJson, byte[] enrichedJson) {
      this.eventJson = eventJson;
      this.enrichedJson = enrichedJson;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
      ctx = context;
      heads = context.getStateStore(ChainProcessor.HEAD_STORE);
      ids = context.getStateStore(ChainProcessor.IDS_STORE);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
      // a unique id per record, as the converter's ids are
      String id = ctx.taskId().partition() + "-" + ctx.recordMetadata().orElseThrow().offset();
      try (WindowStoreIterator<String> it = ids.fetch(id, 0L, Long.MAX_VALUE)) {
        while (it.hasNext()) {
          it.next();
        }
      }
      seq++;
      ids.put(id, seq + "|" + "0".repeat(64), record.timestamp());
      heads.put("head", seq + "|" + id);
      ctx.forward(
          new Record<Object, Object>(
              id,
              eventJson,
              record.timestamp(),
              new RecordHeaders()
                  .add(
                      EventHeaders.CHAINED_BY,
                      AuditTopology.APPLICATION_ID.getBytes(StandardCharsets.UTF_8))),
          "events-sink");
      ctx.forward(
          new Record<Object, Object>(id, enrichedJson, record.timestamp()), "enriched-sink");
    }
  }
}
