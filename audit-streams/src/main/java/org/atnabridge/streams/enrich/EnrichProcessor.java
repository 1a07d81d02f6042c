package org.atnabridge.streams.enrich;

import java.util.Objects;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Resource;
import org.jspecify.annotations.Nullable;

/**
 * Enriches and labels one AuditEvent (just converted, or posted and parsed) from the global
 * reference stores and forwards it to the next step (the chain). Reference data missing at the time
 * does not hold the event back.
 */
public final class EnrichProcessor implements Processor<String, AuditEvent, Object, Object> {

  /**
   * The names of the reference stores (GlobalKTables of bytes as they came, {@link
   * ParsedReferences}).
   */
  public record ReferenceStores(String people, String patients, String nodes) {}

  private final AuditEventEnricher enricher;
  private final ReferenceStores stores;
  private final String next;
  private @Nullable ProcessorContext<Object, Object> context;
  private ReferenceLookup lookup = ReferenceLookup.empty();

  public EnrichProcessor(AuditEventEnricher enricher, ReferenceStores stores, String next) {
    this.enricher = enricher;
    this.stores = stores;
    this.next = next;
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    this.context = context;
    ParsedReferences people = new ParsedReferences(context.getStateStore(stores.people()));
    ParsedReferences patients = new ParsedReferences(context.getStateStore(stores.patients()));
    ParsedReferences nodes = new ParsedReferences(context.getStateStore(stores.nodes()));
    this.lookup =
        new ReferenceLookup() {
          @Override
          public @Nullable Resource person(String userId) {
            return people.get(userId);
          }

          @Override
          public @Nullable Resource patient(String key) {
            return patients.get(key);
          }

          @Override
          public @Nullable Resource node(String key) {
            return nodes.get(key);
          }
        };
  }

  @Override
  public void process(Record<String, AuditEvent> record) {
    ProcessorContext<Object, Object> ctx = Objects.requireNonNull(context, "init not called");
    enricher.enrich(record.value(), lookup);
    ctx.forward(
        new Record<Object, Object>(
            record.key(), record.value(), record.timestamp(), record.headers()),
        next);
  }
}
