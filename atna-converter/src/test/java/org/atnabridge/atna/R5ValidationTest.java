package org.atnabridge.atna;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import java.util.List;
import java.util.stream.Stream;
import org.atnabridge.schemas.Fhir;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.r5.model.AuditEvent;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Output quality: every AuditEvent converted from every corpus message validates against the base
 * FHIR R5 AuditEvent StructureDefinition with zero errors (HAPI FhirInstanceValidator, offline,
 * validation-resources-r5). The support chain takes ~15 s to build, so one validator serves the
 * whole class.
 */
class R5ValidationTest {

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

  static Stream<String> vectors() {
    return Corpus.vectors().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void convertedEvent_validatesAgainstBaseR5_withZeroErrors(String vector) throws Exception {
    List<AuditEvent> events = new AtnaConverter().convert(Corpus.message(vector), Corpus.META);

    for (AuditEvent event : events) {
      ValidationResult result = VALIDATOR.validateWithResult(event);
      List<String> errors =
          result.getMessages().stream()
              .filter(m -> m.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal())
              .map(R5ValidationTest::describe)
              .toList();
      assertThat(errors).as("%s → AuditEvent/%s", vector, event.getIdPart()).isEmpty();
    }
  }

  private static String describe(SingleValidationMessage m) {
    return m.getSeverity() + " " + m.getLocationString() + ": " + m.getMessage();
  }
}
