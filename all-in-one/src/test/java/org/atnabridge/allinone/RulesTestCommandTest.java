package org.atnabridge.allinone;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.schemas.alert.Alert;
import org.atnabridge.schemas.alert.AlertJson;
import org.atnabridge.schemas.vocab.CodeSystems;
import org.atnabridge.store.AuditEventMatcher;
import org.atnabridge.store.query.SearchParameters;
import org.atnabridge.streams.alert.rules.AlertRule;
import org.atnabridge.streams.alert.rules.AlertRules;
import org.atnabridge.streams.alert.rules.AlertSeverity;
import org.atnabridge.streams.alert.rules.EventCondition;
import org.atnabridge.streams.alert.rules.KindSpec;
import org.atnabridge.testing.TestVectors;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.Identifier;
import org.hl7.fhir.r5.model.Reference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rules test}'s reading and printing: ATNA XML, a file of syslog frames, AuditEvent JSON and
 * NDJSON each become events, and only the failed ones fire the {@code outcome:not=0} rule.
 */
class RulesTestCommandTest {

  @TempDir Path dir;

  @Test
  void everyInputKind_isRead_andTheAlertsOfTheMatchingEventsArePrinted() throws Exception {
    Path ndjson = dir.resolve("events.ndjson");
    Files.writeString(
        ndjson,
        Fhir.toJson(event("nd-ok", "0"))
            + "\n"
            + Fhir.toJson(event("nd-failed", "4"))
            + "\n\n"
            + "{\"resourceType\":\"Patient\"}\n");
    Path json = dir.resolve("event.json");
    Files.writeString(
        json,
        Fhir.jsonParser().setPrettyPrint(true).encodeResourceToString(event("json-failed", "8")));
    Path xml = TestVectors.root().resolve("rfc3881-legacy-xml/openatna-application-login.xml");
    Path frames = dir.resolve("frames.txt");
    byte[] frame =
        Files.readAllBytes(TestVectors.root().resolve("syslog-framed/ahdis-iti-47-atna-raw.txt"));
    Files.write(frames, concat(frame, "\n".getBytes(StandardCharsets.UTF_8), frame));
    assertThat(RulesTestInputs.messages(Files.readAllBytes(frames))).hasSize(2);

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        RulesTestCommand.run(
            rules(),
            List.of(ndjson.toString(), json.toString(), xml.toString(), frames.toString()),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    String errors = err.toString(StandardCharsets.UTF_8);
    assertThat(exit).as(errors).isEqualTo(1); // the Patient line
    assertThat(errors).contains(ndjson + ":4: NOT_AUDIT_EVENT");
    assertThat(errors).contains("3 alert(s) from 6 event(s)");
    List<Alert> alerts =
        out.toString(StandardCharsets.UTF_8)
            .lines()
            .map(l -> AlertJson.read(l.getBytes(StandardCharsets.UTF_8)))
            .toList();
    assertThat(alerts).extracting(a -> a.rule().id()).containsOnly("failures");
    assertThat(alerts)
        .flatExtracting(Alert::events)
        .contains("AuditEvent/nd-failed", "AuditEvent/json-failed")
        .hasSize(3);
  }

  private static AlertRules rules() {
    AuditEventMatcher m = AuditEventMatcher.of(SearchParameters.fromQueryString("outcome:not=0"));
    EventCondition where =
        new EventCondition() {
          @Override
          public boolean test(AuditEvent e) {
            return m.test(e);
          }

          @Override
          public String text() {
            return "outcome:not=0";
          }
        };
    AlertRule failures =
        new AlertRule(
            "failures",
            "Failures",
            null,
            AlertSeverity.MEDIUM,
            true,
            where,
            null,
            null,
            List.of(),
            new KindSpec.Match());
    return new AlertRules(List.of(), List.of(failures), Duration.ofMinutes(10));
  }

  private static AuditEvent event(String id, String outcome) {
    AuditEvent e = new AuditEvent();
    e.setId(id);
    e.setCode(
        new org.hl7.fhir.r5.model.CodeableConcept(new Coding(CodeSystems.DCM, "110110", null)));
    e.setRecorded(Date.from(java.time.Instant.parse("2026-11-30T09:00:00Z")));
    e.getOutcome().setCode(new Coding(CodeSystems.AUDIT_EVENT_OUTCOME, outcome, null));
    e.addAgent().setWho(new Reference().setIdentifier(new Identifier().setValue("alice")));
    e.getSource().setObserver(new Reference().setIdentifier(new Identifier().setValue("EHR")));
    return e;
  }

  private static byte[] concat(byte[]... parts) {
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    for (byte[] p : parts) {
      b.writeBytes(p);
    }
    return b.toByteArray();
  }
}
