package org.atnabridge.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.atnabridge.schemas.Fhir;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.r5.model.AuditEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every AuditEvent converted from the golden inputs validates against the base FHIR R5 AuditEvent
 * with zero errors (HAPI FhirInstanceValidator, offline, validation-resources-r5), as the ATNA
 * converter's events do; and the bearer token in one golden line appears in none of them.
 */
class R5ValidationTest {

  /** The access_token value in nginx-fhir.log's last line. */
  private static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzbWFydCJ9.c2lnbg";

  private static final FhirValidator VALIDATOR = newValidator();

  private static FhirValidator newValidator() {
    FhirContext ctx = Fhir.context();
    ValidationSupportChain chain =
        new ValidationSupportChain(
            new DefaultProfileValidationSupport(ctx),
            new CommonCodeSystemsTerminologyService(ctx),
            new InMemoryTerminologyServerValidationSupport(ctx),
            new SnapshotGeneratingValidationSupport(ctx));
    FhirValidator validator = ctx.newValidator();
    validator.registerValidatorModule(new FhirInstanceValidator(chain));
    return validator;
  }

  static Stream<String> inputs() throws Exception {
    return GoldenLines.inputs();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("inputs")
  void everyGoldenEvent_validatesAgainstBaseR5_withZeroErrors(String input) throws Exception {
    List<AuditEvent> events = events(input);
    assertThat(events).isNotEmpty();
    for (AuditEvent event : events) {
      List<String> errors =
          VALIDATOR.validateWithResult(event).getMessages().stream()
              .filter(m -> m.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal())
              .map(R5ValidationTest::describe)
              .toList();
      assertThat(errors).as("%s → AuditEvent/%s", input, event.getIdPart()).isEmpty();
    }
  }

  @Test
  void theTokenInTheGoldenLines_appearsInNoEvent() throws Exception {
    assertThat(GoldenLines.lines("nginx-fhir.log")).anyMatch(l -> l.contains(TOKEN));
    String b64 = Base64.getEncoder().encodeToString(TOKEN.getBytes(StandardCharsets.UTF_8));
    for (String input : GoldenLines.inputs().toList()) {
      for (AuditEvent e : events(input)) {
        String json = Fhir.toJson(e);
        assertThat(json).doesNotContain(TOKEN).doesNotContain(TOKEN.substring(0, 20));
        assertThat(json).doesNotContain(b64.substring(0, 24));
        e.getEntity().stream()
            .filter(en -> en.hasQuery())
            .forEach(
                en ->
                    assertThat(new String(en.getQuery(), StandardCharsets.UTF_8))
                        .doesNotContain(TOKEN.substring(0, 20)));
      }
    }
  }

  private static List<AuditEvent> events(String input) throws Exception {
    AccessLogSource source = GoldenLines.sourceOf(input);
    List<AuditEvent> out = new ArrayList<>();
    for (String line : GoldenLines.lines(input)) {
      if (Lines.CONVERTER.convert(line, source, GoldenLines.ORIGIN)
          instanceof AccessLogConversion.Converted c) {
        out.addAll(c.events());
      }
    }
    return out;
  }

  private static String describe(SingleValidationMessage m) {
    return m.getSeverity() + " " + m.getLocationString() + ": " + m.getMessage();
  }
}
