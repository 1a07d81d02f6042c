package org.atnabridge.atna.fhir;

import java.util.Arrays;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.hl7.fhir.r5.model.ResourceType;
import org.jspecify.annotations.Nullable;

/**
 * A ParticipantObjectID that is a relative FHIR literal reference, {@code Type/id} (FHIR R5
 * Reference.reference, a literal reference relative to the server's base), as IHE's FHIR
 * transactions audit the resource they touched (PDQm ITI-78, PIXm ITI-83: {@code Patient/123}).
 * Such an id becomes {@code Reference.reference} as well (BALP IHE.BasicAudit.Patient* {@code
 * entity:patient.what} is Reference(Patient) and its examples use {@code what.reference}); anything
 * else — an absolute URL, an HL7 v2 CX, a plain id — stays an identifier only.
 */
final class RelativeReference {

  /** The FHIR R5 datatype {@code id}: {@code [A-Za-z0-9\-\.]{1,64}}. */
  private static final String ID = "[A-Za-z0-9\\-.]{1,64}";

  /**
   * {@code Type/id} only: a versioned {@code Type/id/_history/vid} stays an identifier, because
   * HAPI's encoder strips the version from a reference (its default parser options) while the
   * product's own writer keeps it, so the stored event would read differently by the way it is
   * served.
   */
  private static final Pattern LITERAL = Pattern.compile("([A-Z][A-Za-z]*)/" + ID);

  /**
   * Every R5 resource type name: HAPI's R5 model enum ({@code name()} is the code), without its
   * {@code Custom} placeholder — the set {@code FhirContext.getResourceTypes()} gives, without
   * building a context on the conversion path.
   */
  private static final Set<String> R5_TYPES =
      Arrays.stream(ResourceType.values())
          .filter(t -> t != ResourceType.Custom)
          .map(ResourceType::name)
          .collect(Collectors.toUnmodifiableSet());

  private RelativeReference() {}

  /**
   * The id itself when it is a relative literal reference to an R5 resource type, and that type is
   * {@code expectedType} when one is given; otherwise null.
   */
  static @Nullable String of(@Nullable String id, @Nullable String expectedType) {
    if (id == null) {
      return null;
    }
    Matcher m = LITERAL.matcher(id);
    if (!m.matches()) {
      return null;
    }
    String type = m.group(1);
    if (!R5_TYPES.contains(type) || (expectedType != null && !expectedType.equals(type))) {
      return null;
    }
    return id;
  }

  /** The R5 resource type names this class accepts (for the test that checks them against HAPI). */
  static Set<String> resourceTypes() {
    return R5_TYPES;
  }
}
