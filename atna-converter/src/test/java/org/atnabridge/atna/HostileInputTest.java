package org.atnabridge.atna;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Bad and hostile input: each case is rejected with its typed reason, a position where the parser
 * knows one, no stack trace text, and bounded work — asserted as bytes allocated by the converting
 * thread (a billion-laughs expansion or an unbounded buffer would blow far past the bound), never
 * as wall-clock time.
 */
class HostileInputTest {

  /**
   * Generous bound for one rejected message of at most 1 MiB: a few copies of the input, no
   * expansion.
   */
  private static final long MAX_ALLOCATED_BYTES = 32L * 1024 * 1024;

  private final AtnaConverter converter = new AtnaConverter();

  @Test
  void convert_truncatedXml_isMalformedWithPosition() throws Exception {
    byte[] full = Corpus.message("dicom-audit-xml/ipf-pixfeed.xml");
    byte[] truncated = Arrays.copyOf(full, full.length / 2);

    ConversionException e = reject(truncated, ConversionFailure.XML_MALFORMED);
    assertThat(e.getMessage()).matches("XML_MALFORMED at \\d+:\\d+: .+");
  }

  @Test
  void convert_mismatchedTag_isMalformedAtThatLine() {
    String xml = "<AuditMessage>\n  <EventIdentification>\n  </EventID>\n</AuditMessage>";
    ConversionException e =
        reject(xml.getBytes(StandardCharsets.UTF_8), ConversionFailure.XML_MALFORMED);
    assertThat(e.getMessage()).startsWith("XML_MALFORMED at 3:");
  }

  @Test
  void convert_invalidUtf8_isInvalidEncoding() throws Exception {
    String xml =
        new String(Corpus.message("dicom-audit-xml/ipf-pixfeed.xml"), StandardCharsets.UTF_8);
    int at = xml.indexOf("UserID=\"") + 8;
    byte[] head = xml.substring(0, at).getBytes(StandardCharsets.UTF_8);
    byte[] tail = xml.substring(at).getBytes(StandardCharsets.UTF_8);
    byte[] bad = new byte[head.length + 2 + tail.length];
    System.arraycopy(head, 0, bad, 0, head.length);
    bad[head.length] = (byte) 0xC3; // a 2-byte lead followed by a non-continuation byte
    bad[head.length + 1] = (byte) 0x28;
    System.arraycopy(tail, 0, bad, head.length + 2, tail.length);

    ConversionException e = reject(bad, ConversionFailure.INVALID_ENCODING);
    assertThat(e.getMessage()).startsWith("INVALID_ENCODING");
  }

  @Test
  void convert_wrongRootElement_isNotAnAuditMessage() {
    ConversionException e =
        reject(
            "<?xml version=\"1.0\"?><Bundle xmlns=\"http://hl7.org/fhir\"><type value=\"batch\"/></Bundle>"
                .getBytes(StandardCharsets.UTF_8),
            ConversionFailure.NOT_AUDIT_MESSAGE);
    assertThat(e.getMessage()).contains("<Bundle>");
  }

  @Test
  void convert_externalEntity_isUnsafe_andNeverResolved() {
    String xxe =
        "<?xml version=\"1.0\"?>\n<!DOCTYPE AuditMessage [ <!ENTITY xxe SYSTEM \"file:///etc/passwd\"> ]>\n"
            + "<AuditMessage><EventIdentification EventActionCode=\"E\" EventDateTime=\"2024-01-01T00:00:00Z\""
            + " EventOutcomeIndicator=\"0\"><EventID csd-code=\"110112\" codeSystemName=\"DCM\" originalText=\"&xxe;\"/>"
            + "</EventIdentification><ActiveParticipant UserID=\"x\"/></AuditMessage>";
    ConversionException e =
        reject(xxe.getBytes(StandardCharsets.UTF_8), ConversionFailure.XML_UNSAFE);
    assertThat(e.getMessage())
        .startsWith("XML_UNSAFE DTD_NOT_ALLOWED at 2:")
        .doesNotContain("root:");
  }

