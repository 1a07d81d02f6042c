package org.atnabridge.atna;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.atnabridge.schemas.RawMetadata;
import org.atnabridge.schemas.vocab.CodeSystems;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Coding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A DICOM message claims a BALP pattern only where the event can conform to the profile (BALP
 * 1.1.4: type fixed to audit-event-type#rest, subtype a restful-interaction code, outcome 0).
 */
class BalpRecognitionTest {

  private static final RawMetadata META =
      new RawMetadata("tls", "10.1.2.3:50123", Instant.parse("2025-04-18T09:04:01Z"), "tls-6514");

  private static String message(
      String eventId, String eventIdSystem, String action, String interaction, String outcome) {
    return """
        <AuditMessage>
          <EventIdentification EventActionCode="%s" EventDateTime="2025-04-18T09:04:00Z" EventOutcomeIndicator="%s">
            <EventID csd-code="%s" codeSystemName="%s" originalText="event"/>
            <EventTypeCode csd-code="%s" codeSystemName="http://hl7.org/fhir/restful-interaction" originalText="%s"/>
          </EventIdentification>
          <ActiveParticipant UserID="client-app" UserIsRequestor="true" NetworkAccessPointID="10.1.1.7" NetworkAccessPointTypeCode="2">
            <RoleIDCode csd-code="110153" codeSystemName="DCM" originalText="Source Role ID"/>
          </ActiveParticipant>
          <ActiveParticipant UserID="https://fhir.example/fhir" UserIsRequestor="false" NetworkAccessPointID="fhir.example" NetworkAccessPointTypeCode="1">
            <RoleIDCode csd-code="110152" codeSystemName="DCM" originalText="Destination Role ID"/>
          </ActiveParticipant>
          <AuditSourceIdentification AuditSourceID="fhir-server"/>
          <ParticipantObjectIdentification ParticipantObjectID="Patient/7" ParticipantObjectTypeCode="1" ParticipantObjectTypeCodeRole="1">
            <ParticipantObjectIDTypeCode csd-code="2" codeSystemName="RFC-3881" originalText="Patient Number"/>
          </ParticipantObjectIdentification>
          <ParticipantObjectIdentification ParticipantObjectID="Observation/9" ParticipantObjectTypeCode="2" ParticipantObjectTypeCodeRole="4">
            <ParticipantObjectIDTypeCode csd-code="Observation" codeSystemName="http://hl7.org/fhir/resource-types" originalText="Observation"/>
          </ParticipantObjectIdentification>
        </AuditMessage>
        """
        .formatted(action, outcome, eventId, eventIdSystem, interaction, interaction);
  }

  private static AuditEvent convert(String xml) throws ConversionException {
    List<AuditEvent> events =
        new AtnaConverter().convert(xml.getBytes(StandardCharsets.UTF_8), META);
    assertThat(events).hasSize(1);
    return events.get(0);
  }

  private static String pattern(AuditEvent e) {
    return e.getMeta().getTag().stream()
        .filter(t -> CodeSystems.BALP_PATTERN.equals(t.getSystem()))
        .map(Coding::getCode)
        .findFirst()
        .orElse("none");
  }

  private static final String REST_SYSTEM =
      "http://terminology.hl7.org/CodeSystem/audit-event-type";

  @ParameterizedTest(name = "{0} {1} {2} outcome {3} → {4}")
  @CsvSource({
    "rest,   R, read,   0,  IHE.BasicAudit.PatientRead",
    "rest,   R, vread,  0,  IHE.BasicAudit.PatientRead",
    "rest,   C, create, 0,  IHE.BasicAudit.PatientCreate",
    "rest,   U, patch,  0,  IHE.BasicAudit.PatientUpdate",
    "rest,   D, delete, 0,  IHE.BasicAudit.PatientDelete",
    "rest,   R, read,   4,  none",
    "rest,   C, read,   0,  none",
    "rest,   E, search-type, 0, none",
    "110110, C, create, 0,  none",
    "110112, R, read,   0,  none",
  })
  void pattern_onlyWhereTheProfileCanBeMet(
      String eventId, String action, String interaction, String outcome, String expected)
      throws Exception {
    String system = eventId.equals("rest") ? REST_SYSTEM : "DCM";
    AuditEvent e = convert(message(eventId, system, action, interaction, outcome));
    assertThat(pattern(e)).isEqualTo(expected);
  }

  @Test
  void restRead_getsTheInvertedBalpReadTypes_dicomRolesKept() throws Exception {
    AuditEvent e = convert(message("rest", REST_SYSTEM, "R", "read", "0"));
    // IHE.BasicAudit.Read: data flows to the client, so the client is the Destination
    assertThat(e.getAgent().get(0).getType().getCodingFirstRep().getCode()).isEqualTo("110152");
    assertThat(e.getAgent().get(0).getRoleFirstRep().getCodingFirstRep().getCode())
        .isEqualTo("110153");
    assertThat(e.getAgent().get(1).getType().getCodingFirstRep().getCode()).isEqualTo("110153");
  }

  @Test
  void ihePatientRecordFeed_keepsTheDicomAgentTypes() throws Exception {
    AuditEvent e = convert(message("110110", "DCM", "D", "delete", "0"));
    assertThat(pattern(e)).isEqualTo("none");
    assertThat(e.getAgent().get(0).getType().getCodingFirstRep().getCode()).isEqualTo("110153");
    assertThat(e.getAgent().get(0).hasRole()).isFalse();
  }
}
