package org.atnabridge.search.r4;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeResourceDefinition;
import java.util.Set;
import java.util.TreeSet;
import org.atnabridge.store.SearchField;

/**
 * The AuditEvent search parameters of the R4 base: ITI-81 on R4 and the BALP ARR
 * CapabilityStatement name them with FHIR R4 names ({@code type}, {@code subtype}, {@code address},
 * {@code entity-type}, chained {@code .identifier}, ...). Each is a name or alias of a row of the
 * one parameter table ({@link SearchField}) the R5 base reads too, so a filter means the same on
 * both bases; the R5-only names ({@code category}, {@code code}, {@code based-on}, {@code
 * encounter}) are not offered here.
 */
public final class R4SearchParameters {

  /** HAPI's R4 context (cached: built once per JVM). */
  static final FhirContext R4 = FhirContext.forR4Cached();

  /**
   * R5 {@code purpose} ({@code authorization} and {@code agent.authorization}, R4 {@code
   * purposeOfEvent} and {@code agent.purposeOfUse}): no R4 AuditEvent parameter, but BALP's
   * purposeOfUse is what an officer asks for.
   */
  private static final Set<String> EXTRA = Set.of("purpose");

  /** The names, sorted. */
  public static final Set<String> NAMES = names();

  private R4SearchParameters() {}

  private static Set<String> names() {
    RuntimeResourceDefinition r4 = R4.getResourceDefinition("AuditEvent");
    Set<String> names = new TreeSet<>();
    for (SearchField f : SearchField.fhirParameters()) {
      for (String name : f.names()) {
        if (r4.getSearchParam(name) != null || EXTRA.contains(name)) {
          names.add(name);
        }
      }
    }
    return java.util.Collections.unmodifiableSet(names);
  }
}
