package org.atnabridge.streams.enrich;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Objects;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.atnabridge.schemas.DeadLetterHeaders;
import org.atnabridge.schemas.RawHeaders;
import org.atnabridge.schemas.Topics;
import org.atnabridge.streams.handoff.EventHandoff;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Resource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one {@code audit.events} record, enriches and labels it from the global reference stores
 * and forwards it to the chain; a record that is not an AuditEvent with an id goes to {@code
 * audit.dlq} (reason {@value #NOT_AUDIT_EVENT}) with its bytes and headers, never stopping the
 * partition. Reference data missing at the time does not hold the event back.
 */
final class EnrichProcessor implements Processor<byte[], byte[], Object, Object> {

  static final String NOT_AUDIT_EVENT = "NOT_AUDIT_EVENT";
  private static final Logger LOG = LoggerFactory.getLogger(EnrichProcessor.class);

  private final AuditEventEnricher enricher;
  private final Clock clock;
  private final EventHandoff handoff;
  private @Nullable ProcessorContext<Object, Object> context;
  private ReferenceLookup lookup = ReferenceLookup.empty();

  EnrichProcessor(AuditEventEnricher enricher, Clock clock, EventHandoff handoff) {
    this.enricher = enricher;
    this.clock = clock;
    this.handoff = handoff;
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    this.context = context;
    ParsedReferences people = new ParsedReferences(context.getStateStore(EnrichTopology.PEOPLE_STORE));
    ParsedReferences patients = new ParsedReferences(context.getStateStore(EnrichTopology.PATIENTS_STORE));
    ParsedReferences nodes = new ParsedReferences(context.getStateStore(EnrichTopology.NODES_STORE));
    this.lookup = new ReferenceLookup() {
      @Override public @Nullable Resource person(String userId) { return people.get(userId); }
      @Override public @Nullable Resource patient(String key) { return patients.get(key); }
      @Override public @Nullable Resource node(String key) { return nodes.get(key); }
    };
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    ProcessorContext<Object, Object> ctx = Objects.requireNonNull(context, "init not called");
    AuditEvent event = record.key() == null || record.value() == null ? null
        : handoff.take(new String(record.key(), StandardCharsets.UTF_8), record.value());
    if (event == null) {
      event = parse(ctx, record);
      if (event == null) {
        return;
      }
    }
    enricher.enrich(event, lookup);
    ctx.forward(new Record<Object, Object>(event.getIdElement().getIdPart(), event, record.timestamp(),
        record.headers()), EnrichTopology.CHAIN);
  }

  /** The record as an AuditEvent with an id, or null after dead-lettering it. */
  private @Nullable AuditEvent parse(ProcessorContext<Object, Object> ctx, Record<byte[], byte[]> record) {
    AuditEvent event;
    try {
      event = Topics.AUDIT_EVENTS.valueSerde().deserializer().deserialize(Topics.AUDIT_EVENTS.name(), record.value());
      if (event == null || !event.getIdElement().hasIdPart()) {
        throw new IllegalArgumentException(event == null ? "null value" : "AuditEvent without id");
      }
    } catch (RuntimeException e) {
      deadLetter(ctx, record, e.getMessage());
      return null;
    }
    return event;
  }

  private void deadLetter(ProcessorContext<Object, Object> ctx, Record<byte[], byte[]> record, @Nullable String detail) {
    RecordMetadata source = ctx.recordMetadata().orElse(null);
    Headers h = record.headers();
    RawHeaders.put(h, DeadLetterHeaders.REASON, NOT_AUDIT_EVENT);
    String d = detail == null ? NOT_AUDIT_EVENT : detail;
    byte[] b = d.getBytes(StandardCharsets.UTF_8);
    RawHeaders.put(h, DeadLetterHeaders.DETAIL, b.length <= 1024 ? d : new String(b, 0, 1024, StandardCharsets.UTF_8));
    RawHeaders.put(h, DeadLetterHeaders.STAGE, EnrichTopology.APPLICATION_ID);
    RawHeaders.put(h, DeadLetterHeaders.FAILED_AT, clock.instant().toString());
    if (source != null) {
      RawHeaders.put(h, DeadLetterHeaders.SOURCE_TOPIC, source.topic());
      RawHeaders.put(h, DeadLetterHeaders.SOURCE_PARTITION, String.valueOf(source.partition()));
      RawHeaders.put(h, DeadLetterHeaders.SOURCE_OFFSET, String.valueOf(source.offset()));
    }
    LOG.debug("dead-lettered audit.events record: {}", d);
    ctx.forward(new Record<Object, Object>(record.key(), record.value(), record.timestamp(), h), EnrichTopology.DLQ_SINK);
  }
}
