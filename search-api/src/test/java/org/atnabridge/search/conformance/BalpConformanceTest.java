package org.atnabridge.search.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.atnabridge.schemas.vocab.Profiles;
import org.atnabridge.search.conformance.ConvertedVectors.Vector;
import org.atnabridge.search.r4.R4Projection;
import org.atnabridge.testing.ConformanceDoc;
import org.atnabridge.testing.TestVectors;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.UnknownCodeSystemWarningValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.utilities.npm.NpmPackage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * BALP conformance, proven rather than claimed: the R4 projection ({@link R4Projection}) of every
 * event converted from the test inputs is validated offline with HAPI's FhirInstanceValidator,
 * against the base R4 AuditEvent and, where the event's {@code meta.tag} claims a BALP pattern,
 * against that IHE BALP 1.1.4 profile (which the projection names in {@code meta.profile}). Any
 * error fails the test. The result is the {@code balp} section of {@code docs/conformance.md}.
 *
 * <p>Offline limits: BALP's dependency packages hl7.terminology.r4 6.5.0 and
 * hl7.fhir.uv.extensions.r4 5.2.0 are not available to the build, so codes of code systems that
 * neither the R4 core definitions nor BALP define (e.g. DICOM DCM, v3-ParticipationType in its THO
 * form) cannot be checked: the validator reports them as warnings, not errors ({@link
 * UnknownCodeSystemWarningValidationSupport}). Structure, cardinality, fixed and pattern values,
 * slicing (agent and entity slices by {@code type}), invariants and the bindings to BALP's and R4
 * core's own value sets are checked in full.
 */
class BalpConformanceTest {

  private static final String PACKAGE = "balp-r4-examples/ihe.iti.balp-1.1.4.tgz";

  private static FhirValidator validator;

  /** The BALP AuditEvent profile ids of the package, sorted. */
  private static final TreeSet<String> BALP_PROFILES = new TreeSet<>();

  @BeforeAll
  static void buildValidator() throws IOException {
    FhirContext ctx = FhirContext.forR4Cached();
    PrePopulatedValidationSupport balp = new PrePopulatedValidationSupport(ctx);
    NpmPackage pkg;
    try (InputStream in = TestVectors.path(PACKAGE).toUri().toURL().openStream()) {
      pkg = NpmPackage.fromPackage(in);
    }
    for (String file : pkg.listResources("StructureDefinition", "ValueSet", "CodeSystem")) {
      IBaseResource r;
      try (InputStream in = pkg.load("package", file)) {
        r = ctx.newJsonParser().parseResource(in);
      }
      balp.addResource(r);
      if (r instanceof StructureDefinition sd && "AuditEvent".equals(sd.getType())) {
        BALP_PROFILES.add(sd.getIdPart());
      }
    }
    UnknownCodeSystemWarningValidationSupport unknownCodeSystems =
        new UnknownCodeSystemWarningValidationSupport(ctx);
    unknownCodeSystems.setNonExistentCodeSystemSeverity(IValidationSupport.IssueSeverity.WARNING);
    ValidationSupportChain chain =
        new ValidationSupportChain(
            new DefaultProfileValidationSupport(ctx),
            balp,
            new CommonCodeSystemsTerminologyService(ctx),
            new InMemoryTerminologyServerValidationSupport(ctx),
            new SnapshotGeneratingValidationSupport(ctx),
            unknownCodeSystems);
    FhirInstanceValidator module = new FhirInstanceValidator(chain);
    module.setErrorForUnknownProfiles(true);
    validator = ctx.newValidator();
    validator.registerValidatorModule(module);
  }

  @Test
  void everyConvertedEvent_validatesAgainstBaseR4_andEveryClaimedBalpProfile_withZeroErrors() {
    assertThat(BALP_PROFILES).as("AuditEvent profiles of BALP 1.1.4").hasSizeGreaterThan(15);
    Map<String, Tally> byProfile = new TreeMap<>();
    Tally base = new Tally();
    List<String> errors = new ArrayList<>();
    int events = 0;
    for (Vector vector : ConvertedVectors.all()) {
      assertThat(vector.events()).as(vector.name()).isNotEmpty();
      for (org.hl7.fhir.r5.model.AuditEvent r5 : vector.events()) {
        events++;
        AuditEvent r4 = R4Projection.toR4(r5);
        String where = vector.name() + " → AuditEvent/" + r5.getIdPart();

        AuditEvent plain = r4.copy();
        plain.getMeta().getProfile().clear();
        base.add(vector.name(), validate(plain), where + " (base R4)", errors);

        for (CanonicalType p : r4.getMeta().getProfile()) {
          String profile = p.getValue().substring(Profiles.BALP_BASE.length());
          AuditEvent claimed = r4.copy();
          claimed.getMeta().getProfile().clear();
          claimed.getMeta().addProfile(p.getValue());
          byProfile
              .computeIfAbsent(profile, k -> new Tally())
              .add(vector.name(), validate(claimed), where + " (" + profile + ")", errors);
        }
      }
    }
    assertThat(byProfile.keySet()).as("claimed profiles are BALP's").isSubsetOf(BALP_PROFILES);

    AssertionError stale = null;
    try {
      ConformanceDoc.assertSection("balp", section(byProfile, base, events));
    } catch (AssertionError e) {
      stale = e;
    }
    assertThat(errors).as("validation errors").isEmpty();
    if (stale != null) {
      throw stale;
    }
  }

