package org.atnabridge.streams.alert;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.schemas.alert.Alert;
import org.atnabridge.schemas.alert.AlertJson;
import org.atnabridge.streams.alert.rules.AlertRule;
import org.atnabridge.streams.alert.rules.AlertSeverity;
import org.atnabridge.streams.alert.rules.KindSpec;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.r5.model.AuditEvent;
import org.junit.jupiter.api.Test;

/** Stage 3 on its own: alert ids, the alert's fields, and its AuditEvent against base R5. */
class AlertEmitterTest {

  private static final Instant T0 = Instant.parse("2026-11-30T09:00:00Z");
  private static final AlertRule THRESHOLD =
      new AlertRule(
          "login-failures",
          "Repeated login failures",
          null,
          AlertSeverity.MEDIUM,
          true,
          TestRules.where("outcome:not=0"),
          TestRules.AGENT_IDENTIFIER,
          Duration.ofMinutes(30),
          List.of("soc-webhook"),
          new KindSpec.Threshold(5, Duration.ofMinutes(5)));

  private static Firing firing(String group, int events, int patients) {
    return new Firing(
        "login-failures",
        group,
        T0.plusSeconds(40),
        T0,
        T0.plus(Duration.ofMinutes(5)),
        true,
        events,
        IntStream.range(0, Math.min(events, Alert.MAX_LISTED))
            .mapToObj(i -> "AuditEvent/e" + i)
            .toList(),
        List.of(new Alert.Party("Practitioner/doc", "urn:oid:2.999.9", "jdoe", "J. Doe")),
        IntStream.range(0, patients)
            .mapToObj(i -> new Alert.Party(null, TestEvents.PATIENT_SYSTEM, "p" + i, null))
            .toList(),
        "5 events within 5m for jdoe");
  }

  @Test
  void ids_dependOnTheFiringOnly_notOnWhenItWasDetected() {
    EmittedAlert a = AlertEmitter.emit(firing("jdoe", 5, 1), THRESHOLD, T0.plusSeconds(41));
    EmittedAlert again = AlertEmitter.emit(firing("jdoe", 5, 1), THRESHOLD, T0.plusSeconds(99));
    EmittedAlert other = AlertEmitter.emit(firing("mallory", 5, 1), THRESHOLD, T0.plusSeconds(41));
    EmittedAlert more = AlertEmitter.emit(firing("jdoe", 6, 1), THRESHOLD, T0.plusSeconds(41));
    assertThat(again.alert().id()).isEqualTo(a.alert().id());
    assertThat(again.event().getIdPart()).isEqualTo(a.event().getIdPart());
    assertThat(other.alert().id()).isNotEqualTo(a.alert().id());
    assertThat(more.alert().id()).isNotEqualTo(a.alert().id());
    assertThat(other.event().getIdPart()).isNotEqualTo(a.event().getIdPart());
  }

  @Test
  void alert_carriesTheRuleTheWindowAndTheFirst100Events_andReadsBackFromItsJson() {
    EmittedAlert emitted = AlertEmitter.emit(firing("jdoe", 150, 2), THRESHOLD, T0.plusSeconds(41));
    Alert a = emitted.alert();
    assertThat(a.group()).isEqualTo("jdoe");
    assertThat(a.rule().kind()).isEqualTo("threshold");
    assertThat(a.rule().severity()).isEqualTo("medium");
    assertThat(a.windowStart()).isEqualTo(T0);
    assertThat(a.late()).isTrue();
    assertThat(a.eventCount()).isEqualTo(150);
    assertThat(a.events()).hasSize(100);
    assertThat(AlertJson.read(AlertJson.write(a))).isEqualTo(a);

    AuditEvent e = emitted.event();
    assertThat(e.getSeverity().toCode()).isEqualTo("warning");
    assertThat(e.getOccurredPeriod().getStart().toInstant()).isEqualTo(T0);
    assertThat(e.hasPatient()).as("two patients: an entity each").isFalse();
    assertThat(e.getEntity()).hasSize(2 + 1 + 100);
    assertThat(e.getEntity().get(2).getDetail())
        .anySatisfy(d -> assertThat(d.getValueIntegerType().getValue()).isEqualTo(150))
        .anySatisfy(d -> assertThat(d.getType().getText()).isEqualTo("late"));
  }

  @Test
  void securityAlertEvent_validatesAgainstBaseR5_withZeroErrors() {
    for (Firing f : List.of(firing("jdoe", 150, 2), firing("", 1, 1), firing("x", 1, 0))) {
      AuditEvent e = AlertEmitter.emit(f, THRESHOLD, T0.plusSeconds(41)).event();
      List<String> errors =
          validator().validateWithResult(e).getMessages().stream()
              .filter(m -> m.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal())
              .map(m -> m.getLocationString() + ": " + m.getMessage())
              .toList();
      assertThat(errors).as(Fhir.toJson(e)).isEmpty();
    }
  }

  private static FhirValidator validator;

  private static synchronized FhirValidator validator() {
    if (validator == null) {
      FhirContext ctx = Fhir.context();
      ValidationSupportChain chain =
          new ValidationSupportChain(
              new DefaultProfileValidationSupport(ctx),
              new CommonCodeSystemsTerminologyService(ctx),
              new InMemoryTerminologyServerValidationSupport(ctx),
              new SnapshotGeneratingValidationSupport(ctx));
      FhirValidator v = ctx.newValidator();
      v.registerValidatorModule(new FhirInstanceValidator(chain));
      validator = v;
    }
    return validator;
  }
}
