package org.atnabridge.streams.alert;

import java.util.Objects;
import java.util.function.Supplier;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.atnabridge.streams.alert.rules.AlertRules;
import org.atnabridge.streams.enrich.ParsedReferences;
import org.atnabridge.streams.enrich.ReferenceLookup;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Resource;
import org.jspecify.annotations.Nullable;

/**
 * Stage 1 of the alert engine in Kafka Streams: the {@link RuleMatcher} over each record, with the
 * reference data of the two GlobalKTables, forwarding one {@link Observation} per rule and group,
 * keyed by {@link Observation#key()} for the repartition topic.
 */
public final class RuleMatchProcessor
    implements Processor<String, AuditEvent, String, Observation> {

  private final Supplier<AlertRules> rules;
  private final String peopleStore;
  private final String patientsStore;
  private final AlertMeters meters;
  private @Nullable ProcessorContext<String, Observation> context;
  private RuleMatcher matcher;

  /**
   * @param peopleStore the GlobalKTable of {@code reference.people} (bytes as they came)
   * @param patientsStore the GlobalKTable of {@code reference.patients}
   */
  public RuleMatchProcessor(
      Supplier<AlertRules> rules, String peopleStore, String patientsStore, AlertMeters meters) {
    this.rules = rules;
    this.peopleStore = peopleStore;
    this.patientsStore = patientsStore;
    this.meters = meters;
    this.matcher = new RuleMatcher(rules, ReferenceLookup.empty());
  }

  @Override
  public void init(ProcessorContext<String, Observation> context) {
    this.context = context;
    ParsedReferences people = new ParsedReferences(context.getStateStore(peopleStore));
    ParsedReferences patients = new ParsedReferences(context.getStateStore(patientsStore));
    this.matcher =
        new RuleMatcher(
            rules,
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
                return null;
              }
            });
  }

  @Override
  public void process(Record<String, AuditEvent> record) {
    ProcessorContext<String, Observation> ctx = Objects.requireNonNull(context, "init not called");
    AuditEvent e = record.value();
    if (e == null) {
      return;
    }
    if (AlertOrigin.skipped(e)) {
      meters.skipped();
      return;
    }
    meters.evaluated();
    matcher.observe(
        e,
        record.key(),
        record.timestamp(),
        (rule, o) -> {
          meters.observation(rule.kind());
          ctx.forward(new Record<>(o.key(), o, record.timestamp()));
        });
  }
}