  private static List<SingleValidationMessage> validate(AuditEvent event) {
    return validator.validateWithResult(event).getMessages();
  }

  private static String section(Map<String, Tally> byProfile, Tally base, int events) {
    StringBuilder md = new StringBuilder();
    md.append("## BALP 1.1.4 (R4 projection)\n\n")
        .append("Generated by `search-api` `BalpConformanceTest`: the R4 projection of every event")
        .append(" converted from the test inputs (the shared corpus' dicom-audit-xml,")
        .append(" rfc3881-legacy-xml and syslog-framed messages; the access log converter's golden")
        .append(" inputs), validated offline with HAPI's FhirInstanceValidator against the base R4")
        .append(" AuditEvent and, for each event whose `meta.tag` claims a BALP pattern, against")
        .append(" that BALP 1.1.4 profile. A profile passes when every event claiming it validates")
        .append(" with zero errors.\n\n")
        .append("| Profile | Inputs claiming it | Events | Errors | Warnings | Result |\n")
        .append("|---|---|---:|---:|---:|---|\n");
    for (String profile : BALP_PROFILES) {
      Tally t = byProfile.get(profile);
      if (t == null) {
        md.append("| ").append(profile).append(" | not covered | 0 | – | – | not covered |\n");
      } else {
        md.append("| ")
            .append(profile)
            .append(" | ")
            .append(
                String.join(
                    ", ",
                    t.vectors.keySet().stream()
                        .map(v -> v + " (" + t.vectors.get(v) + ")")
                        .toList()))
            .append(" | ")
            .append(t.events)
            .append(" | ")
            .append(t.errors)
            .append(" | ")
            .append(t.warnings)
            .append(" | ")
            .append(t.errors == 0 ? "pass" : "FAIL")
            .append(" |\n");
      }
    }
    md.append("\nBase R4 AuditEvent: ")
        .append(events)
        .append(" events from ")
        .append(base.vectors.size())
        .append(" inputs, ")
        .append(base.errors)
        .append(" errors, ")
        .append(base.warnings)
        .append(" warnings: ")
        .append(base.errors == 0 ? "pass" : "FAIL")
        .append(".\n\n")
        .append("Offline limits: BALP's dependencies hl7.terminology.r4 6.5.0 and")
        .append(" hl7.fhir.uv.extensions.r4 5.2.0 are on neither Maven Central nor the npm")
        .append(" registry, so the validator has the R4 core definitions (which hold DICOM DCM,")
        .append(" object-role, audit-entity-type, restful-interaction and the v3 code systems")
        .append(" BALP's value sets draw from) and BALP's own code systems and value sets. Codes")
        .append(" of code systems known to neither (IHE's `urn:ihe:event-type-code`, this")
        .append(" repository's tag code systems, `urn:x-codesystemname:` and `urn:oid:` systems")
        .append(" from the audit messages) are warnings, not errors; so are codes outside an")
        .append(" extensible binding (R4 audit-event-sub-type, identifier-type,")
        .append(" participation-role-type, v3-PurposeOfUse; BALP's XrequestId in `entity.role`)")
        .append(" and the dom-6 narrative best practice. No check of a BALP profile is relaxed:")
        .append(" its fixed and pattern values, agent and entity slices, cardinalities,")
        .append(" invariants and required bindings are errors.\n");
    return md.toString();
  }

  /** Events, errors and warnings of one profile (or the base), and which inputs gave them. */
  private static final class Tally {
    final Map<String, Integer> vectors = new LinkedHashMap<>();
    int events;
    int errors;
    int warnings;

    void add(
        String vector, List<SingleValidationMessage> messages, String where, List<String> all) {
      vectors.merge(vector, 1, Integer::sum);
      events++;
      for (SingleValidationMessage m : messages) {
        if (m.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal()) {
          errors++;
          all.add(where + ": " + m.getLocationString() + " " + m.getMessage());
        } else if (m.getSeverity() == ResultSeverityEnum.WARNING) {
          warnings++;
        }
      }
    }
  }
}
