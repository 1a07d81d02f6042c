package org.atnabridge.search.feed;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.atnabridge.schemas.vocab.CodeSystems;
import org.atnabridge.schemas.vocab.Extensions;
import org.atnabridge.search.conformance.ConvertedVectors;
import org.atnabridge.search.conformance.ConvertedVectors.Vector;
import org.atnabridge.search.r4.R4Projection;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.CodeableConcept;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.DataType;
import org.hl7.fhir.r5.model.Extension;
import org.hl7.fhir.r5.model.Identifier;
import org.hl7.fhir.r5.model.PrimitiveType;
import org.hl7.fhir.r5.model.Reference;
import org.hl7.fhir.r5.model.StringType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * R5 → R4 ({@link R4Projection}) → R5 (the feed's {@link R4AuditEvents}) keeps what an event says,
 * for every event converted from the test inputs: what the two directions map is each other's
 * inverse. Compared: category, code, action, recorded, outcome, authorizations, every agent (type,
 * role, who, requestor, network with its type, alternative user id), source, every entity (what,
 * role, query, details, lifecycle, description), the patient and meta.tag. What R4 cannot hold is
 * normalised on the original side: several outcome details become one {@code outcomeDesc}, BALP's
 * query string moves from a query detail to the description, R5's {@code search-compartment} is
 * R4's {@code search}.
 */
class R4RoundTripTest {

  static Stream<Vector> vectors() {
    return ConvertedVectors.all().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void r5ToR4ToR5_keepsWhatTheEventSays(Vector vector) {
    assertThat(vector.events()).isNotEmpty();
    for (AuditEvent original : vector.events()) {
      org.hl7.fhir.r4.model.AuditEvent r4 = R4Projection.toR4(original);
      String body = FhirContext.forR4Cached().newJsonParser().encodeResourceToString(r4);
      AuditEvent back = (AuditEvent) R4AuditEvents.toR5(r4, body);
      assertThat(summary(back))
          .as("%s → AuditEvent/%s", vector.name(), original.getIdPart())
          .containsExactlyElementsOf(summary(original));
    }
  }

  /** The event's statements as lines, in the terms both versions can hold. */
  private static List<String> summary(AuditEvent e) {
    List<String> s = new ArrayList<>();
    s.add("category " + codings(e.getCategoryFirstRep()));
    s.add(
        "code "
            + codings(e.getCode())
                .replace(
                    CodeSystems.RESTFUL_INTERACTION + "|search-compartment",
                    CodeSystems.RESTFUL_INTERACTION + "|search"));
    s.add("action " + e.getAction());
    s.add("recorded " + e.getRecordedElement().getValueAsString());
    s.add("outcome " + coding(e.getOutcome().getCode()));
    s.add(
        "outcomeDesc "
            + e.getOutcome().getDetail().stream()
                .filter(CodeableConcept::hasText)
                .map(CodeableConcept::getText)
                .collect(Collectors.joining("; ")));
    e.getAuthorization().forEach(a -> s.add("authorization " + codings(a)));
    e.getAgent()
        .forEach(
            a -> {
              s.add("agent type " + codings(a.getType()));
              a.getRole().forEach(r -> s.add("  role " + codings(r)));
              s.add("  who " + reference(a.getWho()));
              s.add("  requestor " + a.getRequestor());
              s.add("  network " + (a.hasNetwork() ? a.getNetwork().primitiveValue() : ""));
              s.add("  network type " + networkType(a));
              a.getAuthorization().forEach(p -> s.add("  purposeOfUse " + codings(p)));
              s.add(
                  "  altId "
                      + extensionValue(a.getExtension(), Extensions.HL7_ALTERNATIVE_USER_ID));
            });
    s.add("source " + reference(e.getSource().getObserver()));
    e.getSource().getType().forEach(t -> s.add("  source type " + codings(t)));
    s.add(
        "  site "
            + (e.getSource().getSite().hasIdentifier()
                ? e.getSource().getSite().getIdentifier().getValue()
                : e.getSource().getSite().getDisplay()));
    e.getEntity()
        .forEach(
            en -> {
              s.add("entity " + reference(en.getWhat()));
              s.add("  role " + codings(en.getRole()));
              s.add(
                  "  query "
                      + (en.hasQuery() ? Base64.getEncoder().encodeToString(en.getQuery()) : ""));
              String description = description(en);
              for (var d : en.getDetail()) {
                if (d.getType().getText() != null
                    && d.getType().getText().equals("query-string")
                    && description.isEmpty()) {
                  description = d.getValue().primitiveValue();
                } else {
                  s.add("  detail " + d.getType().getText() + "=" + d.getValue().primitiveValue());
                }
              }
              s.add("  description " + description);
              s.add("  lifecycle " + extensionValue(en.getExtension(), Extensions.HL7_LIFECYCLE));
              en.getSecurityLabel().forEach(l -> s.add("  securityLabel " + codings(l)));
            });
    // the feed takes the patient from the patient entity, whose identifier may carry a type
    Reference patient = e.getPatient();
    s.add(
        "patient "
            + patient.getReference()
            + "|"
            + (patient.hasIdentifier()
                ? patient.getIdentifier().getSystem() + "|" + patient.getIdentifier().getValue()
                : ""));
    e.getMeta().getTag().forEach(t -> s.add("tag " + coding(t)));
    return s;
  }

  private static String description(AuditEvent.AuditEventEntityComponent en) {
    Extension d = en.getExtensionByUrl(Extensions.PARTICIPANT_OBJECT_DESCRIPTION);
    Extension text = d == null ? null : d.getExtensionByUrl(Extensions.DESCRIPTION_TEXT);
    return text != null && text.getValue() instanceof StringType t ? t.getValue() : "";
  }

  /** The DICOM type a network address has, stated or implied by R5's form of it. */
  private static String networkType(AuditEvent.AuditEventAgentComponent a) {
    Extension t = a.getExtensionByUrl(Extensions.NETWORK_ACCESS_POINT_TYPE);
    if (t != null && t.getValue() instanceof Coding c) {
      return c.getCode();
    }
    if (!a.hasNetwork()) {
      return "";
    }
    String v = a.getNetwork().primitiveValue();
    if (v.startsWith("[")) {
      return "2";
    }
    return a.getNetwork() instanceof StringType ? (v.matches("[0-9.]+") ? "2" : "1") : "5";
  }

  private static String extensionValue(List<Extension> extensions, String url) {
    return extensions.stream()
        .filter(x -> url.equals(x.getUrl()))
        .map(x -> value(x.getValue()))
        .collect(Collectors.joining(","));
  }

  private static String value(DataType v) {
    if (v instanceof Identifier i) {
      return i.getValue();
    }
    if (v instanceof CodeableConcept c) {
      return codings(c);
    }
    if (v instanceof Coding c) {
      return coding(c);
    }
    return v instanceof PrimitiveType<?> p ? p.getValueAsString() : String.valueOf(v);
  }

  private static String reference(Reference r) {
    return r.getReference()
        + "|"
        + (r.hasIdentifier()
            ? r.getIdentifier().getSystem() + "|" + r.getIdentifier().getValue()
            : "")
        + "|"
        + (r.hasIdentifier() && r.getIdentifier().hasType()
            ? codings(r.getIdentifier().getType())
            : "")
        + "|"
        + r.getDisplay()
        + "|"
        + r.getType();
  }

  private static String codings(CodeableConcept c) {
    return c.getCoding().stream().map(R4RoundTripTest::coding).collect(Collectors.joining(","));
  }

  private static String coding(Coding c) {
    return c.getSystem() + "|" + c.getCode();
  }
}
