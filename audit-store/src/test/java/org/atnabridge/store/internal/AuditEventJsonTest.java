package org.atnabridge.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.schemas.RawRecordReference;
import org.atnabridge.schemas.vocab.CodeSystems;
import org.atnabridge.schemas.vocab.Extensions;
import org.atnabridge.store.Corpus;
import org.atnabridge.store.TestEvents;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.BooleanType;
import org.hl7.fhir.r5.model.CanonicalType;
import org.hl7.fhir.r5.model.CodeableConcept;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.Extension;
import org.hl7.fhir.r5.model.Identifier;
import org.hl7.fhir.r5.model.InstantType;
import org.hl7.fhir.r5.model.IntegerType;
import org.hl7.fhir.r5.model.Reference;
import org.hl7.fhir.r5.model.StringType;
import org.hl7.fhir.r5.model.UriType;
import org.junit.jupiter.api.Test;

/**
 * The store indexes what {@link AuditEventJson} reads from the JSON; {@link
 * AuditEventDocument#from} reads the same from HAPI's model and is the reference. Both must give
 * equal documents (every keyword, the free text in order, the dates, the stored JSON), for the
 * event as built and as the old indexer saw it (parsed back from its JSON).
 */
class AuditEventJsonTest {

  @Test
  void everyConvertedTestVector_extractsTheSameDocumentAsHapi() {
    List<AuditEvent> corpus = Corpus.events();
    Set<String> fieldsSeen = new TreeSet<>();
    for (AuditEvent e : corpus) {
      fieldsSeen.addAll(assertSameDocument(e).keywords().keySet());
    }

    assertThat(corpus).hasSizeGreaterThan(30);
    // the corpus exercises most of the extraction, so the equality above says something
    assertThat(fieldsSeen)
        .contains(
            "patient_identifier",
            "agent_identifier",
            "agent_name_norm",
            "entity_type",
            "syslog_hostname",
            "receipt_peer",
            "raw_record",
            "outcome",
            "address",
            "site",
            "category",
            "code",
            "source_type",
            "entity_role",
            "extension");
  }

  @Test
  void handBuiltEdgeCases_extractTheSameDocumentAsHapi() {
    for (AuditEvent e : edgeCases()) {
      assertSameDocument(e);
    }
  }

  @Test
  void storedJson_isTheInputByteForByte() {
    byte[] json = Fhir.toJsonBytes(Corpus.events().get(0));

    assertThat(AuditEventJson.document(json).json().getBytes(StandardCharsets.UTF_8))
        .isEqualTo(json);
  }