  @Test
  void convert_billionLaughs_isUnsafe_withoutExpansion() {
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
    reject(sb.toString().getBytes(StandardCharsets.UTF_8), ConversionFailure.XML_UNSAFE);
  }

  @Test
  void convert_undeclaredEntityWithoutDoctype_isRejected() {
    ConversionException e =
        reject("<AuditMessage>&lol9;</AuditMessage>".getBytes(StandardCharsets.UTF_8), null);
    assertThat(e.failure()).isIn(ConversionFailure.XML_UNSAFE, ConversionFailure.XML_MALFORMED);
  }

  @Test
  void convert_tooManyAttributes() {
    StringBuilder attrs = new StringBuilder();
    for (int i = 0; i < 10_000; i++) {
      attrs.append(" a").append(i).append("=\"x\"");
    }
    reject(
        ("<AuditMessage><EventIdentification" + attrs + "/></AuditMessage>")
            .getBytes(StandardCharsets.UTF_8),
        ConversionFailure.TOO_MANY_ATTRIBUTES);
  }

  @Test
  void convert_tooDeep() {
    String deep =
        "<AuditMessage>" + "<x>".repeat(100_000) + "</x>".repeat(100_000) + "</AuditMessage>";
    reject(deep.getBytes(StandardCharsets.UTF_8), ConversionFailure.TOO_DEEP);
  }

  @Test
  void convert_overOneMebibyte_isTooLarge_beforeParsing() {
    byte[] huge = new byte[ConverterLimits.DEFAULT.maxMessageBytes() + 1];
    Arrays.fill(huge, (byte) '<');
    ConversionException e = reject(huge, ConversionFailure.TOO_LARGE);
    assertThat(e.getMessage()).isEqualTo("TOO_LARGE 1048577 bytes, the limit is 1048576");
  }

  @Test
  void convert_oneMebibyteOfOpenTags_isBounded() {
    byte[] tags =
        "<a>"
            .repeat(ConverterLimits.DEFAULT.maxMessageBytes() / 3)
            .getBytes(StandardCharsets.US_ASCII);
    reject(tags, ConversionFailure.TOO_DEEP);
  }

  @Test
  void convert_missingEventIdentification_namesTheElement() {
    ConversionException e =
        reject(
            "<AuditMessage><ActiveParticipant UserID=\"a\"/></AuditMessage>"
                .getBytes(StandardCharsets.UTF_8),
            ConversionFailure.MISSING_ELEMENT);
    assertThat(e.getMessage()).isEqualTo("MISSING_ELEMENT EventIdentification");
  }

  @Test
  void convert_notXml_andEmpty_keepTheirNames() {
    reject(
        "<85>1 2025-01-01T00:00:00Z host app - - - hello".getBytes(StandardCharsets.UTF_8),
        ConversionFailure.NOT_XML);
    reject(new byte[0], ConversionFailure.EMPTY);
    reject(new byte[] {(byte) 0xFF, (byte) 0xFE, 0, 0}, null);
  }

  /**
   * Converts, expects failure {@code expected} (any when null), and checks the message and the
   * allocation bound.
   */
  private ConversionException reject(byte[] message, ConversionFailure expected) {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    ConversionException e =
        catchThrowableOfType(
            ConversionException.class, () -> converter.convert(message, Corpus.META));
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;

    assertThat(e).as("no ConversionException").isNotNull();
    if (expected != null) {
      assertThat(e.failure()).as(e.getMessage()).isEqualTo(expected);
    }
    assertThat(e.getMessage())
        .startsWith(e.failure().name())
        .doesNotContain("\tat ")
        .doesNotContain("Exception")
        .doesNotContain("\n")
        .hasSizeLessThan(400);
    assertThat(e.getStackTrace()).as("no stack trace is captured").isEmpty();
    assertThat(allocated)
        .as("bytes allocated rejecting it")
        .isLessThan(MAX_ALLOCATED_BYTES + 4L * message.length);
    return e;
  }
}
