package org.atnabridge.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.atnabridge.schemas.vocab.CodeSystems;
import org.jspecify.annotations.Nullable;

/**
 * The criteria a reader's access adds to every search, decided in one place so that the FHIR API (a
 * search by the caller) and the Subscription matcher (events numbered for the subscription's
 * creator) cannot disagree about what that reader may see:
 *
 * <ul>
 *   <li>a patient-level reader sees only events whose {@code AuditEvent.patient} is its patient: a
 *       claim {@code system|value} matches that identifier exactly; a claim {@code ID} or {@code
 *       Patient/ID} matches the literal reference {@code Patient/ID}, and, with an identifier
 *       system {@code S} configured, also the identifier {@code S|ID} (ATNA messages carry
 *       identifiers, not FHIR ids). An identifier value alone never matches across systems.
 *   <li>label clearance on the v3-Confidentiality scale U &lt; L &lt; M &lt; N &lt; R &lt; V:
 *       events carrying a {@code meta.security} confidentiality code above the highest code the
 *       reader is cleared for are excluded; no clearance means {@link #DEFAULT_CLEARANCE} (N).
 * </ul>
 */
public final class AccessRestrictions {

  /** The v3-Confidentiality codes from least to most restricted. */
  public static final List<String> LEVELS = List.of("U", "L", "M", "N", "R", "V");

  /** The clearance of a reader cleared for nothing explicitly: restricted (R, V) needs more. */
  public static final String DEFAULT_CLEARANCE = "N";

  private AccessRestrictions() {}

  /**
   * The criteria to AND with whatever the reader asks.
   *
   * @param patientLevel whether the reader holds only patient-level access
   * @param patient the reader's patient ({@code system|value}, {@code ID} or {@code Patient/ID}),
   *     or null
   * @param identifierSystem the system a bare patient id is also matched under, or null
   * @param clearance the confidentiality codes the reader is cleared for (empty = default)
   * @return null when nothing is visible (a patient-level reader without a patient)
   */
  public static @Nullable List<Criterion> of(
      boolean patientLevel,
      @Nullable String patient,
      @Nullable String identifierSystem,
      Set<String> clearance) {
    List<Criterion> out = new ArrayList<>();
    if (patientLevel) {
      if (patient == null) {
        return null;
      }
      out.add(patientCriterion(patient, identifierSystem));
    }
    List<String> above = above(clearance);
    if (!above.isEmpty()) {
      out.add(
          new Criterion.Token(
              SearchField.SECURITY,
              above.stream()
                  .map(code -> new IdentifierToken(CodeSystems.V3_CONFIDENTIALITY, code))
                  .toList(),
              true));
    }
    return out;
  }

  /**
   * The confidentiality codes above the highest code in {@code clearance}. An unknown code counts
   * for nothing, so a clearance of only unknown codes excludes every labelled event: a typo never
   * widens access.
   */
  public static List<String> above(Set<String> clearance) {
    int top = LEVELS.indexOf(DEFAULT_CLEARANCE);
    if (!clearance.isEmpty()) {
      top = clearance.stream().mapToInt(LEVELS::indexOf).max().orElse(top);
    }
    return LEVELS.subList(top + 1, LEVELS.size());
  }

  /** The events whose patient is {@code patient}, as described on this class. */
  public static Criterion.Reference patientCriterion(
      String patient, @Nullable String identifierSystem) {
    int bar = patient.indexOf('|');
    if (bar > 0 && bar < patient.length() - 1) {
      return new Criterion.Reference(
          SearchField.PATIENT,
          List.of(
              Criterion.ReferenceValue.identifier(
                  new IdentifierToken(patient.substring(0, bar), patient.substring(bar + 1)))));
    }
    String id = patient.startsWith("Patient/") ? patient.substring("Patient/".length()) : patient;
    List<Criterion.ReferenceValue> anyOf = new ArrayList<>();
    anyOf.add(Criterion.ReferenceValue.literal("Patient/" + id));
    if (identifierSystem != null) {
      anyOf.add(Criterion.ReferenceValue.identifier(new IdentifierToken(identifierSystem, id)));
    }
    return new Criterion.Reference(SearchField.PATIENT, anyOf);
  }
}
