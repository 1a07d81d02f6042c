package org.atnabridge.atna.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.atnabridge.atna.AtnaConverter;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.schemas.RawMetadata;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.AuditEvent.AuditEventEntityComponent;
import org.hl7.fhir.r5.model.Reference;
import org.junit.jupiter.api.Test;

/**
 * A ParticipantObjectID that is a relative literal reference (PDQm ITI-78: {@code Patient/id})
 * becomes {@code what.reference} and {@code AuditEvent.patient.reference} too, the identifier kept.
 */
class EntityMapperReferenceTest {

  private static final RawMetadata META =
      new RawMetadata("tls", "10.1.2.3:50123", Instant.parse("2025-04-18T09:04:01Z"), "tls-6514");

  private final AtnaConverter converter = new AtnaConverter();

  private AuditEvent convert(String patientId, String objectId) throws Exception {
    String xml =
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <AuditMessage>
          <EventIdentification EventActionCode="E" EventDateTime="2024-05-01T10:00:00Z" EventOutcomeIndicator="0">
            <EventID csd-code="110112" codeSystemName="DCM" originalText="Query"/>
          </EventIdentification>
          <ActiveParticipant UserID="alice" UserIsRequestor="true"/>
          <AuditSourceIdentification AuditSourceID="arr"/>
          <ParticipantObjectIdentification ParticipantObjectID="%s" ParticipantObjectTypeCode="1" ParticipantObjectTypeCodeRole="1">
            <ParticipantObjectIDTypeCode csd-code="2" codeSystemName="RFC-3881" originalText="Patient Number"/>
          </ParticipantObjectIdentification>
          <ParticipantObjectIdentification ParticipantObjectID="%s" ParticipantObjectTypeCode="2" ParticipantObjectTypeCodeRole="4">
            <ParticipantObjectIDTypeCode csd-code="12" codeSystemName="RFC-3881" originalText="URI"/>
          </ParticipantObjectIdentification>
        </AuditMessage>
        """
            .formatted(patientId, objectId);
    List<AuditEvent> events = converter.convert(xml.getBytes(StandardCharsets.UTF_8), META);
    assertThat(events).hasSize(1);
    return events.getFirst();
  }

  private static AuditEventEntityComponent patientEntity(AuditEvent e) {
    return e.getEntity().stream()
        .filter(en -> "Patient".equals(en.getWhat().getType()))
        .findFirst()
        .orElseThrow();
  }

  private static AuditEventEntityComponent otherEntity(AuditEvent e) {
    return e.getEntity().stream()
        .filter(en -> !"Patient".equals(en.getWhat().getType()))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void patientLiteralReference_isReferenceAndIdentifier() throws Exception {
    AuditEvent e = convert("Patient/IHERED-2340", "DocumentReference/doc-1");

    Reference what = patientEntity(e).getWhat();
    assertThat(what.getReference()).isEqualTo("Patient/IHERED-2340");
    assertThat(what.getType()).isEqualTo("Patient");
    assertThat(what.getIdentifier().getValue()).isEqualTo("Patient/IHERED-2340");
    assertThat(what.getIdentifier().getType().getCodingFirstRep().getCode()).isEqualTo("2");
    assertThat(e.getPatient().getReference()).isEqualTo("Patient/IHERED-2340");
    assertThat(e.getPatient().getIdentifier().getValue()).isEqualTo("Patient/IHERED-2340");
    assertThat(e.getPatient().getType()).isEqualTo("Patient");
    // an entity without a resource type of its own takes any R5 type
    Reference other = otherEntity(e).getWhat();
    assertThat(other.getReference()).isEqualTo("DocumentReference/doc-1");
    assertThat(other.getIdentifier().getValue()).isEqualTo("DocumentReference/doc-1");
  }

  /**
   * A versioned reference stays an identifier: HAPI's encoder (default parser options) strips the
   * version of a reference, so it would be served without it.
   */
  @Test
  void versionedReference_staysIdentifier() throws Exception {
    AuditEvent e = convert("Patient/p1/_history/2", "x");

    assertThat(patientEntity(e).getWhat().hasReference()).isFalse();
    assertThat(patientEntity(e).getWhat().getIdentifier().getValue())
        .isEqualTo("Patient/p1/_history/2");
    assertThat(e.getPatient().hasReference()).isFalse();
  }

  /** HAPI's encoder and the product's writer give the same bytes for the reference. */
  @Test
  void reference_sameJsonFromHapiAndProductWriter() throws Exception {
    AuditEvent e = convert("Patient/IHERED-2340", "DocumentReference/doc-1");

    String hapi = Fhir.jsonParser().encodeResourceToString(e);
    assertThat(hapi).isEqualTo(Fhir.toJson(e)).contains("\"reference\":\"Patient/IHERED-2340\"");
    AuditEvent back = Fhir.auditEventFromJson(hapi);
    assertThat(back.getPatient().getReference()).isEqualTo("Patient/IHERED-2340");
    assertThat(patientEntity(back).getWhat().getReference()).isEqualTo("Patient/IHERED-2340");
  }

  @Test
  void typeMismatch_staysIdentifier() throws Exception {
    AuditEvent e = convert("Practitioner/7", "Foo/1");

    Reference what = patientEntity(e).getWhat();
    assertThat(what.hasReference()).isFalse();
    assertThat(what.getIdentifier().getValue()).isEqualTo("Practitioner/7");
    assertThat(e.getPatient().hasReference()).isFalse();
    assertThat(e.getPatient().getIdentifier().getValue()).isEqualTo("Practitioner/7");
    assertThat(otherEntity(e).getWhat().hasReference()).as("unknown type Foo").isFalse();
  }

  @Test
  void nearMisses_stayIdentifiers() throws Exception {
    for (String id :
        List.of(
            "Patient/",
            "Patient/a_b",
            "http://example.org/fhir/Patient/1",
            "IHERED-2340",
            "p1^^^&amp;1.2.3&amp;ISO")) {
      AuditEvent e = convert(id, id);
      assertThat(patientEntity(e).getWhat().hasReference()).as(id).isFalse();
      assertThat(patientEntity(e).getWhat().getIdentifier().hasValue()).as(id).isTrue();
      assertThat(e.getPatient().hasReference()).as(id).isFalse();
      assertThat(otherEntity(e).getWhat().hasReference()).as(id).isFalse();
      assertThat(otherEntity(e).getWhat().getIdentifier().hasValue()).as(id).isTrue();
    }
  }
}
