package org.atnabridge.streams.reference;

import static org.atnabridge.schemas.vocab.CodeSystems.V3_ACT_CODE;
import static org.atnabridge.schemas.vocab.CodeSystems.V3_CONFIDENTIALITY;

import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.Device;
import org.hl7.fhir.r5.model.HumanName;
import org.hl7.fhir.r5.model.Identifier;
import org.hl7.fhir.r5.model.Organization;
import org.hl7.fhir.r5.model.Patient;
import org.hl7.fhir.r5.model.Practitioner;
import org.hl7.fhir.r5.model.PractitionerRole;
import org.hl7.fhir.r5.model.Resource;
import org.jspecify.annotations.Nullable;

/**
 * What the enrichment takes from a reference resource: its literal reference, display and labels.
 */
public final class ReferenceResources {

  /** Confidentiality codes from least to most restrictive. */
  public static final List<String> CONFIDENTIALITY_CODES = List.of("U", "L", "M", "N", "R", "V");

  private ReferenceResources() {}

  /** {@code Type/id}, or null when the resource has no id. */
  public static @Nullable String reference(Resource r) {
    return r.getIdElement().hasIdPart() ? r.fhirType() + "/" + r.getIdElement().getIdPart() : null;
  }

  public static @Nullable String display(Resource r) {
    return switch (r) {
      case Practitioner p -> name(p.getName());
      case Patient p -> name(p.getName());
      case Organization o -> o.hasName() ? o.getName() : null;
      case Device d ->
          d.hasDisplayName()
              ? d.getDisplayName()
              : d.hasName() ? d.getNameFirstRep().getValue() : null;
      case PractitionerRole pr ->
          pr.getPractitioner().hasDisplay()
              ? pr.getPractitioner().getDisplay()
              : pr.hasCode() ? pr.getCodeFirstRep().getText() : null;
      default -> null;
    };
  }

  /** The resource's identifiers (each key form is decided by the topic; see {@code Topics}). */
  public static List<Identifier> identifiers(Resource r) {
    return switch (r) {
      case Practitioner p -> p.getIdentifier();
      case Patient p -> p.getIdentifier();
      case Organization o -> o.getIdentifier();
      case Device d -> d.getIdentifier();
      case PractitionerRole pr -> pr.getIdentifier();
      default -> List.of();
    };
  }

  /** Whether {@code r} has an identifier of exactly this system and value. */
  public static boolean hasIdentifier(Resource r, String system, String value) {
    return identifiers(r).stream()
        .anyMatch(i -> system.equals(i.getSystem()) && value.equals(i.getValue()));
  }

  /**
   * Patient key: {@code system|value}. The loader refuses patients without a system; the bare value
   * (what records from before that rule may be keyed by) is never looked up.
   */
  public static String patientKey(@Nullable String system, String value) {
    return system == null || system.isEmpty() ? value : system + "|" + value;
  }

  /**
   * The security labels a patient passes on to events about it: its {@code meta.security} codings
   * of v3-Confidentiality and v3-ActCode (sensitivity such as CEL, EMP).
   */
  public static List<Coding> patientLabels(Resource r) {
    List<Coding> out = new ArrayList<>();
    for (Coding c : r.getMeta().getSecurity()) {
      if (V3_CONFIDENTIALITY.equals(c.getSystem()) || V3_ACT_CODE.equals(c.getSystem())) {
        out.add(new Coding(c.getSystem(), c.getCode(), c.getDisplay()));
      }
    }
    return out;
  }

  private static @Nullable String name(List<HumanName> names) {
    if (names.isEmpty()) {
      return null;
    }
    HumanName n = names.get(0);
    if (n.hasText()) {
      return n.getText();
    }
    String s = (n.getGivenAsSingleString() + " " + n.getFamily()).replace("null", "").trim();
    return s.isEmpty() ? null : s;
  }
}
