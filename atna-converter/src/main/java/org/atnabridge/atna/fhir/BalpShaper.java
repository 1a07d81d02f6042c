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
 * Recognises the IHE BALP pattern a DICOM audit message matches (BALP 1.1.4 RESTful profiles) and
 * shapes the mapped AuditEvent's agents to it. A pattern is claimed only where the event can
 * conform to its profile, which the R4 projection is validated against:
 *
 * <ul>
 *   <li>EventID {@code audit-event-type#rest}: every BALP RESTful profile fixes {@code type} to it,
 *       so the IHE transaction audits (EventID DCM 110112 Query, 110110 Patient Record with an ITI
 *       EventTypeCode) are not BALP events, whatever their shape;
 *   <li>an EventTypeCode of the pattern's restful-interaction value set and the matching action:
 *       create / C (Create), update or patch / U (Update), delete / D (Delete), read or vread / R
 *       (Read);
 *   <li>EventOutcomeIndicator 0: the profiles fix {@code outcome} to 0 (a failure "follows" a
 *       pattern but does not conform to it);
 *   <li>an unambiguous client and server, both with a NetworkAccessPointID (BALP: network 1..1):
 *       exactly one participant whose only DICOM role is Source (110153) and another whose only
 *       role is Destination (110152) — in DICOM (PS3.15 A.5, ITI TF-2 §3.20) the requesting and the
 *       responding side;
 *   <li>a data object: ParticipantObjectTypeCode 2 with a role of BALP's RestObjectRoles (3 Report,
 *       4 Domain Resource, 20 Job) — the patient entity of the Patient… profiles is a separate
 *       slice.
 * </ul>
 *
 * BALP Query is never claimed: its query entity has no {@code what} (0..0), and DICOM's
 * ParticipantObjectID, which becomes {@code what}, is mandatory. Agent types then follow the
 * profile: Create and Update keep the DICOM Source/Destination; Read uses the <b>inverted</b> types
 * (client 110152 Destination, server 110153 Source: data flows to the client); Delete client
 * DCM#110150 Application, server provenance-participant-type#custodian. Where a BALP type differs
 * from the DICOM RoleIDCode, the RoleIDCodes move to {@code agent.role}, so nothing of the original
 * is lost. Everything else is left as mapped, and no pattern is claimed.
 */
final class BalpShaper {

  private static final String SOURCE = "110153";
  private static final String DESTINATION = "110152";
  private static final String APPLICATION = "110150";

  /** ROLE codes of BALP's RestObjectRoles value set (the data entity). */
  private static final java.util.Set<String> DATA_ROLES = java.util.Set.of("3", "4", "20");

  private BalpShaper() {}

  /**
   * The pattern the message matches, or null. {@code patient} says whether this event carries a
   * patient.
   */
  static @Nullable BalpPattern recognise(AuditMessage m, boolean patient) {
    int client = clientIndex(m);
    int server = serverIndex(m);
    if (client < 0
        || server < 0
        || !hasNetwork(m.participants().get(client))
        || !hasNetwork(m.participants().get(server))) {
      return null;
    }
    EventIdentification ev = m.event();
    boolean rest =
        "rest".equals(ev.eventId().code())
            && CodeSystems.AUDIT_EVENT_TYPE.equals(
                Codings.system(ev.eventId().codeSystemName(), ev.eventId().codeSystem()));
    if (!rest || !"0".equals(ev.outcomeIndicator()) || !hasDataObject(m.objects())) {
      return null;
    }
    String action = ev.actionCode() == null ? "" : ev.actionCode().toUpperCase(Locale.ROOT);
    List<CodedValue> codes = ev.eventTypeCodes();
    return switch (action) {
      case "C" ->
          hasInteraction(codes, "create")
              ? (patient ? BalpPattern.PATIENT_CREATE : BalpPattern.CREATE)
              : null;
      case "U" ->
          hasInteraction(codes, "update", "patch")
              ? (patient ? BalpPattern.PATIENT_UPDATE : BalpPattern.UPDATE)
              : null;
      case "D" ->
          hasInteraction(codes, "delete")
              ? (patient ? BalpPattern.PATIENT_DELETE : BalpPattern.DELETE)
              : null;
      case "R" ->
          hasInteraction(codes, "read", "vread")
              ? (patient ? BalpPattern.PATIENT_READ : BalpPattern.READ)
              : null;
      default -> null;
    };
  }

  private static boolean hasNetwork(ActiveParticipant p) {
    return p.networkAccessPointId() != null && !p.networkAccessPointId().isBlank();
  }

  private static boolean hasDataObject(List<ParticipantObjectIdentification> objects) {
    return objects.stream()
        .anyMatch(
            o -> "2".equals(o.typeCode()) && DATA_ROLES.contains(String.valueOf(o.typeCodeRole())));
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

  /** An EventTypeCode of FHIR's restful-interaction code system with one of {@code codes}. */
  private static boolean hasInteraction(List<CodedValue> eventTypes, String... codes) {
    List<String> wanted = List.of(codes);
    return eventTypes.stream()
        .anyMatch(
            t ->
                wanted.contains(t.code())
                    && CodeSystems.RESTFUL_INTERACTION.equals(
                        Codings.system(t.codeSystemName(), t.codeSystem())));
  }
}
