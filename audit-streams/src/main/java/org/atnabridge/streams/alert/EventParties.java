package org.atnabridge.streams.alert;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.atnabridge.schemas.alert.Alert;
import org.atnabridge.schemas.vocab.CodeSystems;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.Reference;
import org.jspecify.annotations.Nullable;

/** The users, systems and patients of one AuditEvent, as an alert names them. */
final class EventParties {

  /** object-role 1 "Patient" (DICOM ParticipantObjectTypeCodeRole 1). */
  static final String PATIENT_ROLE = "1";

  private EventParties() {}

  /** Every agent's {@code who}, in order, each once. */
  static List<Alert.Party> agents(AuditEvent e) {
    Set<Alert.Party> out = new LinkedHashSet<>();
    for (AuditEvent.AuditEventAgentComponent a : e.getAgent()) {
      if (a.hasWho()) {
        add(out, a.getWho());
      }
    }
    return List.copyOf(out);
  }

  /** {@code AuditEvent.patient} and every entity whose role is Patient, each once. */
  static List<Alert.Party> patients(AuditEvent e) {
    Set<Alert.Party> out = new LinkedHashSet<>();
    for (Reference r : patientReferences(e)) {
      add(out, r);
    }
    return List.copyOf(out);
  }

  /** The references of {@link #patients}: {@code patient} and the Patient-role entities. */
  static List<Reference> patientReferences(AuditEvent e) {
    List<Reference> out = new ArrayList<>();
    if (e.hasPatient()) {
      out.add(e.getPatient());
    }
    for (AuditEvent.AuditEventEntityComponent entity : e.getEntity()) {
      if (entity.hasWhat() && isPatient(entity)) {
        out.add(entity.getWhat());
      }
    }
    return out;
  }

  private static boolean isPatient(AuditEvent.AuditEventEntityComponent entity) {
    for (Coding c : entity.getRole().getCoding()) {
      if (CodeSystems.OBJECT_ROLE.equals(c.getSystem()) && PATIENT_ROLE.equals(c.getCode())) {
        return true;
      }
    }
    String ref = entity.getWhat().getReference();
    return ref != null && ref.startsWith("Patient/");
  }

  private static void add(Set<Alert.Party> out, Reference r) {
    String system = r.hasIdentifier() ? blankToNull(r.getIdentifier().getSystem()) : null;
    String value = r.hasIdentifier() ? blankToNull(r.getIdentifier().getValue()) : null;
    String reference = blankToNull(r.getReference());
    if (reference == null && value == null) {
      return;
    }
    out.add(new Alert.Party(reference, system, value, blankToNull(r.getDisplay())));
  }

  private static @Nullable String blankToNull(@Nullable String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
