package org.atnabridge.streams.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.atnabridge.streams.alert.TestEvents.event;
import static org.atnabridge.streams.alert.TestEvents.failed;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.atnabridge.atna.AtnaConverter;
import org.atnabridge.atna.ConversionException;
import org.atnabridge.schemas.RawMetadata;
import org.atnabridge.streams.Samples;
import org.atnabridge.streams.alert.rules.AlertRule;
import org.atnabridge.streams.alert.rules.AlertRules;
import org.atnabridge.streams.alert.rules.MatchableEvent;
import org.atnabridge.streams.alert.rules.RulesFile;
import org.atnabridge.streams.alert.rules.ValueExpression;
import org.atnabridge.streams.enrich.ReferenceLookup;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.CodeableConcept;
import org.hl7.fhir.r5.model.Coding;
import org.junit.jupiter.api.Test;

/**
 * {@link RuleIndex}: a rule is left untested on an event only when its {@code where} requires a
 * term the event does not hold, and the event is projected onto the fields the rules read; so
 * {@link RuleMatcher} observes exactly what testing every rule on the whole event gives.
 */
class RuleIndexTest {

  private static final Instant T0 = Instant.parse("2026-11-30T09:00:00Z");

  /** Anchored, unanchored (negated, missing, strings, text, FHIRPath) and mixed conditions. */
  private static final List<String> CONDITIONS =
      List.of(
          "where: \"purpose=BTG\"",
          "where: \"code=http://dicom.nema.org/resources/ontology/DCM|110110&outcome:not=0\"",
          "where: \"category=110112&code=ITI-9\"",
          "where: \"outcome=4,8,12\"",
          "where: \"action=E&patient:missing=false\"",
          "where: \"_security=R,V\"",
          "where: \"agent-name=root\"",
          "where: \"address=10.0.0.66\"",
          "where: \"source:missing=true\"",
          "where: \"patient:missing=true\"",
          "where: \"outcome:not=0\"",
          "where: \"action:not=R\"",
          "where: \"entity-type=2&entity-role=1\"",
          "where: \"entity-name:contains=a\"",
          "where: \"_text=patient\"",
          "fhirpath: \"agent.where(requestor = true).exists()\"",
          "where: \"patient:missing=false\"\n    fhirpath: \"outcome.code.code = '0'\"",
          "where: \"code=110110\"\n    fhirpath: \"action = 'R'\"");

  private static final List<String> GROUPS =
      List.of("", "agent", "patient.identifier", "address", "fhirpath: agent.who.identifier.value");

  @Test
  void negatedMissingAndFhirPathRules_areTestedOnEveryEvent_anchoredOnesOnlyWhenTheTermIsHeld() {
    AlertRules rules =
        rules(
            List.of(
                "where: \"purpose=BTG\"",
                "where: \"outcome:not=0\"",
                "where: \"purpose:missing=true\"",
                "where: \"purpose:not=BTG\"",
                "fhirpath: \"action = 'R'\"",
                "where: \"agent-name=al\""),
            List.of(""));
    RuleIndex ix = RuleIndex.of(rules);
    AuditEvent plain = failed(event("e1", T0, "alice", "p1"));

    boolean[] tested = ix.candidates(new MatchableEvent(plain, ix.scope()));

    assertThat(tested).containsExactly(false, true, true, true, true, true);
    assertThat(ids(new RuleMatcher(() -> rules, ReferenceLookup.empty()).observe(plain)))
        .containsExactly("r1", "r2", "r3", "r4", "r5");

    AuditEvent btg = event("e2", T0, "alice", "p1");
    btg.addAuthorization(
        new CodeableConcept(
            new Coding("http://terminology.hl7.org/CodeSystem/v3-ActReason", "BTG", null)));
    assertThat(ix.candidates(new MatchableEvent(btg, ix.scope()))[0]).isTrue();
    assertThat(ids(new RuleMatcher(() -> rules, ReferenceLookup.empty()).observe(btg)))
        .containsExactly("r0", "r4", "r5");
  }

