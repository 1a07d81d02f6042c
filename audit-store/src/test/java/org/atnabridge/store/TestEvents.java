package org.atnabridge.store;

import java.time.Instant;
import java.util.Date;
import org.atnabridge.schemas.vocab.CodeSystems;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.CodeableConcept;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.Identifier;
import org.hl7.fhir.r5.model.Reference;

/** Small R5 AuditEvents for store tests; each method sets one more aspect. */
public final class TestEvents {

  public static final String MRN = "urn:oid:1.2.3.4";
  public static final String OTHER = "urn:oid:9.9.9";
  public static final String DCM = CodeSystems.DCM;

  private TestEvents() {}

  /** An event with id, recorded, action R, outcome 0, code DCM|110110, one agent and a source. */
  public static AuditEvent event(String id, Instant recorded) {
    AuditEvent e = new AuditEvent();
    e.setId(id);
    e.setRecorded(Date.from(recorded));
    e.setAction(AuditEvent.AuditEventAction.R);
    e.setCode(new CodeableConcept(new Coding(DCM, "110110", "Patient Record")));
    e.addCategory(new CodeableConcept(new Coding(DCM, "110110", "Patient Record")));
    e.setOutcome(
        new AuditEvent.AuditEventOutcomeComponent(
            new Coding(CodeSystems.AUDIT_EVENT_OUTCOME, "0", "Success")));
    e.addAgent()
        .setWho(
            new Reference()
                .setIdentifier(new Identifier().setSystem("urn:users").setValue("alice")));
    e.getSource()
        .setObserver(
            new Reference()
                .setIdentifier(new Identifier().setSystem("urn:hosts").setValue("ehr-1")));
    return e;
  }

  public static AuditEvent withPatient(
      AuditEvent e, @org.jspecify.annotations.Nullable String system, String value) {
    Identifier id = new Identifier().setValue(value);
    if (system != null) {
      id.setSystem(system);
    }
    e.setPatient(new Reference().setIdentifier(id));
    return e;
  }

  public static AuditEvent withPatientReference(AuditEvent e, String reference) {
    e.setPatient(new Reference(reference));
    return e;
  }

  public static AuditEvent withAction(AuditEvent e, AuditEvent.AuditEventAction action) {
    e.setAction(action);
    return e;
  }

  public static AuditEvent withAgent(AuditEvent e, String userId) {
    e.getAgentFirstRep()
        .setWho(
            new Reference()
                .setIdentifier(new Identifier().setSystem("urn:users").setValue(userId)));
    return e;
  }
}
