package org.atnabridge.search;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.atnabridge.schemas.Fhir;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r5.model.Parameters;
import org.hl7.fhir.r5.model.Resource;

/**
 * Checks what an operation answers ({@code $access-report}, {@code $user-activity-report}, {@code
 * $stats}, {@code $verify}) against the base FHIR R5 definitions: HAPI's {@link
 * FhirInstanceValidator}, offline (validation-resources-r5), every message of severity error or
 * worse a failure; and, named on its own so that a failure says which part, FHIR's Parameters
 * invariant inv-1: every parameter and part has a value, a resource or parts. The support chain
 * takes seconds to build, so one validator serves every test of the JVM.
 */
public final class OperationOutputs {

  private static FhirValidator validator;

  private OperationOutputs() {}

  /** The JSON answer parsed and checked; returns the parsed resource. */
  public static Parameters assertValidParameters(String json) {
    Parameters p = Fhir.jsonParser().parseResource(Parameters.class, json);
    assertValid(p);
    return p;
  }

  public static void assertValid(IBaseResource resource) {
    if (resource instanceof Parameters p) {
      assertThat(emptyParts(p.getParameter(), ""))
          .as("Parameters parts without value, resource or part (inv-1)")
          .isEmpty();
    }
    List<String> errors =
        validator().validateWithResult(r5Json(resource)).getMessages().stream()
            .filter(m -> m.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal())
            .map(m -> m.getSeverity() + " " + m.getLocationString() + ": " + m.getMessage())
            .toList();
    assertThat(errors).as("validation of %s", ((Resource) resource).fhirType()).isEmpty();
  }

  /**
   * The resource as R5 JSON. HAPI (8.8) writes {@code integer64} as a JSON number where R5's JSON
   * format has a string ({@code "valueInteger64":"5"}, R5 JSON representation of primitive types),
   * and every report count is one. That one deviation of the library's encoder is put right here,
   * so that the validator judges what each operation answers.
   */
  private static String r5Json(IBaseResource resource) {
    return INTEGER64
        .matcher(Fhir.jsonParser().encodeResourceToString(resource))
        .replaceAll("\"valueInteger64\":\"$1\"");
  }

  private static final Pattern INTEGER64 = Pattern.compile("\"valueInteger64\":(-?[0-9]+)");

  private static List<String> emptyParts(
      List<Parameters.ParametersParameterComponent> parts, String path) {
    List<String> empty = new ArrayList<>();
    for (Parameters.ParametersParameterComponent p : parts) {
      String at = path + "/" + p.getName();
      if (!p.hasValue() && !p.hasResource() && !p.hasPart()) {
        empty.add(at);
      }
      empty.addAll(emptyParts(p.getPart(), at));
    }
    return empty;
  }

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
