package org.atnabridge.atna.fhir;

import java.util.List;
import java.util.Locale;
import org.atnabridge.atna.dicom.ActiveParticipant;
import org.atnabridge.atna.dicom.AuditMessage;
import org.atnabridge.atna.dicom.CodedValue;
import org.atnabridge.atna.dicom.EventIdentification;
import org.atnabridge.atna.dicom.ParticipantObjectIdentification;
import org.atnabridge.schemas.vocab.CodeSystems;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.AuditEvent.AuditEventAgentComponent;
import org.hl7.fhir.r5.model.CodeableConcept;
import org.hl7.fhir.r5.model.Coding;
import org.jspecify.annotations.Nullable;

/**
 * Recognises the IHE BALP pattern a DICOM audit message matches (BALP 1.1.4 profiles) and shapes
 * the mapped AuditEvent's agents to it. Recognition needs an unambiguous client and server: exactly
 * one participant whose only DICOM role is Source (110153) and another whose only role is
 * Destination (110152). In DICOM (PS3.15 A.5, ITI TF-2 §3.20) those roles describe the requesting
 * side (Source: the feed sender, the query issuer) and the responding side, so Source is the
 * client. Then:
 *
 * <ul>
 *   <li>EventID 110112 Query, action E, a query entity (role 24): Query / PatientQuery — BALP types
 *       client 110153, server 110152, the DICOM ones.
 *   <li>EventID 110110 Patient / 110109 Order / 110111 Procedure Record (a record was changed),
 *       action C / U: Create / Update (Patient… with a patient; the patient entity then also stands
 *       for the data entity) — client 110153, server 110152.
 *   <li>same EventIDs, action D: Delete — client DCM#110150 Application, server
 *       provenance-participant-type#custodian.
 *   <li>action R with a FHIR read/vread EventTypeCode: Read — the <b>inverted</b> BALP Read types:
 *       client 110152 Destination, server 110153 Source (IHE.BasicAudit.Read: data flows to the
 *       client). An R event without a read code (e.g. ITI-10 update notification, a push) is not a
 *       BALP Read.
 * </ul>
 *
 * Where a BALP type differs from the DICOM RoleIDCode, the RoleIDCodes move to {@code agent.role},
 * so nothing of the original is lost. Everything else (Import/Export without the BALP disclose
 * code, ambiguous participants, application and login events) is left as mapped, and no pattern is
 * claimed.
 */
final class BalpShaper {

  private static final String SOURCE = "110153";
  private static final String DESTINATION = "110152";
  private static final String APPLICATION = "110150";
  private static final String QUERY_EVENT = "110112";

  /** DCM EventIDs whose C/U/D actions change a record: Order, Patient, Procedure Record. */
  private static final java.util.Set<String> RECORD_EVENTS =
      java.util.Set.of("110109", "110110", "110111");

  private BalpShaper() {}

  /**
   * The pattern the message matches, or null. {@code patient} says whether this event carries a
   * patient.
   */
  static @Nullable BalpPattern recognise(AuditMessage m, boolean patient) {
    if (clientIndex(m) < 0 || serverIndex(m) < 0) {
      return null;
    }
    EventIdentification ev = m.event();
    String action = ev.actionCode() == null ? "" : ev.actionCode().toUpperCase(Locale.ROOT);
    boolean dcmEvent =
        CodeSystems.DCM.equals(
            Codings.system(ev.eventId().codeSystemName(), ev.eventId().codeSystem()));
    if (dcmEvent
        && QUERY_EVENT.equals(ev.eventId().code())
        && action.equals("E")
        && hasQueryEntity(m.objects())) {
      return patient ? BalpPattern.PATIENT_QUERY : BalpPattern.QUERY;
    }
    boolean recordEvent = dcmEvent && RECORD_EVENTS.contains(ev.eventId().code());
    return switch (action) {
      case "C", "U", "D" -> recordEvent ? change(action, patient) : null;
      case "R" ->
          hasReadCode(ev.eventTypeCodes())
              ? (patient ? BalpPattern.PATIENT_READ : BalpPattern.READ)
              : null;
      default -> null;
    };
  }

  private static BalpPattern change(String action, boolean patient) {
    return switch (action) {
      case "C" -> patient ? BalpPattern.PATIENT_CREATE : BalpPattern.CREATE;
      case "U" -> patient ? BalpPattern.PATIENT_UPDATE : BalpPattern.UPDATE;
      default -> patient ? BalpPattern.PATIENT_DELETE : BalpPattern.DELETE;
    };
  }

  /**
   * Sets the BALP client/server agent types of {@code pattern} on the agents mapped from {@code
   * m}'s participants.
   */
  static void shape(AuditEvent e, AuditMessage m, BalpPattern pattern) {
    AuditEventAgentComponent client = e.getAgent().get(clientIndex(m));
    AuditEventAgentComponent server = e.getAgent().get(serverIndex(m));
    switch (pattern) {
      case READ, PATIENT_READ -> {
        retype(client, dcm(DESTINATION, "Destination Role ID"));
        retype(server, dcm(SOURCE, "Source Role ID"));
      }
      case DELETE, PATIENT_DELETE -> {
        retype(client, dcm(APPLICATION, "Application"));
        retype(
            server, new Coding(CodeSystems.PROVENANCE_PARTICIPANT_TYPE, "custodian", "Custodian"));
      }
      default -> {
        /* Create, Update, Query: BALP client 110153 / server 110152 are the DICOM types */
      }
    }
    e.getMeta()
        .addTag(CodeSystems.BALP_PATTERN, pattern.profileId(), "BALP " + pattern.profileId());
  }

  /**
   * Replaces agent.type; the DICOM RoleIDCodes it held become agent.role entries (R5: role = all
   * RoleIDCodes).
   */
  private static void retype(AuditEventAgentComponent agent, Coding balpType) {
    if (agent.hasType()) {
      agent.getRole().add(0, agent.getType());
    }
    agent.setType(new CodeableConcept().addCoding(balpType));
  }

  private static Coding dcm(String code, String display) {
    return new Coding(CodeSystems.DCM, code, display);
  }

  private static int clientIndex(AuditMessage m) {
    return onlyWithRole(m.participants(), SOURCE);
  }

  private static int serverIndex(AuditMessage m) {
    return onlyWithRole(m.participants(), DESTINATION);
  }

  /**
   * Index of the single participant whose RoleIDCodes are exactly {@code role} (DCM); -1 if none or
   * several.
   */
  private static int onlyWithRole(List<ActiveParticipant> participants, String role) {
    int found = -1;
    for (int i = 0; i < participants.size(); i++) {
      List<CodedValue> roles = participants.get(i).roleIdCodes();
      boolean has = roles.stream().anyMatch(r -> role.equals(r.code()));
      if (!has) {
        continue;
      }
      if (found >= 0 || roles.size() != 1) {
        return -1;
      }
      found = i;
    }
    return found;
  }

  private static boolean hasQueryEntity(List<ParticipantObjectIdentification> objects) {
    return objects.stream().anyMatch(o -> "24".equals(o.typeCodeRole()));
  }

  /** A FHIR RESTful read: restful-interaction read/vread (BALP AllReadVS). */
  private static boolean hasReadCode(List<CodedValue> eventTypes) {
    return eventTypes.stream()
        .anyMatch(
            t ->
                ("read".equals(t.code()) || "vread".equals(t.code()))
                    && CodeSystems.RESTFUL_INTERACTION.equals(
                        Codings.system(t.codeSystemName(), t.codeSystem())));
  }
}
