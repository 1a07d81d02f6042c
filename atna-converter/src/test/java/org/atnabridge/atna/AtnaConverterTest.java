package org.atnabridge.atna;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.schemas.RawMetadata;
import org.atnabridge.schemas.vocab.CodeSystems;
import org.atnabridge.schemas.vocab.Extensions;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r5.model.AuditEvent.AuditEventAgentComponent;
import org.hl7.fhir.r5.model.AuditEvent.AuditEventEntityComponent;
import org.hl7.fhir.r5.model.AuditEvent.AuditEventSeverity;
import org.hl7.fhir.r5.model.Base64BinaryType;
import org.hl7.fhir.r5.model.CodeableConcept;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.Extension;
import org.hl7.fhir.r5.model.Identifier;
import org.hl7.fhir.r5.model.StringType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AtnaConverterTest {

  private static final RawMetadata META =
      new RawMetadata("tls", "10.1.2.3:50123", Instant.parse("2025-04-18T09:04:01Z"), "tls-6514");

  private final AtnaConverter converter = new AtnaConverter();

  static Stream<String> corpus() {
    return Stream.of("dicom-audit-xml", "rfc3881-legacy-xml", "syslog-framed")
        .flatMap(f -> Corpus.list(f).stream());
  }

  /** Syslog-framed vectors are octet-counted frames (RFC 5425): the listener strips the prefix. */
  private static byte[] message(String vector) throws ConversionException {
    byte[] bytes = Corpus.bytes(vector);
    return vector.startsWith("syslog-framed/") ? OctetCountedFrame.strip(bytes) : bytes;
  }

  private List<AuditEvent> convert(String vector) throws ConversionException {
    return converter.convert(message(vector), META);
  }

  private static AuditEvent single(List<AuditEvent> events) {
    assertThat(events).hasSize(1);
    return events.get(0);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void convert_everyTestVector(String vector) throws Exception {
    List<AuditEvent> events = convert(vector);

    assertThat(events).isNotEmpty();
    for (AuditEvent e : events) {
      assertThat(e.getIdPart()).matches("[0-9a-f]{40}(-\\d+)?");
      assertThat(e.hasAction()).as("action").isTrue();
      assertThat(e.hasRecorded()).as("recorded").isTrue();
      assertThat(e.getCategoryFirstRep().getCodingFirstRep().getCode())
          .as("category")
          .matches("1101\\d\\d");
      assertThat(e.getCategoryFirstRep().getCodingFirstRep().getSystem())
          .isEqualTo(CodeSystems.DCM);
      assertThat(e.getCode().getCodingFirstRep().hasCode()).as("R5 code 1..1").isTrue();
      assertThat(e.getOutcome().getCode().getSystem()).isEqualTo(CodeSystems.AUDIT_EVENT_OUTCOME);
      assertThat(e.getSource().getObserver().getIdentifier().getValue())
          .as("observer")
          .isNotBlank();
      assertThat(e.getAgent())
          .isNotEmpty()
          .allSatisfy(a -> assertThat(a.getWho().isEmpty()).isFalse());
      assertThat(e.getExtensionByUrl(Extensions.RAW_RECEIPT)).isNotNull();
      long patients = e.getEntity().stream().filter(AtnaConverterTest::isPatientEntity).count();
      assertThat(patients).isLessThanOrEqualTo(1);
      assertThat(e.hasPatient()).isEqualTo(patients == 1);
      assertThat(Fhir.toJson(e)).contains("\"resourceType\":\"AuditEvent\"");
    }
  }

  private static boolean isPatientEntity(AuditEventEntityComponent en) {
    return "Patient".equals(en.getWhat().getType());
  }

  @Test
  void convert_ahdisIti47Golden() throws Exception {
    AuditEvent e = single(convert("dicom-audit-xml/ahdis-iti-47-atna.xml"));

    assertThat(e.getAction()).isEqualTo(AuditEventAction.E);
    assertThat(e.getRecordedElement().getValueAsString())
        .isEqualTo("2022-08-22T08:38:45.904290264Z");
    assertThat(e.getCategoryFirstRep().getCodingFirstRep().getCode()).isEqualTo("110112");
    Coding code = e.getCode().getCodingFirstRep();
    assertThat(code.getSystem()).isEqualTo(CodeSystems.IHE_TRANSACTIONS);
    assertThat(code.getCode()).isEqualTo("ITI-47");
    assertThat(code.getDisplay()).isEqualTo("Patient Demographics Query");
    assertThat(e.getOutcome().getCode().getCode()).isEqualTo("0");
    assertThat(e.getOutcome().hasDetail()).as("empty EventOutcomeDescription").isFalse();
    assertThat(e.hasSeverity()).as("bare XML has no PRI").isFalse();
    assertThat(e.getExtensionByUrl(Extensions.SYSLOG_HEADER)).isNull();

    assertThat(e.getAgent())
        .extracting(a -> a.getWho().getIdentifier().getValue())
        .containsExactly("unknown", "http://test.ahdis.ch/eprik-cara/services/iti47Endpoint");
    assertThat(e.getAgent())
        .extracting(AuditEventAgentComponent::getRequestor)
        .containsExactly(true, false);
    AuditEventAgentComponent source = e.getAgent().get(0);
    assertThat(source.getType().getCodingFirstRep().getCode()).isEqualTo("110153");
    assertThat(source.getNetworkStringType().getValue()).isEqualTo("[10.28.3.3]");
    assertThat(source.getExtensionByUrl(Extensions.HL7_ALTERNATIVE_USER_ID).getValue())
        .asInstanceOf(type(Identifier.class))
        .extracting(Identifier::getValue)
        .isEqualTo("1");
    assertThat(e.getAgent().get(1).getNetworkStringType().getValue()).isEqualTo("test.ahdis.ch");

    assertThat(e.getSource().getObserver().getIdentifier().getValue()).isEqualTo("IPF");
    assertThat(e.getSource().getSite().getIdentifier().getValue())
        .isEqualTo("1.3.6.1.4.1.21367.2017.2.7.109");
    Coding sourceType = e.getSource().getTypeFirstRep().getCodingFirstRep();
    assertThat(sourceType.getSystem()).isEqualTo(CodeSystems.SECURITY_SOURCE_TYPE);
    assertThat(sourceType.getCode()).isEqualTo("9");

    AuditEventEntityComponent query = e.getEntityFirstRep();
    assertThat(query.getWhat().getIdentifier().getValue())
        .isEqualTo("1659464609654@1.3.6.1.4.1.21367.2017.2.1.104");
    assertThat(query.getRole().getCodingFirstRep().getCode()).isEqualTo("24");
    assertThat(query.getRole().getCodingFirstRep().getSystem()).isEqualTo(CodeSystems.OBJECT_ROLE);
    assertThat(query.getQueryElement().getValueAsString())
        .startsWith("PHF1ZXJ5QnlQYXJhbWV0ZXI+CiAgPHF1ZXJ5SWQg")
        .endsWith("L3F1ZXJ5QnlQYXJhbWV0ZXI+");
    assertThat(new String(query.getQuery(), StandardCharsets.UTF_8)).contains("GASSMANN");
    assertThat(e.hasPatient()).isFalse();
  }

  @Test
  void convert_ipfPdqmGolden() throws Exception {
    AuditEvent e = single(convert("dicom-audit-xml/ipf-pdqm.xml"));

    assertThat(e.getCode().getCodingFirstRep().getCode()).isEqualTo("ITI-78");
    assertThat(e.getRecordedElement().getValueAsString()).isEqualTo("2020-03-19T14:25:02.926Z");
    assertThat(e.getOutcome().getCode().getCode()).isEqualTo("0");
    assertThat(e.getAgent())
        .extracting(a -> a.getWho().getIdentifier().getValue())
        .containsExactly(
            "/app-gateway/fhir/Patient", "http://localhost:8087/app-gateway/fhir/Patient");
    assertThat(e.getAgent())
        .extracting(AuditEventAgentComponent::getRequestor)
        .containsExactly(true, false);
    assertThat(e.getSource().getObserver().getIdentifier().getValue()).isEqualTo("app-gateway");
    assertThat(e.getSource().getTypeFirstRep().getCodingFirstRep().getCode()).isEqualTo("4");
    assertThat(e.getEntityFirstRep().getQueryElement().getValueAsString())
        .isEqualTo(
            "aHR0cDovL3dkZi1sYXAtMTIzNy5pY3cuaW50OjgwODcvYXBwLWdhdGV3YXkvZmhpci9QYXRpZW50P2ZhbWlseT14cGlk");
  }

  @Test
  void convert_patientIdentifierFromCx() throws Exception {
    AuditEvent e = single(convert("dicom-audit-xml/ipf-pixfeed.xml"));

    assertThat(e.getPatient().getIdentifier().getSystem())
        .isEqualTo("urn:oid:2.16.840.1.113883.3.37.4.1.1.2.411.1");
    assertThat(e.getPatient().getIdentifier().getValue()).isEqualTo("7627199");
    AuditEventEntityComponent patient = e.getEntityFirstRep();
    assertThat(patient.getWhat().getType()).isEqualTo("Patient");
    assertThat(patient.getWhat().getIdentifier().getValue()).isEqualTo("7627199");
    assertThat(patient.getRole().getCodingFirstRep().getCode()).isEqualTo("1");
    assertThat(
            patient.getExtensionByUrl(Extensions.PARTICIPANT_OBJECT_ID).getValue().primitiveValue())
        .isEqualTo("7627199^^^HZLN&2.16.840.1.113883.3.37.4.1.1.2.411.1&ISO");
    assertThat(patient.getDetailFirstRep().getType().getText()).isEqualTo("MSH-10");
    assertThat(patient.getDetailFirstRep().getValueBase64BinaryType().getValueAsString())
        .isEqualTo("MTIzNDU2");
  }

  @Test
  void convert_legacyRfc3881WithNameAndZoneOffset() throws Exception {
    AuditEvent e = single(convert("rfc3881-legacy-xml/openatna-create-patient-record.xml"));

    assertThat(e.getAction()).isEqualTo(AuditEventAction.C);
    assertThat(e.getRecordedElement().getValueAsString())
        .isEqualTo("2009-10-22T12:23:45.530+01:00");
    assertThat(e.getCategoryFirstRep().getCodingFirstRep().getDisplay())
        .isEqualTo("Patient Record");
    assertThat(e.getPatient().getIdentifier().getSystem())
        .isEqualTo("urn:oid:1.3.6.1.4.1.21367.2010.1.2.300");
    assertThat(e.getPatient().getIdentifier().getValue()).isEqualTo("101");
    assertThat(e.getPatient().getDisplay()).isEqualTo("John Doe");
    assertThat(e.getEntityFirstRep().getWhat().getDisplay()).isEqualTo("John Doe");
    AuditEventAgentComponent registry = e.getAgent().get(1);
    assertThat(registry.getType().getCodingFirstRep().getCode()).isEqualTo("110152");
    assertThat(registry.getRoleFirstRep().getCodingFirstRep().getCode()).isEqualTo("110153");
  }

  @Test
  void convert_doubleEscapedCxAndAttributeName() throws Exception {
    AuditEvent e = single(convert("rfc3881-legacy-xml/openatna-no-source.xml"));

    assertThat(e.getPatient().getIdentifier().getSystem())
        .isEqualTo("urn:oid:1.3.6.1.4.1.21367.2005.3.7");
    assertThat(e.getPatient().getIdentifier().getValue()).isEqualTo("SELF-5");
    assertThat(e.getPatient().getDisplay()).isEqualTo("CAREFX");
    assertThat(e.getEntityFirstRep().getExtensionByUrl(Extensions.HL7_LIFECYCLE).getValue())
        .asInstanceOf(type(CodeableConcept.class))
        .extracting(c -> c.getCodingFirstRep().getCode())
        .isEqualTo("1");
    assertThat(
            e.getEntity()
                .get(1)
                .getWhat()
                .getIdentifier()
                .getType()
                .getCodingFirstRep()
                .getSystem())
        .isEqualTo("urn:x-codesystemname:IHE%20XDS%20Metadata");
  }

  @Test
  void convert_noZoneFlaggedAndDescriptionKept() throws Exception {
    List<AuditEvent> events = convert("dicom-audit-xml/ipf-fhir-atna-record-1.xml");
    AuditEvent e = single(events);

    assertThat(e.getRecordedElement().getValueAsString()).isEqualTo("2001-12-17T09:30:47Z");
    assertThat(e.getMeta().getTag(CodeSystems.CONVERSION_FLAG, "recorded-zone-assumed"))
        .isNotNull();
    assertThat(e.getMeta().getTag(CodeSystems.CONVERSION_FLAG, "code-from-event-id")).isNotNull();
    assertThat(e.getCode().getCodingFirstRep().getCode()).isEqualTo("110104");
    Extension description =
        e.getEntityFirstRep().getExtensionByUrl(Extensions.PARTICIPANT_OBJECT_DESCRIPTION);
    assertThat(description.getExtensionsByUrl("sop-class")).hasSize(2);
    assertThat(description.getExtensionByUrl("accession").getValue())
        .asInstanceOf(type(Identifier.class))
        .extracting(Identifier::getValue)
        .isEqualTo("12341234");
    assertThat(e.getPatient().getIdentifier().getValue()).isEqualTo("ptid12345");
    assertThat(e.getPatient().getIdentifier().hasSystem()).isFalse();
  }

  @Test
  void convert_purposeOfUseAndTwoRoles() throws Exception {
    AuditEvent e = single(convert("dicom-audit-xml/ipf-fhir-atna-record-2.xml"));

    Coding purpose = e.getAuthorizationFirstRep().getCodingFirstRep();
    assertThat(purpose.getSystem()).isEqualTo("urn:oid:2.16.756.5.30.1.127.3.10.5");
    assertThat(purpose.getCode()).isEqualTo("NORM");
    AuditEventAgentComponent hcp = e.getAgent().get(3);
    assertThat(hcp.getWho().getDisplay()).isEqualTo("Quentin Ligier");
    assertThat(hcp.getRoleFirstRep().getCodingFirstRep().getSystem()).isEqualTo(CodeSystems.SNOMED);
    assertThat(e.getAgent().get(2).hasType()).isFalse();
    assertThat(e.getPatient().getIdentifier().getSystem())
        .isEqualTo("urn:oid:2.16.756.5.30.1.191.1.0.2.1");
  }

  @Test
  void convert_syslogFramedCarriesHeaderAndSeverity() throws Exception {
    AuditEvent e = single(convert("syslog-framed/ahdis-iti-47-atna-raw.txt"));

    assertThat(e.getSeverity()).isEqualTo(AuditEventSeverity.NOTICE);
    Extension header = e.getExtensionByUrl(Extensions.SYSLOG_HEADER);
    assertThat(header.getExtensionString(Extensions.SYSLOG_HOSTNAME)).isEqualTo("matchbox.test");
    assertThat(header.getExtensionString(Extensions.SYSLOG_MSGID)).isEqualTo("IHE+RFC-3881");
    assertThat(header.getExtensionString(Extensions.SYSLOG_TIMESTAMP))
        .isEqualTo("2025-04-18T09:04:00.603Z");
    assertThat(header.getExtensionByUrl(Extensions.SYSLOG_FACILITY).getValue().primitiveValue())
        .isEqualTo("10");
    assertThat(header.getExtensionByUrl(Extensions.SYSLOG_APP_NAME)).isNull();
    Extension receipt = e.getExtensionByUrl(Extensions.RAW_RECEIPT);
    assertThat(receipt.getExtensionString(Extensions.RECEIPT_PEER)).isEqualTo("10.1.2.3:50123");
    assertThat(receipt.getExtensionString(Extensions.RECEIPT_TRANSPORT)).isEqualTo("tls");
    assertThat(e.getRecordedElement().getValueAsString())
        .isEqualTo("2025-04-18T09:04:59.904290264Z");
  }

  @Test
  void convert_badSyslogTimestampFlaggedNotRejected() throws Exception {
    String frame =
        new String(message("syslog-framed/ahdis-iti-47-atna-raw.txt"), StandardCharsets.UTF_8)
            .replace("2025-04-18T09:04:00.603Z", "2025-04-18T15:22.603Z")
            .replace("IHE+RFC-3881 - <?xml", "IHE+RFC-3881 -\r\n<?xml");
    AuditEvent e = single(converter.convert(frame.getBytes(StandardCharsets.UTF_8), META));

    assertThat(e.getMeta().getTag(CodeSystems.CONVERSION_FLAG, "syslog-timestamp-invalid"))
        .isNotNull();
    assertThat(
            e.getExtensionByUrl(Extensions.SYSLOG_HEADER)
                .getExtensionString(Extensions.SYSLOG_TIMESTAMP))
        .isEqualTo("2025-04-18T15:22.603Z");
    assertThat(e.getRecordedElement().getValueAsString())
        .isEqualTo("2025-04-18T09:04:59.904290264Z");
  }

  @Test
  void convert_bsdHeaderWithBomAndCrlf() throws Exception {
    byte[] xml = Corpus.bytes("dicom-audit-xml/ipf-pdqm.xml");
    byte[] prefix =
        "<84>Apr 18 09:04:00 arr-host java[1234]: \r\n\uFEFF".getBytes(StandardCharsets.UTF_8);
    AuditEvent e = single(converter.convert(concat(prefix, xml), META));

    assertThat(e.getSeverity()).isEqualTo(AuditEventSeverity.WARNING);
    Extension header = e.getExtensionByUrl(Extensions.SYSLOG_HEADER);
    assertThat(header.getExtensionString(Extensions.SYSLOG_HOSTNAME)).isEqualTo("arr-host");
    assertThat(header.getExtensionString(Extensions.SYSLOG_APP_NAME)).isEqualTo("java");
    assertThat(header.getExtensionString(Extensions.SYSLOG_PROCID)).isEqualTo("1234");
    assertThat(e.getMeta().getTag(CodeSystems.CONVERSION_FLAG, "syslog-year-assumed")).isNotNull();
  }

  @Test
  void convert_severalPatientsSplitPerPatient() throws Exception {
    String xml =
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <AuditMessage>
          <EventIdentification EventActionCode="R" EventDateTime="2024-05-01T10:00:00Z" EventOutcomeIndicator="4">
            <EventID csd-code="110110" codeSystemName="DCM" originalText="Patient Record"/>
            <EventOutcomeDescription>partial result</EventOutcomeDescription>
          </EventIdentification>
          <ActiveParticipant UserID="alice" UserIsRequestor="true"/>
          <AuditSourceIdentification AuditSourceID="arr"/>
          <ParticipantObjectIdentification ParticipantObjectID="A1^^^&amp;1.2.3&amp;ISO" ParticipantObjectTypeCode="1" ParticipantObjectTypeCodeRole="1">
            <ParticipantObjectIDTypeCode csd-code="2" codeSystemName="RFC-3881" originalText="Patient Number"/>
            <ParticipantObjectName>Ann</ParticipantObjectName>
          </ParticipantObjectIdentification>
          <ParticipantObjectIdentification ParticipantObjectID="doc-1" ParticipantObjectTypeCode="2" ParticipantObjectTypeCodeRole="3">
            <ParticipantObjectIDTypeCode csd-code="9" codeSystemName="RFC-3881" originalText="Report Number"/>
          </ParticipantObjectIdentification>
          <ParticipantObjectIdentification ParticipantObjectID="B2^^^&amp;4.5.6&amp;ISO" ParticipantObjectTypeCode="1" ParticipantObjectTypeCodeRole="1">
            <ParticipantObjectIDTypeCode csd-code="2" codeSystemName="RFC-3881" originalText="Patient Number"/>
          </ParticipantObjectIdentification>
        </AuditMessage>
        """;
    byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
    List<AuditEvent> events = converter.convert(bytes, META);

    assertThat(events).hasSize(2);
    String base = events.get(0).getIdPart().substring(0, 40);
    assertThat(events).extracting(AuditEvent::getIdPart).containsExactly(base + "-1", base + "-2");
    assertThat(events)
        .extracting(
            e ->
                e.getPatient().getIdentifier().getSystem()
                    + "|"
                    + e.getPatient().getIdentifier().getValue())
        .containsExactly("urn:oid:1.2.3|A1", "urn:oid:4.5.6|B2");
    assertThat(events.get(0).getPatient().getDisplay()).isEqualTo("Ann");
    for (AuditEvent e : events) {
      assertThat(e.getEntity()).hasSize(2);
      assertThat(e.getEntity())
          .filteredOn(en -> "Patient".equals(en.getWhat().getType()))
          .hasSize(1);
      assertThat(e.getEntity())
          .anySatisfy(en -> assertThat(en.getWhat().getIdentifier().getValue()).isEqualTo("doc-1"));
      assertThat(e.getExtensionByUrl(Extensions.CORRELATION_ID).getValue())
          .asInstanceOf(type(StringType.class))
          .extracting(StringType::getValue)
          .isEqualTo(base);
      assertThat(e.getMeta().getTag(CodeSystems.CONVERSION_FLAG, "split-per-patient")).isNotNull();
      assertThat(e.getOutcome().getCode().getCode()).isEqualTo("4");
      assertThat(e.getOutcome().getDetailFirstRep().getText()).isEqualTo("partial result");
    }
  }

  /**
   * The id is the audit message (the syslog MSG part) and its sender (the peer's IP address), not
   * the frame: a retry with a fresh header, or the frame replayed over UDP from the same address,
   * is the same record; the same message from another address is not.
   */
  @Test
  void convert_idIsTheAuditMessageAndItsSender_notTheFrame() throws Exception {
    byte[] xml = message("dicom-audit-xml/ipf-pdqv3.xml");
    String original = "<85>1 2025-04-18T09:04:00Z pdq-host pdq 100 IHE+RFC-3881 - ";
    List<AuditEvent> first =
        converter.convert(concat(original.getBytes(StandardCharsets.UTF_8), xml), META);
    assertThat(first).hasSize(6);
    List<String> ids = first.stream().map(AuditEvent::getIdPart).toList();

    record Receipt(String what, String header, RawMetadata from, boolean sameRecord) {}
    RawMetadata udpSameHost =
        new RawMetadata("udp", "10.1.2.3:61000", Instant.parse("2030-01-01T00:00:00Z"), "udp-514");
    for (Receipt r :
        List.of(
            new Receipt(
                "the same frame replayed over UDP from the same address",
                original,
                udpSameHost,
                true),
            new Receipt(
                "a retry with a fresh syslog header",
                "<85>1 2025-04-18T09:04:07Z pdq-host pdq 311 IHE+RFC-3881 - ",
                META,
                true),
            new Receipt("no header, trailing white space", "", META, true),
            new Receipt(
                "IPv4 reported as IPv4-mapped IPv6 by a dual-stack listener",
                original,
                new RawMetadata("tcp", "[::ffff:10.1.2.3]:4000", META.receivedAt(), "tcp"),
                true),
            new Receipt(
                "the same frame from another address",
                original,
                new RawMetadata("udp", "10.9.9.9:514", META.receivedAt(), "udp"),
                false),
            new Receipt(
                "the same frame, sender unknown",
                original,
                new RawMetadata("udp", null, META.receivedAt(), null),
                false))) {
      byte[] frame =
          concat(
              concat(r.header().getBytes(StandardCharsets.UTF_8), xml),
              r.what().contains("trailing") ? new byte[] {'\n', ' '} : new byte[0]);
      List<String> again =
          converter.convert(frame, r.from()).stream().map(AuditEvent::getIdPart).toList();
      if (r.sameRecord()) {
        assertThat(again).as(r.what()).containsExactlyElementsOf(ids);
      } else {
        assertThat(again)
            .as(r.what())
            .doesNotContainAnyElementsOf(ids)
            .allMatch(id -> id.matches("[0-9a-f]{40}-\\d+"));
      }
    }
    byte[] otherMessage =
        new String(xml, StandardCharsets.UTF_8)
            .replaceFirst("EventDateTime=\"[^\"]*\"", "EventDateTime=\"2031-01-01T00:00:00Z\"")
            .getBytes(StandardCharsets.UTF_8);
    assertThat(converter.convert(otherMessage, META).get(0).getIdPart()).isNotEqualTo(ids.get(0));
    // the receipt still records the whole frame as it came
    assertThat(
            first
                .get(0)
                .getExtensionByUrl(Extensions.RAW_RECEIPT)
                .getExtensionString(Extensions.RECEIPT_SHA256))
        .isEqualTo(
            java.util.HexFormat.of()
                .formatHex(
                    java.security.MessageDigest.getInstance("SHA-256")
                        .digest(concat(original.getBytes(StandardCharsets.UTF_8), xml))));
  }

  @Test
  void convert_recordedWithoutSecondsNormalised() throws Exception {
    String xml =
        "<AuditMessage><EventIdentification EventActionCode=\"E\" EventDateTime=\"2024-01-01T10:00+02:00\" "
            + "EventOutcomeIndicator=\"0\"><EventID csd-code=\"110100\" codeSystemName=\"DCM\"/></EventIdentification>"
            + "<ActiveParticipant UserID=\"a\"/></AuditMessage>";
    AuditEvent e = single(converter.convert(xml.getBytes(StandardCharsets.UTF_8), META));

    assertThat(e.getRecordedElement().getValueAsString())
        .isEqualTo("2024-01-01T10:00:00.000+02:00");
    assertThat(e.getMeta().getTag(CodeSystems.CONVERSION_FLAG, "requestor-defaulted")).isNotNull();
    assertThat(e.getMeta().getTag(CodeSystems.CONVERSION_FLAG, "source-missing")).isNotNull();
    assertThat(e.getSource().getObserver().getIdentifier().getValue()).isEqualTo("10.1.2.3:50123");
  }

  @Test
  void convert_encodesWithHapiAndParsesBack() throws Exception {
    AuditEvent e = single(convert("rfc3881-legacy-xml/openatna-dicom.xml"));

    String json = Fhir.toJson(e);
    AuditEvent back = Fhir.auditEventFromJson(json);

    assertThat(json)
        .contains("\"recorded\":\"2009-10-22T12:23:45.530+01:00\"")
        .contains("\"system\":\"http://terminology.hl7.org/CodeSystem/audit-event-outcome\"");
    assertThat(back.getIdPart()).isEqualTo(e.getIdPart());
    assertThat(back.getPatient().getIdentifier().getValue()).isEqualTo("102");
    assertThat(back.getEntityFirstRep().getDetailFirstRep().getValue())
        .isInstanceOf(Base64BinaryType.class);
    assertThat(
            back.getEntityFirstRep()
                .getDetailFirstRep()
                .getValueBase64BinaryType()
                .getValueAsString())
        .isEqualTo("TXpjM05EUXlNak16TkRNPQ0K");
  }

  @Test
  void convert_externalEntityIsUnsafe() {
    String xxe =
        """
        <?xml version="1.0"?>
        <!DOCTYPE AuditMessage [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
        <AuditMessage><EventIdentification EventActionCode="E" EventDateTime="2024-01-01T00:00:00Z" EventOutcomeIndicator="0">
        <EventID csd-code="110112" codeSystemName="DCM" originalText="&xxe;"/></EventIdentification>
        <ActiveParticipant UserID="x" UserIsRequestor="true"/><AuditSourceIdentification AuditSourceID="s"/></AuditMessage>
        """;
    assertFailure(xxe.getBytes(StandardCharsets.UTF_8), ConversionFailure.XML_UNSAFE);
  }

  @Test
  void convert_billionLaughsIsUnsafe() {
    StringBuilder sb =
        new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n");
    for (int i = 1; i <= 9; i++) {
      sb.append(" <!ENTITY lol")
          .append(i)
          .append(" \"")
          .append(("&lol" + (i == 1 ? "" : i - 1) + ";").repeat(10))
          .append("\">\n");
    }
    sb.append("]>\n<AuditMessage>&lol9;</AuditMessage>");
    assertFailure(sb.toString().getBytes(StandardCharsets.UTF_8), ConversionFailure.XML_UNSAFE);
  }

  @Test
  void convert_tooDeep() {
    String deep = "<AuditMessage>" + "<x>".repeat(100) + "</x>".repeat(100) + "</AuditMessage>";
    assertFailure(deep.getBytes(StandardCharsets.UTF_8), ConversionFailure.TOO_DEEP);
  }

  @Test
  void convert_tooLarge() throws Exception {
    byte[] ok = message("dicom-audit-xml/ipf-pdqm.xml");
    AtnaConverter small = new AtnaConverter(new ConverterLimits(ok.length, 64));
    assertThat(small.convert(ok, META)).hasSize(1);

    byte[] big = new byte[ok.length + 1];
    System.arraycopy(ok, 0, big, 0, ok.length);
    big[ok.length] = '\n';
    assertThatThrownBy(() -> small.convert(big, META))
        .isInstanceOf(ConversionException.class)
        .extracting(t -> ((ConversionException) t).failure())
        .isEqualTo(ConversionFailure.TOO_LARGE);
    assertFailure(
        new byte[ConverterLimits.DEFAULT.maxMessageBytes() + 1], ConversionFailure.TOO_LARGE);
  }

  @Test
  void convert_notXml() {
    assertFailure(
        "<85>1 2025-01-01T00:00:00Z host app - - - hello world".getBytes(StandardCharsets.UTF_8),
        ConversionFailure.NOT_XML);
    assertFailure(
        "<AuditMessage><EventIdentification></AuditMessage>".getBytes(StandardCharsets.UTF_8),
        ConversionFailure.XML_MALFORMED);
    assertFailure(
        "{\"resourceType\":\"AuditEvent\"}".getBytes(StandardCharsets.UTF_8),
        ConversionFailure.NOT_XML);
  }

  @Test
  void convert_empty() {
    assertFailure(new byte[0], ConversionFailure.EMPTY);
    assertFailure(" \r\n".getBytes(StandardCharsets.UTF_8), ConversionFailure.EMPTY);
    assertFailure(
        "<85>1 2025-01-01T00:00:00Z host app - IHE+RFC-3881 -".getBytes(StandardCharsets.UTF_8),
        ConversionFailure.EMPTY);
  }

  @Test
  void convert_notAnAuditMessage() {
    assertFailure(
        "<?xml version=\"1.0\"?><AuditEvent xmlns=\"http://hl7.org/fhir\"/>"
            .getBytes(StandardCharsets.UTF_8),
        ConversionFailure.NOT_AUDIT_MESSAGE);
  }

  @Test
  void convert_auditMessageWithoutParticipantIsInvalid() {
    String xml =
        "<AuditMessage><EventIdentification EventActionCode=\"E\" EventDateTime=\"2024-01-01T00:00:00Z\" "
            + "EventOutcomeIndicator=\"0\"><EventID csd-code=\"110100\" codeSystemName=\"DCM\"/></EventIdentification></AuditMessage>";
    assertFailure(xml.getBytes(StandardCharsets.UTF_8), ConversionFailure.MISSING_ELEMENT);
    assertFailure(
        "<AuditMessage><ActiveParticipant UserID=\"a\"/></AuditMessage>"
            .getBytes(StandardCharsets.UTF_8),
        ConversionFailure.MISSING_ELEMENT);
  }

  private void assertFailure(byte[] message, ConversionFailure expected) {
    assertThatThrownBy(() -> converter.convert(message, META))
        .isInstanceOf(ConversionException.class)
        .satisfies(
            t -> {
              ConversionException ce = (ConversionException) t;
              assertThat(ce.failure()).as(ce.getMessage()).isEqualTo(expected);
              assertThat(ce.getMessage())
                  .isNotBlank()
                  .doesNotContain("\tat ")
                  .doesNotContain("Exception");
            });
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
