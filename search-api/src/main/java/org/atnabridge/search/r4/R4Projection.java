package org.atnabridge.search.r4;

import org.atnabridge.schemas.vocab.CodeSystems;
import org.atnabridge.schemas.vocab.Profiles;
import org.hl7.fhir.convertors.factory.VersionConvertorFactory_40_50;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Coding;

/**
 * The R4 representation of a stored R5 AuditEvent, as ITI-81 on R4 and the BALP 1.1.4 profiles
 * expect it: HL7's converter ({@code AuditEvent40_50}) plus what it drops or maps differently. The
 * stored R5 event is never changed.
 *
 * <p>On top of the converter (which already gives {@code type} from {@code category[0]}, {@code
 * subtype} from {@code code}, {@code purposeOfEvent} and {@code agent.purposeOfUse} from the
 * authorizations, and {@code agent.type} as stored — the converters write the BALP agent types,
 * including the inverted client/server types of IHE.BasicAudit.Read):
 *
 * <ul>
 *   <li>{@code subtype} {@code search-compartment} (R5 only) as R4's {@code search};
 *   <li>{@code outcome} as the R4 code 0/4/8/12 and {@code outcomeDesc} ({@link R4Outcome});
 *   <li>{@code agent.name}, {@code altId}, {@code network} ({@link R4Agents});
 *   <li>{@code source.site} as a string;
 *   <li>{@code entity.type}, {@code name}, {@code description}, {@code lifecycle} ({@link
 *       R4Entities});
 *   <li>{@code meta.profile}: the BALP profile each {@code balp-pattern} tag claims, so R4
 *       validators and ITI-81 consumers check the event against it.
 * </ul>
 */
public final class R4Projection {

  private R4Projection() {}

  /** The R4 projection of {@code event}; {@code event} itself is left untouched. */
  public static org.hl7.fhir.r4.model.AuditEvent toR4(AuditEvent event) {
    // HAPI's getters create the elements they are asked for, so even reading would change the
    // caller's event: the helpers read a copy, and the converter gets its own (its outcome removed)
    AuditEvent r5 = event.copy();
    AuditEvent forConverter = r5.copy();
    // the converter throws on an R5 outcome code that is not 0/4/8/12; R4Outcome maps it instead
    forConverter.setOutcome(null);
    var r4 =
        (org.hl7.fhir.r4.model.AuditEvent)
            VersionConvertorFactory_40_50.convertResource(forConverter);
    R4Outcome.project(r5, r4);
    subtypes(r4);
    for (int i = 0; i < r5.getAgent().size() && i < r4.getAgent().size(); i++) {
      R4Agents.project(r5.getAgent().get(i), r4.getAgent().get(i));
    }
    site(r5, r4);
    for (int i = 0; i < r5.getEntity().size() && i < r4.getEntity().size(); i++) {
      R4Entities.project(r5.getEntity().get(i), r4.getEntity().get(i));
    }
    profiles(r5, r4);
    return r4;
  }

  /**
   * R5's {@code search-compartment} interaction is not in R4's restful-interaction code system; in
   * R4 a compartment search is a {@code search} (the parent of search-type and search-system, and
   * in BALP's AllSearchVS).
   */
  private static void subtypes(org.hl7.fhir.r4.model.AuditEvent r4) {
    for (var subtype : r4.getSubtype()) {
      if (CodeSystems.RESTFUL_INTERACTION.equals(subtype.getSystem())
          && "search-compartment".equals(subtype.getCode())) {
        subtype.setCode("search").setDisplay("search");
      }
    }
  }

  /** R5 {@code source.site} is a Reference(Location); R4's is the site's name (DICOM site ID). */
  private static void site(AuditEvent r5, org.hl7.fhir.r4.model.AuditEvent r4) {
    if (!r5.getSource().hasSite()) {
      return;
    }
    var site = r5.getSource().getSite();
    String value =
        site.hasIdentifier() && site.getIdentifier().hasValue()
            ? site.getIdentifier().getValue()
            : site.hasDisplay() ? site.getDisplay() : site.getReference();
    if (value != null && !value.isBlank()) {
      r4.getSource().setSite(value);
    }
  }

  /** Each BALP pattern the event's {@code meta.tag} claims becomes a {@code meta.profile}. */
  private static void profiles(AuditEvent r5, org.hl7.fhir.r4.model.AuditEvent r4) {
    for (Coding tag : r5.getMeta().getTag()) {
      if (CodeSystems.BALP_PATTERN.equals(tag.getSystem()) && tag.hasCode()) {
        String profile = Profiles.BALP_BASE + tag.getCode();
        if (!r4.getMeta().hasProfile(profile)) {
          r4.getMeta().addProfile(profile);
        }
      }
    }
  }
}