  @Test
  void theIndexedMatcher_observesWhatEveryRuleOnTheWholeEventGives_overTheCorpus()
      throws Exception {
    AlertRules rules = rules(CONDITIONS, GROUPS);
    RuleMatcher matcher = new RuleMatcher(() -> rules, ReferenceLookup.empty());
    List<AuditEvent> corpus = corpus();
    int observed = 0;
    int pruned = 0;
    RuleIndex ix = RuleIndex.of(rules);
    for (AuditEvent e : corpus) {
      List<String> expected = new ArrayList<>();
      for (AlertRule rule : rules.enabled()) {
        for (String group : unindexedGroups(rule, e)) {
          expected.add(rule.id() + "/" + group);
        }
      }
      List<String> actual = new ArrayList<>();
      for (Observation o : matcher.observe(e)) {
        actual.add(o.ruleId() + "/" + o.group());
      }
      assertThat(actual).as(e.getIdPart()).isEqualTo(expected);
      observed += actual.size();
      for (boolean tested : ix.candidates(new MatchableEvent(e, ix.scope()))) {
        pruned += tested ? 0 : 1;
      }
    }
    assertThat(observed).isGreaterThan(corpus.size());
    assertThat(pruned).as("rules left untested").isGreaterThan(corpus.size());
  }

  @Test
  void hotReload_rebuildsTheIndex() {
    AlertRules[] current = {rules(List.of("where: \"purpose=BTG\""), List.of(""))};
    RuleMatcher matcher = new RuleMatcher(() -> current[0], ReferenceLookup.empty());
    AuditEvent plain = event("e1", T0, "alice", "p1");
    assertThat(matcher.observe(plain)).isEmpty();

    current[0] = rules(List.of("where: \"action=R\""), List.of(""));

    assertThat(ids(matcher.observe(plain))).containsExactly("r0");
  }

  /** The groups of a match rule on the event, each condition decided on the event itself. */
  private static List<String> unindexedGroups(AlertRule rule, AuditEvent e) {
    try {
      if (!rule.where().test(e)) {
        return List.of();
      }
      ValueExpression by = rule.groupBy();
      return by == null ? List.of("") : List.copyOf(new LinkedHashSet<>(by.values(e)));
    } catch (RuntimeException notEvaluable) { // as RuleMatcher: the condition is not met
      return List.of();
    }
  }

  private static List<String> ids(List<Observation> observations) {
    return observations.stream().map(Observation::ruleId).toList();
  }

  /** One match rule per condition and group-by, ids r0, r1, ... */
  private static AlertRules rules(List<String> conditions, List<String> groups) {
    StringBuilder y = new StringBuilder("rules:\n");
    int n = 0;
    for (String condition : conditions) {
      for (String group : groups) {
        y.append("  - id: r").append(n++).append('\n');
        y.append("    title: Rule\n    kind: match\n    severity: low\n");
        if (!condition.isEmpty()) {
          y.append("    ").append(condition).append('\n');
        }
        if (!group.isEmpty()) {
          y.append("    group-by: \"").append(group).append("\"\n");
        }
      }
    }
    return RulesFile.parse("rules.yaml", y.toString());
  }

  /** The converted shared corpus, plus built events with BTG, V labels and failures. */
  private static List<AuditEvent> corpus() throws Exception {
    List<AuditEvent> out = new ArrayList<>();
    AtnaConverter converter = new AtnaConverter();
    RawMetadata meta = new RawMetadata("tcp", Samples.PEER, T0, "syslog-tcp:5514");
    int n = 0;
    for (byte[] message : Samples.corpus()) {
      List<AuditEvent> events;
      try {
        events = converter.convert(message, meta);
      } catch (ConversionException notAnAuditMessage) {
        continue; // the corpus holds messages the converter refuses; they never reach the rules
      }
      for (AuditEvent e : events) {
        e.setId("c" + n++);
        out.add(e);
      }
    }
    AuditEvent btg = event("b1", T0, "bob", "p2");
    btg.addAuthorization(
        new CodeableConcept(
            new Coding("http://terminology.hl7.org/CodeSystem/v3-ActReason", "BTG", null)));
    out.add(btg);
    out.add(failed(event("f1", T0, "carol", null)));
    return out;
  }
}