  @Test
  void notAnIndexableAuditEvent_isRejectedWithoutQuotingIt() {
    assertThatThrownBy(
            () ->
                AuditEventJson.document("not json secret-patient".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("secret-patient");
    assertThatThrownBy(
            () -> AuditEventJson.document("{\"resourceType\":\"Patient\",\"id\":\"p\"}".getBytes()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a FHIR AuditEvent");
    assertThatThrownBy(
            () ->
                AuditEventJson.document(
                    "{\"resourceType\":\"AuditEvent\",\"recorded\":\"2026-01-01T00:00:00Z\"}"
                        .getBytes()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("without id");
    assertThatThrownBy(
            () ->
                AuditEventJson.document(
                    "{\"resourceType\":\"AuditEvent\",\"id\":\"a\"}".getBytes()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("without recorded");
    assertThatThrownBy(
            () ->
                AuditEventJson.document(
                    "{\"resourceType\":\"AuditEvent\",\"id\":\"a\",\"recorded\":\"yesterday\"}"
                        .getBytes()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid instant");
  }

  @Test
  void fastInstantParsing_agreesWithHapi() {
    for (String v :
        List.of(
            "2026-09-19T09:41:43.767+00:00",
            "2026-09-19T09:41:43Z",
            "2026-09-19T09:41:43.7Z",
            "2026-09-19T09:41:43.123456789-05:30",
            "1969-12-31T23:59:59.500Z",
            "2024-02-29T23:59:59.999+14:00",
            "2000-01-01T00:00:00.000-12:00")) {
      assertThat(AuditEventJson.fastMillis(v))
          .as(v)
          .isEqualTo(new InstantType(v).getValue().getTime());
    }
    for (String other :
        List.of(
            "2026-02-30T00:00:00Z",
            "2026-09-19T24:00:00Z",
            "2026-09-19T09:41:43",
            "2026-09-19",
            "2026-09-19T09:41:43.Z",
            "2026-09-19T09:41:43+0100",
            "2026-09-19T09:41:43.1x3Z")) {
      assertThat(AuditEventJson.fastMillis(other)).as(other).isEqualTo(Long.MIN_VALUE);
    }
  }

  /** Asserts the JSON extraction equals HAPI's, on the built and on the re-parsed event. */
  static AuditEventDocument assertSameDocument(AuditEvent e) {
    byte[] json = Fhir.toJsonBytes(e);
    AuditEventDocument fromJson = AuditEventJson.document(json);
    AuditEventDocument fromModel = AuditEventDocument.from(e);
    AuditEventDocument fromParsed =
        AuditEventDocument.from(Fhir.auditEventFromJson(new String(json, StandardCharsets.UTF_8)));

    assertThat(fromJson).as("event %s as built", fromModel.id()).isEqualTo(fromModel);
    assertThat(fromJson)
        .as("event %s parsed from Kafka JSON", fromModel.id())
        .isEqualTo(fromParsed);
    return fromJson;
  }

  private static List<AuditEvent> edgeCases() {
    Instant t = Instant.parse("2026-03-04T05:06:07.891Z");
    List<AuditEvent> out = new ArrayList<>();
    out.add(TestEvents.event("minimal", t));

    AuditEvent full =
        TestEvents.withPatientReference(
            TestEvents.event("full", t), "http://ehr.example.org/fhir/Patient/p1");
    full.getMeta().setLastUpdatedElement(new InstantType("2026-03-05T00:00:00.5+02:00"));
    full.getMeta().addTag(CodeSystems.RETENTION, CodeSystems.LEGAL_HOLD, "Legal hold");
    full.getMeta().addSecurity(new Coding(CodeSystems.V3_CONFIDENTIALITY, "R", "restricted"));
    full.getMeta()
        .addProfile("http://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.Read");
    full.setSeverity(AuditEvent.AuditEventSeverity.WARNING);
    full.setOutcome(new AuditEvent.AuditEventOutcomeComponent(new Coding(null, "error", "Error")));
    full.getOutcome().addDetail(new CodeableConcept().setText("Disk full on Ütrecht node"));
    full.addAuthorization(
        new CodeableConcept(new Coding(CodeSystems.V3_ACT_REASON, "TREAT", null)));
    full.addBasedOn(new Reference("ServiceRequest/sr-1"));
    full.setEncounter(new Reference("Encounter/e-1").setDisplay("Visit"));
    AuditEvent.AuditEventAgentComponent user = full.getAgentFirstRep();
    user.getWho().setDisplay("Dr. Ångström").setReference("Practitioner/pr-1");
    user.setType(
        new CodeableConcept(new Coding(TestEvents.DCM, "110153", "Source Role ID"))
            .setText("user"));
    user.addRole(new CodeableConcept(new Coding("urn:roles", "doctor", "Doctor")));
    user.addPolicy("urn:policy:1");
    user.addAuthorization(new CodeableConcept().setText("emergency"));
    user.setNetwork(new UriType("https://client.example.org"));
    user.addExtension(
        Extensions.HL7_ALTERNATIVE_USER_ID,
        new Identifier().setSystem("urn:alt").setValue("alt-1"));
    user.addExtension(Extensions.HL7_ALTERNATIVE_USER_ID, new StringType("alt-2"));
    AuditEvent.AuditEventAgentComponent server = full.addAgent();
    server.setWho(new Reference().setDisplay("only a display"));
    server.setNetwork(new Reference().setDisplay("10.0.0.9"));
    AuditEvent.AuditEventAgentComponent third = full.addAgent();
    third.setWho(new Reference("Device/d1"));
    third.setNetwork(new StringType("192.168.1.1"));
    full.getSource()
        .getSite()
        .setIdentifier(new Identifier().setSystem("urn:sites").setValue("s1"))
        .setDisplay("Main site");
    full.getSource().addType(new CodeableConcept(new Coding("urn:src", "4", "Application Server")));
    AuditEvent.AuditEventEntityComponent doc = full.addEntity();
    doc.setWhat(new Reference("DocumentReference/dr-1").setDisplay("Discharge summary"));
    doc.setRole(new CodeableConcept(new Coding("urn:role", "3", "Report")));
    doc.addSecurityLabel(new CodeableConcept(new Coding("urn:sec", "N", "normal")));
    doc.addExtension(
        Extensions.PARTICIPANT_OBJECT_TYPE, new Coding("urn:pot", "2", "System Object"));
    Extension description = doc.addExtension().setUrl(Extensions.PARTICIPANT_OBJECT_DESCRIPTION);
    description.addExtension("text", new StringType("a free-text description"));
    doc.addDetail()
        .setType(
            new CodeableConcept(new Coding("urn:detail", "q", "Query detail"))
                .setText("detail text"));
    AuditEvent.AuditEventEntityComponent typed = full.addEntity();
    typed.setWhat(
        new Reference().setType("Patient").setIdentifier(new Identifier().setValue("no-system")));
    full.addExtension(Extensions.CORRELATION_ID, new StringType("corr-1"));
    full.addExtension("urn:flag", new BooleanType(true));
    full.addExtension("urn:count", new IntegerType(42));
    full.addExtension("urn:complex", new Coding("urn:x", "y", null));
    Extension syslog = full.addExtension().setUrl(Extensions.SYSLOG_HEADER);
    syslog.addExtension("hostname", new StringType("node1"));
    syslog.addExtension("msgid", new StringType("IHE+RFC-3881"));
    syslog.addExtension("unknown", new StringType("kept as extension"));
    Extension receipt = full.addExtension().setUrl(Extensions.RAW_RECEIPT);
    receipt.addExtension("peer", new StringType("10.1.2.3:4000"));
    receipt.addExtension("received-at", new InstantType("2026-03-04T05:06:07Z"));
    RawRecordReference.of("atna.raw", 2, 1234567890123L).applyTo(full);
    full.getMeta().getProfile().add(new CanonicalType("http://example.org/p2"));
    out.add(full);

    AuditEvent micros = TestEvents.event("micros", t);
    micros.setRecordedElement(new InstantType("2026-03-04T05:06:07.123456+01:00"));
    out.add(micros);

    AuditEvent badRaw = TestEvents.event("bad-raw", t);
    Extension raw = badRaw.addExtension().setUrl(Extensions.RAW_RECORD);
    raw.addExtension("topic", new StringType("atna.raw"));
    raw.addExtension("partition", new StringType("not a number"));
    out.add(badRaw);

    AuditEvent dicomSeverity = TestEvents.event("dicom", t);
    dicomSeverity.setOutcome(
        new AuditEvent.AuditEventOutcomeComponent(
            new Coding(CodeSystems.ISSUE_SEVERITY, "fatal", null)));
    dicomSeverity
        .getPatient()
        .setReference("Patient/x")
        .setIdentifier(new Identifier().setSystem("urn:mrn").setValue("42"));
    dicomSeverity.setRecorded(Date.from(Instant.parse("1999-12-31T23:59:59Z")));
    out.add(dicomSeverity);

    return out;
  }
}
