package org.atnabridge.streams.alert;

import java.time.Instant;
import java.util.Date;
import org.atnabridge.schemas.vocab.CodeSystems;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.CodeableConcept;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.Identifier;
import org.hl7.fhir.r5.model.Reference;
import org.jspecify.annotations.Nullable;

/** Built AuditEvents for the engine's tests: one user, one patient, one source. */
final class TestEvents {

  static final String PATIENT_SYSTEM = "urn:oid:1.2.3.4";
  static final String SOURCE = "EHR-1";

  private TestEvents() {}

  /** A Patient Record read (DCM 110110) by {@code user} about {@code patient}, success. */
  static AuditEvent event(String id, Instant recorded, String user, @Nullable String patient) {
    AuditEvent e = new AuditEvent();
    e.setId(id);
    e.addCategory(new CodeableConcept(new Coding(CodeSystems.DCM, "110110", "Patient Record")));
    e.setCode(new CodeableConcept(new Coding(CodeSystems.DCM, "110110", "Patient Record")));
    e.setAction(AuditEvent.AuditEventAction.R);
    e.setRecorded(Date.from(recorded));
    e.getOutcome().setCode(new Coding(CodeSystems.AUDIT_EVENT_OUTCOME, "0", "Success"));
    e.addAgent()
        .setWho(new Reference().setIdentifier(new Identifier().setValue(user)).setDisplay(user))
        .setRequestor(true);
    if (patient != null) {
      e.setPatient(
          new Reference()
              .setIdentifier(new Identifier().setSystem(PATIENT_SYSTEM).setValue(patient)));
    }
    e.getSource().setObserver(new Reference().setIdentifier(new Identifier().setValue(SOURCE)));
    return e;
  }

  static AuditEvent failed(AuditEvent e) {
    e.getOutcome().setCode(new Coding(CodeSystems.AUDIT_EVENT_OUTCOME, "8", "Serious failure"));
    return e;
  }

  static AuditEvent agent(AuditEvent e, String user) {
    e.addAgent()
        .setWho(new Reference().setIdentifier(new Identifier().setValue(user)))
        .setRequestor(false);
    return e;
  }
}
