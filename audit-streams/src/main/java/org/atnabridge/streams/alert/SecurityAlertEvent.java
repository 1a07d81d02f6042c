package org.atnabridge.streams.alert;

import static org.atnabridge.schemas.vocab.CodeSystems.ALERT_ID;
import static org.atnabridge.schemas.vocab.CodeSystems.ALERT_RULE;
import static org.atnabridge.schemas.vocab.CodeSystems.AUDIT_EVENT_OUTCOME;
import static org.atnabridge.schemas.vocab.CodeSystems.DCM;
import static org.atnabridge.schemas.vocab.CodeSystems.OBJECT_ROLE;
import static org.atnabridge.schemas.vocab.CodeSystems.SECURITY_SOURCE_TYPE;

import java.util.Date;
import org.atnabridge.schemas.alert.Alert;
import org.atnabridge.streams.alert.rules.AlertRule;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.BooleanType;
import org.hl7.fhir.r5.model.CodeableConcept;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.DateTimeType;
import org.hl7.fhir.r5.model.Identifier;
import org.hl7.fhir.r5.model.IntegerType;
import org.hl7.fhir.r5.model.Period;
import org.hl7.fhir.r5.model.Reference;
import org.hl7.fhir.r5.model.StringType;

/**
 * The AuditEvent of one alert (DICOM PS3.15 A.5.3.11 Security Alert, in FHIR R5): category DCM
 * 110113 "Security Alert"; code the rule id (alert-rule code system); severity the rule's; action
 * E; recorded when it was detected, occurred the window (or the firing event's time); outcome
 * success. Agents: the product as the reporting process (requestor), then the users and systems of
 * the triggering events. Patient: the one patient, or an entity per patient. Entities: the alert
 * (identifier of the alert-id system, with the event count, the summary and lateness as details)
 * and each listed triggering AuditEvent. Source: the product. Tagged {@code record-origin|alert} so
 * no rule evaluates it.
 */
final class SecurityAlertEvent {

  /** The product, as the source and the reporting process (the repository name the API uses). */
  static final String PRODUCT = "atna-bridge";

  static final String SECURITY_ALERT = "110113";

  private SecurityAlertEvent() {}

  static AuditEvent of(Alert alert, AlertRule rule) {
    AuditEvent e = new AuditEvent();
    e.setId(alert.auditEventId().substring(alert.auditEventId().indexOf('/') + 1));
    AlertOrigin.tag(e);
    e.addCategory(new CodeableConcept(new Coding(DCM, SECURITY_ALERT, "Security Alert")));
    e.setCode(new CodeableConcept(new Coding(ALERT_RULE, rule.id(), rule.title())));
    e.setSeverity(AuditEvent.AuditEventSeverity.fromCode(rule.severity().fhirCode()));
    e.setAction(AuditEvent.AuditEventAction.E);
    if (alert.windowStart() != null && alert.windowEnd() != null) {
      e.setOccurred(
          new Period()
              .setStart(Date.from(alert.windowStart()))
              .setEnd(Date.from(alert.windowEnd())));
    } else {
      e.setOccurred(new DateTimeType(Date.from(alert.firedAt())));
    }
    e.setRecorded(Date.from(alert.detectedAt()));
    e.getOutcome().setCode(new Coding(AUDIT_EVENT_OUTCOME, "0", "Success"));

    AuditEvent.AuditEventAgentComponent reporter = e.addAgent();
    reporter.setType(
        new CodeableConcept(new Coding(DCM, "110150", "Application")).setText("alert engine"));
    reporter.setWho(product());
    reporter.setRequestor(true);
    for (Alert.Party p : alert.agents()) {
      e.addAgent().setWho(reference(p)).setRequestor(false);
    }

    if (alert.patients().size() == 1) {
      e.setPatient(reference(alert.patients().get(0)));
    } else {
      for (Alert.Party p : alert.patients()) {
        e.addEntity()
            .setWhat(reference(p))
            .setRole(new CodeableConcept(new Coding(OBJECT_ROLE, "1", "Patient")));
      }
    }

    AuditEvent.AuditEventEntityComponent self = e.addEntity();
    self.setWhat(
        new Reference()
            .setIdentifier(new Identifier().setSystem(ALERT_ID).setValue(alert.id()))
            .setDisplay(rule.title()));
    self.addDetail()
        .setType(new CodeableConcept().setText("event-count"))
        .setValue(new IntegerType(alert.eventCount()));
    self.addDetail()
        .setType(new CodeableConcept().setText("summary"))
        .setValue(new StringType(alert.summary()));
    if (alert.late()) {
      self.addDetail()
          .setType(new CodeableConcept().setText("late"))
          .setValue(new BooleanType(true));
    }
    for (String event : alert.events()) {
      e.addEntity().setWhat(new Reference(event));
    }

    e.getSource()
        .setObserver(product())
        .addType(new CodeableConcept(new Coding(SECURITY_SOURCE_TYPE, "4", "Application Server")));
    return e;
  }

  private static Reference product() {
    return new Reference().setIdentifier(new Identifier().setValue(PRODUCT)).setDisplay(PRODUCT);
  }

  private static Reference reference(Alert.Party p) {
    Reference r = new Reference();
    if (p.reference() != null) {
      r.setReference(p.reference());
    }
    if (p.value() != null) {
      r.setIdentifier(new Identifier().setSystem(p.system()).setValue(p.value()));
    }
    if (p.display() != null) {
      r.setDisplay(p.display());
    }
    return r;
  }
}
