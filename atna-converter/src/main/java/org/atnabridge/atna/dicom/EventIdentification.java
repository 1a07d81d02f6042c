package org.atnabridge.atna.dicom;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * DICOM PS3.15 A.5 EventIdentification. Attribute values are kept as sent; the mapper validates
 * them.
 *
 * @param eventId EventID (DCM CID 400)
 * @param eventTypeCodes EventTypeCode 0..*
 * @param actionCode EventActionCode (C/R/U/D/E)
 * @param dateTime EventDateTime as sent (xs:dateTime, zone optional)
 * @param outcomeIndicator EventOutcomeIndicator (0/4/8/12)
 * @param outcomeDescription EventOutcomeDescription, null when absent or blank
 * @param purposesOfUse PurposeOfUse 0..* (IHE addition)
 */
public record EventIdentification(
    CodedValue eventId,
    List<CodedValue> eventTypeCodes,
    @Nullable String actionCode,
    @Nullable String dateTime,
    @Nullable String outcomeIndicator,
    @Nullable String outcomeDescription,
    List<CodedValue> purposesOfUse) {

  public EventIdentification {
    eventTypeCodes = List.copyOf(eventTypeCodes);
    purposesOfUse = List.copyOf(purposesOfUse);
  }
}
