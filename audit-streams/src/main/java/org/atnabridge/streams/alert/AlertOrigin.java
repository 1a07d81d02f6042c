package org.atnabridge.streams.alert;

import static org.atnabridge.schemas.vocab.CodeSystems.ALERT;
import static org.atnabridge.schemas.vocab.CodeSystems.ALERT_HANDLING;
import static org.atnabridge.schemas.vocab.CodeSystems.ALERT_ID;
import static org.atnabridge.schemas.vocab.CodeSystems.ALERT_RULE;
import static org.atnabridge.schemas.vocab.CodeSystems.RECORD_ORIGIN;
import static org.atnabridge.schemas.vocab.CodeSystems.SELF_AUDIT;

import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.CodeableConcept;
import org.hl7.fhir.r5.model.Coding;

/**
 * Which events the rules never evaluate, so that an alert can never trigger itself: the Security
 * Alert AuditEvents the engine writes (meta.tag {@code record-origin|alert}), and the product's
 * self-audit ({@code record-origin|self-audit}) about handling an alert: one that names an alert
 * (an entity identifier of the alert-id system) or an alert rule (a coding of the alert-rule
 * system). Other self-audit (e.g. the API's refused logins) is evaluated like any event. Also the
 * console's record of an officer handling an alert (an acknowledgement, posted through the feed
 * with a code of the alert-handling system): it is the product's audit of alert handling too, and
 * evaluating it would let acknowledging an alert raise another.
 */
final class AlertOrigin {

  private AlertOrigin() {}

  /** Marks an alert AuditEvent as the engine's own. */
  static void tag(AuditEvent e) {
    e.getMeta().addTag(RECORD_ORIGIN, ALERT, "written by the alert engine for a rule that fired");
  }

  static boolean skipped(AuditEvent e) {
    if (e.getMeta().getTag(RECORD_ORIGIN, ALERT) != null) {
      return true;
    }
    for (Coding coding : e.getCode().getCoding()) {
      if (ALERT_HANDLING.equals(coding.getSystem())) {
        return true;
      }
    }
    if (e.getMeta().getTag(RECORD_ORIGIN, SELF_AUDIT) == null) {
      return false;
    }
    if (alertRule(e.getCode())) {
      return true;
    }
    for (CodeableConcept c : e.getCategory()) {
      if (alertRule(c)) {
        return true;
      }
    }
    for (AuditEvent.AuditEventEntityComponent entity : e.getEntity()) {
      if (entity.getWhat().hasIdentifier()
          && ALERT_ID.equals(entity.getWhat().getIdentifier().getSystem())) {
        return true;
      }
    }
    return false;
  }

  private static boolean alertRule(CodeableConcept c) {
    for (Coding coding : c.getCoding()) {
      if (ALERT_RULE.equals(coding.getSystem())) {
        return true;
      }
    }
    return false;
  }
}
