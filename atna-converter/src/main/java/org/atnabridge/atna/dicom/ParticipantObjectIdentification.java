package org.atnabridge.atna.dicom;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * DICOM PS3.15 A.5 ParticipantObjectIdentification.
 *
 * @param id ParticipantObjectID as sent (HL7 CX for patients), null when absent (IPF relaxation)
 * @param typeCode ParticipantObjectTypeCode (1..4)
 * @param typeCodeRole ParticipantObjectTypeCodeRole (1..24)
 * @param dataLifeCycle ParticipantObjectDataLifeCycle (1..15)
 * @param sensitivity ParticipantObjectSensitivity
 * @param idTypeCode ParticipantObjectIDTypeCode, null when missing
 * @param name ParticipantObjectName (element or attribute)
 * @param query ParticipantObjectQuery, base64 text as sent with XML whitespace removed
 * @param details ParticipantObjectDetail 0..*
 * @param descriptions ParticipantObjectDescription 0..*
 */
public record ParticipantObjectIdentification(
    @Nullable String id,
    @Nullable String typeCode,
    @Nullable String typeCodeRole,
    @Nullable String dataLifeCycle,
    @Nullable String sensitivity,
    @Nullable CodedValue idTypeCode,
    @Nullable String name,
    @Nullable String query,
    List<Detail> details,
    List<Description> descriptions) {

  public ParticipantObjectIdentification {
    details = List.copyOf(details);
    descriptions = List.copyOf(descriptions);
  }

  /** Patient subject: TypeCode 1 (Person) with role 1 (Patient), DICOM PS3.15 A.5.1. */
  public boolean isPatient() {
    return "1".equals(typeCode) && "1".equals(typeCodeRole);
  }

  /**
   * ParticipantObjectDetail: {@code value} is always base64 (xs:base64Binary, DICOM PS3.15 A.5.1).
   */
  public record Detail(String type, String value) {}

  /**
   * ParticipantObjectDescription: free text and/or the DICOM children (PS3.15 A.5.1).
   *
   * @param text text content, null when blank
   * @param mppsUids MPPS@UID
   * @param accessionNumbers Accession@Number
   * @param sopClasses SOPClass elements
   * @param studyUids ParticipantObjectContainsStudy/StudyIDs@UID
   * @param encrypted Encrypted (element text or attribute)
   * @param anonymized Anonymized (element text or attribute)
   */
  public record Description(
      @Nullable String text,
      List<String> mppsUids,
      List<String> accessionNumbers,
      List<SopClass> sopClasses,
      List<String> studyUids,
      @Nullable Boolean encrypted,
      @Nullable Boolean anonymized) {

    public Description {
      mppsUids = List.copyOf(mppsUids);
      accessionNumbers = List.copyOf(accessionNumbers);
      sopClasses = List.copyOf(sopClasses);
      studyUids = List.copyOf(studyUids);
    }
  }

  /** SOPClass@UID, @NumberOfInstances and its Instance@UID children. */
  public record SopClass(
      String uid, @Nullable String numberOfInstances, List<String> instanceUids) {
    public SopClass {
      instanceUids = List.copyOf(instanceUids);
    }
  }
}
