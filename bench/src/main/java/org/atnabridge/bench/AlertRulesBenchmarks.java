package org.atnabridge.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.atnabridge.atna.AtnaConverter;
import org.atnabridge.atna.ConversionException;
import org.atnabridge.schemas.Topics;
import org.atnabridge.store.EventValues;
import org.atnabridge.streams.alert.Observation;
import org.atnabridge.streams.alert.RuleMatcher;
import org.atnabridge.streams.alert.rules.AlertRules;
import org.atnabridge.streams.alert.rules.RulesFile;
import org.atnabridge.streams.enrich.AuditEventEnricher;
import org.atnabridge.streams.enrich.EnrichmentConfig;
import org.atnabridge.streams.enrich.ReferenceLookup;
import org.atnabridge.streams.reference.ReferenceFile;
import org.atnabridge.streams.reference.ReferenceRecord;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Resource;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Stage 1 of the alert engine on one event, single thread, without Kafka: {@link RuleMatcher} (what
 * {@code RuleMatchProcessor} runs per record) with the default pack, every rule of it enabled, and
 * {@link #MATCH_RULES} {@code match} rules of varied conditions, over the enriched events of the
 * ATNA test vectors (one JMH operation = one event).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx512m")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class AlertRulesBenchmarks {

  static final int MATCH_RULES = 40;

  /** Conditions a site writes: codes, outcomes, purposes, labels, people, places, FHIRPath. */
  private static final List<String> CONDITIONS =
      List.of(
          "where: \"purpose=BTG\"",
          "where: \"code=http://dicom.nema.org/resources/ontology/DCM|110110&outcome:not=0\"",
          "where: \"category=http://dicom.nema.org/resources/ontology/DCM|110106\"",
          "where: \"category=110112&code=ITI-9\"",
          "where: \"outcome=4,8,12\"",
          "where: \"action=D\"",
          "where: \"action=E&patient:missing=false\"",
          "where: \"_security=R,V\"",
          "where: \"agent=Practitioner/dr-house\"",
          "where: \"agent-name=root\"",
          "where: \"address=10.0.0.66\"",
          "where: \"source:missing=true\"",
          "where: \"site=Hospital-B\"",
          "where: \"entity-type=Patient&entity-role=1\"",
          "where: \"patient:identifier=urn:oid:1.2.3|999\"",
          "where: \"agent-role=http://dicom.nema.org/resources/ontology/DCM|110153\"",
          "where: \"code=ITI-41,ITI-43&outcome:not=0\"",
          "where: \"_tag=test\"",
          "where: \"entity-name:contains=VIP\"",
          "fhirpath: \"agent.where(requestor = true).count() > 3\"",
          "fhirpath: \"entity.count() > 20\"",
          "where: \"patient:missing=false\"\n    fhirpath: \"outcome.code.code = '12'\"",
          "where: \"policy=urn:example:policy:emergency\"",
          "where: \"code=110114&outcome:not=0\"",
          "where: \"_security=http://terminology.hl7.org/CodeSystem/v3-ActCode|PSY\"");

  private static final String[] GROUPS = {null, "agent", "patient", "address"};

  private final List<AuditEvent> events = new ArrayList<>();
  private final RuleMatcher matcher;
  private int next;

  public AlertRulesBenchmarks() {
    AlertRules rules = RulesFile.parse("bench-rules.yaml", rulesYaml());
    matcher = new RuleMatcher(() -> rules, referenceLookup());
    BenchData data = new BenchData();
    data.load();
    AtnaConverter converter = new AtnaConverter();
    AuditEventEnricher enricher = new AuditEventEnricher(EnrichmentConfig.defaults());
    ReferenceLookup lookup = referenceLookup();
    int n = 0;
    for (byte[] message : data.mix) {
      try {
        for (AuditEvent e : converter.convert(message, data.metadata)) {
          if (!e.getIdElement().hasIdPart()) {
            e.setId("bench-" + n);
          }
          n++;
          enricher.enrich(e, lookup);
          events.add(e);
        }
      } catch (ConversionException ex) {
        throw new IllegalStateException(ex);
      }
    }
  }

  /** The rules file: the default pack, all enabled, and the match rules. */
  static String rulesYaml() {
    StringBuilder y =
        new StringBuilder(
            """
            packs: [default]
            enable: [family-name-match, after-hours-access, first-user-patient-access]
            rules:
            """);
    for (int i = 0; i < MATCH_RULES; i++) {
      y.append("  - id: site-match-").append(i).append('\n');
      y.append("    title: Site rule ").append(i).append('\n');
      y.append("    kind: match\n");
      y.append("    ").append(CONDITIONS.get(i % CONDITIONS.size())).append('\n');
      String group = GROUPS[i % GROUPS.length];
      if (group != null) {
        y.append("    group-by: ").append(group).append('\n');
      }
      y.append("    severity: low\n");
    }
    return y.toString();
  }

  /** The load bench's reference rows, as the GlobalKTables would hold them. */
  private static ReferenceLookup referenceLookup() {
    Map<String, Resource> refs = new HashMap<>();
    for (ReferenceRecord r : ReferenceFile.parse(AuditStreamsLoadBench.REFERENCE_CSV).records()) {
      refs.put(r.topic().name() + "|" + r.key(), r.resource());
    }
    return new ReferenceLookup() {
      @Override
      public @Nullable Resource person(String userId) {
        return refs.get(Topics.REFERENCE_PEOPLE.name() + "|" + userId);
      }

      @Override
      public @Nullable Resource patient(String key) {
        return refs.get(Topics.REFERENCE_PATIENTS.name() + "|" + key);
      }

      @Override
      public @Nullable Resource node(String key) {
        return refs.get(Topics.REFERENCE_NODES.name() + "|" + key);
      }
    };
  }

  /** Every enabled rule on one event (the events of the corpus round-robin). */
  @Benchmark
  public List<Observation> evaluateEvent() {
    int i = next;
    next = (i + 1) % events.size();
    return matcher.observe(events.get(i));
  }

  /**
   * The floor of {@link #evaluateEvent}: the one search-parameter projection ({@link EventValues})
   * every rule of the event shares, alone.
   */
  @Benchmark
  public EventValues projectEvent() {
    int i = next;
    next = (i + 1) % events.size();
    return EventValues.of(events.get(i));
  }

  /**
   * How many events the corpus gives and how many rules are enabled (for the report); then, with
   * arguments {@code rounds passes warm-up}, this thread's own CPU time per {@link #evaluateEvent}
   * over {@code passes} passes of {@code rounds} events after {@code warm-up} unmeasured passes:
   * min, quartile and median, which waits for a core on a shared machine do not inflate as they do
   * JMH's wall-clock time.
   */
  public static void main(String[] args) {
    AlertRulesBenchmarks b = new AlertRulesBenchmarks();
    AlertRules rules = RulesFile.parse("bench-rules.yaml", rulesYaml());
    int observations = 0;
    for (AuditEvent e : b.events) {
      observations += b.matcher.observe(e).size();
    }
    System.out.printf(
        "%d events, %d enabled rules, %d observations%n",
        b.events.size(), rules.enabled().size(), observations);
    if (args.length < 3) {
      return;
    }
    int rounds = Integer.parseInt(args[0]);
    int passes = Integer.parseInt(args[1]);
    int warmUp = Integer.parseInt(args[2]);
    java.lang.management.ThreadMXBean cpu =
        java.lang.management.ManagementFactory.getThreadMXBean();
    double[] micros = new double[passes];
    long sink = 0;
    for (int pass = -warmUp; pass < passes; pass++) {
      long t0 = cpu.getCurrentThreadCpuTime();
      for (int i = 0; i < rounds; i++) {
        sink += b.evaluateEvent().size();
      }
      long t1 = cpu.getCurrentThreadCpuTime();
      if (pass >= 0) {
        micros[pass] = (t1 - t0) / 1000.0 / rounds;
      }
    }
    java.util.Arrays.sort(micros);
    System.out.printf(
        "evaluateEvent CPU us/event over %d passes of %d: min %.2f, p25 %.2f, median %.2f,"
            + " max %.2f (%d observations)%n",
        passes,
        rounds,
        micros[0],
        micros[passes / 4],
        micros[passes / 2],
        micros[passes - 1],
        sink);
  }
}
