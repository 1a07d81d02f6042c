package org.atnabridge.search.r4;

import org.hl7.fhir.convertors.factory.VersionConvertorFactory_40_50;
import org.hl7.fhir.r5.model.AuditEvent;

/**
 * The R4 representation of a stored R5 AuditEvent, as ITI-81 on R4 and the BALP 1.1.4 profiles
 * expect it: HL7's converter ({@code AuditEvent40_50}) plus what it drops or maps differently. The
 * stored R5 event is never changed.
 */
public final class R4Projection {

  private R4Projection() {}

  /** The R4 projection of {@code event}; {@code event} itself is left untouched. */
  public static org.hl7.fhir.r4.model.AuditEvent toR4(AuditEvent event) {
    return (org.hl7.fhir.r4.model.AuditEvent)
        VersionConvertorFactory_40_50.convertResource(event.copy());
  }
}
