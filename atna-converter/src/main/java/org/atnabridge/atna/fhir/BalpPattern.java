package org.atnabridge.atna.fhir;

import org.atnabridge.schemas.vocab.CodeSystems;
import org.atnabridge.schemas.vocab.Profiles;

/**
 * The IHE BALP 1.1.4 patterns a DICOM audit message can be recognised as. The code written to
 * {@code meta.tag} ({@link CodeSystems#BALP_PATTERN}) is the BALP profile id.
 */
public enum BalpPattern {
  CREATE("IHE.BasicAudit.Create"),
  PATIENT_CREATE("IHE.BasicAudit.PatientCreate"),
  READ("IHE.BasicAudit.Read"),
  PATIENT_READ("IHE.BasicAudit.PatientRead"),
  UPDATE("IHE.BasicAudit.Update"),
  PATIENT_UPDATE("IHE.BasicAudit.PatientUpdate"),
  DELETE("IHE.BasicAudit.Delete"),
  PATIENT_DELETE("IHE.BasicAudit.PatientDelete"),
  QUERY("IHE.BasicAudit.Query"),
  PATIENT_QUERY("IHE.BasicAudit.PatientQuery");

  private final String profileId;

  BalpPattern(String profileId) {
    this.profileId = profileId;
  }

  /** The BALP profile id, e.g. {@code IHE.BasicAudit.PatientQuery}; the meta.tag code. */
  public String profileId() {
    return profileId;
  }

  /** The profile's canonical URL. */
  public String canonical() {
    return Profiles.BALP_BASE + profileId;
  }
}
