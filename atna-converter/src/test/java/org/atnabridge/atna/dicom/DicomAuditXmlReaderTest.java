package org.atnabridge.atna.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.atnabridge.atna.ConversionException;
import org.atnabridge.atna.ConversionFailure;
import org.junit.jupiter.api.Test;

class DicomAuditXmlReaderTest {

  private final DicomAuditXmlReader reader = new DicomAuditXmlReader(64);

  private AuditMessage read(String xml, Charset charset) throws ConversionException {
    byte[] b = xml.getBytes(charset);
    return reader.read(b, 0, b.length);
  }

  private static final String BODY =
      """
      <EventIdentification EventActionCode="R" EventDateTime="2024-01-01T00:00:00Z" EventOutcomeIndicator="0">
        <!-- a comment -->
        <EventID csd-code="110110" codeSystemName="DCM" originalText="Patient Record"/>
      </EventIdentification>
      <ActiveParticipant UserID="m\u00fcller" UserIsRequestor="true"/>
      <AuditSourceIdentification AuditSourceID="src" AuditSourceTypeCode="4"><AuditSourceTypeCode>1</AuditSourceTypeCode></AuditSourceIdentification>
      <ParticipantObjectIdentification ParticipantObjectID="p1" ParticipantObjectTypeCode="1" ParticipantObjectTypeCodeRole="1">
        <ParticipantObjectIDTypeCode code="2"/>
        <ParticipantObjectName><![CDATA[O'Neil <Jr>]]></ParticipantObjectName>
        <ParticipantObjectQuery>
          aGVs
          bG8=
        </ParticipantObjectQuery>
      </ParticipantObjectIdentification>
      """;

  @Test
  void read_namespacedCommentsCdataCrlf() throws Exception {
    String xml =
        ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<a:AuditMessage xmlns:a=\"urn:example\">"
                + BODY
                + "</a:AuditMessage>")
            .replace("\n", "\r\n");
    AuditMessage m = read(xml, StandardCharsets.UTF_8);

    assertThat(m.event().eventId().code()).isEqualTo("110110");
    assertThat(m.event().eventId().meaning()).isEqualTo("Patient Record");
    assertThat(m.participants().get(0).userId()).isEqualTo("m\u00fcller");
    assertThat(m.sources().get(0).typeCodes())
        .extracting(CodedValue::code)
        .containsExactly("4", "1");
    ParticipantObjectIdentification po = m.objects().get(0);
    assertThat(po.name()).isEqualTo("O'Neil <Jr>");
    assertThat(po.query()).isEqualTo("aGVsbG8=");
    assertThat(po.idTypeCode().code()).isEqualTo("2");
    assertThat(po.isPatient()).isTrue();
  }

  @Test
  void read_declaredLatin1Encoding() throws Exception {
    String xml =
        "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><AuditMessage>" + BODY + "</AuditMessage>";
    AuditMessage m = read(xml, StandardCharsets.ISO_8859_1);

    assertThat(m.participants().get(0).userId()).isEqualTo("m\u00fcller");
  }

  @Test
  void read_noDeclarationAndUtf16() throws Exception {
    assertThat(
            read("<AuditMessage>" + BODY + "</AuditMessage>", StandardCharsets.UTF_8)
                .participants())
        .hasSize(1);
    String utf16 =
        "<?xml version=\"1.0\" encoding=\"UTF-16\"?><AuditMessage>" + BODY + "</AuditMessage>";
    assertThat(read(utf16, StandardCharsets.UTF_16).participants().get(0).userId())
        .isEqualTo("m\u00fcller");
  }

  @Test
  void read_utf8Bom() throws Exception {
    byte[] body =
        ("<?xml version=\"1.0\"?><AuditMessage>" + BODY + "</AuditMessage>")
            .getBytes(StandardCharsets.UTF_8);
    byte[] b = new byte[body.length + 3];
    b[0] = (byte) 0xEF;
    b[1] = (byte) 0xBB;
    b[2] = (byte) 0xBF;
    System.arraycopy(body, 0, b, 3, body.length);

    assertThat(reader.read(b, 0, b.length).participants()).hasSize(1);
  }

  @Test
  void read_requestorAbsentIsNull() throws Exception {
    AuditMessage m =
        read(
            "<AuditMessage>" + BODY.replace(" UserIsRequestor=\"true\"", "") + "</AuditMessage>",
            StandardCharsets.UTF_8);

    assertThat(m.participants().get(0).userIsRequestor()).isNull();
  }

  @Test
  void read_doctypeWithoutEntitiesIsStillUnsafe() {
    assertThatThrownBy(() -> read("<!DOCTYPE AuditMessage><AuditMessage/>", StandardCharsets.UTF_8))
        .isInstanceOf(ConversionException.class)
        .extracting(t -> ((ConversionException) t).failure())
        .isEqualTo(ConversionFailure.XML_UNSAFE);
  }

  @Test
  void read_externalDtdIsUnsafe() {
    assertThatThrownBy(
            () ->
                read(
                    "<!DOCTYPE AuditMessage SYSTEM \"http://127.0.0.1:1/x.dtd\"><AuditMessage/>",
                    StandardCharsets.UTF_8))
        .isInstanceOf(ConversionException.class)
        .extracting(t -> ((ConversionException) t).failure())
        .isEqualTo(ConversionFailure.XML_UNSAFE);
  }
}
