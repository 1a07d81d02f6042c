package org.atnabridge.search;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import java.util.ArrayList;
import java.util.List;
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

  /**
   * The JSON answer exactly as the server sent it, validated as it is (so {@code integer64} must be
   * a JSON string on the wire), then parsed; returns the parsed resource.
   */
  public static Parameters assertValidParameters(String json) {
    Parameters p = Fhir.jsonParser().parseResource(Parameters.class, json);
    assertInv1(p);
    assertNoErrors(json, "Parameters");
    return p;
  }

  /**
   * A resource a client parsed, checked as the server writes it: HAPI's encoding put through the
   * server's own {@link Integer64JsonWriter} (the wire form is checked by {@link
   * #assertValidParameters}).
   */
  public static void assertValid(IBaseResource resource) {
    if (resource instanceof Parameters p) {
      assertInv1(p);
    }
    assertNoErrors(
        Integer64JsonWriter.quote(Fhir.jsonParser().encodeResourceToString(resource)),
        ((Resource) resource).fhirType());
  }

  private static void assertInv1(Parameters p) {
    assertThat(emptyParts(p.getParameter(), ""))
        .as("Parameters parts without value, resource or part (inv-1)")
        .isEmpty();
  }

  private static void assertNoErrors(String json, String type) {
    List<String> errors =
        validator().validateWithResult(json).getMessages().stream()
            .filter(m -> m.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal())
            .map(m -> m.getSeverity() + " " + m.getLocationString() + ": " + m.getMessage())
            .toList();
    assertThat(errors).as("validation of %s", type).isEmpty();
  }

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
      validator = newValidator(Fhir.context());
    }
    return validator;
  }

  /**
   * A validator of {@code ctx}'s FHIR version against its core definitions and code systems (no
   * terminology server): what this class and the R4 base's tests check with.
   */
  public static FhirValidator newValidator(FhirContext ctx) {
    ValidationSupportChain chain =
        new ValidationSupportChain(
            new DefaultProfileValidationSupport(ctx),
            new CommonCodeSystemsTerminologyService(ctx),
            new InMemoryTerminologyServerValidationSupport(ctx),
            new SnapshotGeneratingValidationSupport(ctx));
    FhirValidator v = ctx.newValidator();
    v.registerValidatorModule(new FhirInstanceValidator(chain));
    return v;
  }
}
