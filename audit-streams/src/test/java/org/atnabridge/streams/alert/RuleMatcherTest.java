package org.atnabridge.streams.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.atnabridge.streams.alert.TestEvents.event;
import static org.atnabridge.streams.alert.TestEvents.failed;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.atnabridge.streams.alert.rules.AlertRules;
import org.atnabridge.streams.alert.rules.RulesFile;
import org.atnabridge.streams.enrich.ReferenceLookup;
import org.hl7.fhir.r5.model.AuditEvent;
import org.junit.jupiter.api.Test;

/**
 * Stage 1's per-event work without Kafka: every rule reads one projection of the event and decides
 * as it did on the event itself.
 */
class RuleMatcherTest {

  private static final Instant T0 = Instant.parse("2026-11-30T09:00:00Z");

  private static final AlertRules RULES =
      RulesFile.parse(
          "rules.yaml",
          """
          rules:
            - id: failures
              title: Failures
              kind: match
              where: "outcome:not=0"
              group-by: agent.identifier
              severity: low
            - id: reads
              title: Reads
              kind: match
              where: "action=R&patient:missing=false"
              severity: low
            - id: reads-fhirpath
              title: Reads (FHIRPath)
              kind: match
              fhirpath: "action = 'R'"
              severity: low
          """);

  private final RuleMatcher matcher = new RuleMatcher(() -> RULES, ReferenceLookup.empty());

  @Test
  void observe_everyRuleOnOneProjection() {
    List<Observation> out = matcher.observe(failed(event("e1", T0, "alice", "p1")));

    assertThat(out)
        .extracting(Observation::ruleId, Observation::group, Observation::eventId)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("failures", "|alice", "AuditEvent/e1"),
            org.assertj.core.groups.Tuple.tuple("reads", "", "AuditEvent/e1"),
            org.assertj.core.groups.Tuple.tuple("reads-fhirpath", "", "AuditEvent/e1"));
    assertThat(matcher.observe(event("e2", T0, "bob", null)))
        .extracting(Observation::ruleId)
        .containsExactly("reads-fhirpath");
  }

  @Test
  void eventThatCannotBeProjected_failsTheSearchRulesOnly_asOnTheEventItself() {
    AuditEvent noRecorded = failed(event("e3", T0, "alice", "p1"));
    noRecorded.setRecorded(null);
    List<String> ruleIds = new ArrayList<>();

    matcher.observe(noRecorded, "e3", T0.toEpochMilli(), (rule, o) -> ruleIds.add(o.ruleId()));

    assertThat(ruleIds).containsExactly("reads-fhirpath");
  }
}
