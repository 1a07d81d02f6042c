package org.atnabridge.atna.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.atnabridge.atna.ConversionException;
import org.atnabridge.atna.ConversionFailure;
import org.atnabridge.atna.ConverterLimits;
import org.atnabridge.atna.Corpus;
import org.atnabridge.atna.syslog.SyslogHeaderParser;
import org.atnabridge.atna.syslog.SyslogRecord;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fuzzes the audit XML reader (DICOM PS3.15 A.5 / RFC 3881 AuditMessage) with arbitrary payloads.
 * Seeds: the MSG of every ATNA message of the shared corpus and {@code
 * DicomAuditXmlReaderFuzzTestInputs/read}. Properties: the outcome is an {@link AuditMessage} with
 * the parts R5 requires, or a {@link ConversionException} (the reader's typed reason) whose text is
 * short and free of control characters (it becomes a dead-letter header); reading the same octets
 * from inside a larger buffer gives the same outcome.
 */
class DicomAuditXmlReaderFuzzTest {

  private static final DicomAuditXmlReader READER =
      new DicomAuditXmlReader(
          ConverterLimits.DEFAULT.maxDepth(), ConverterLimits.DEFAULT.maxAttributes());

  static Stream<Arguments> vectors() {
    return Corpus.vectors().stream().map(v -> Arguments.of((Object) payload(v)));
  }

  @MethodSource("vectors")
  @FuzzTest(maxDuration = "60s")
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void read(byte[] xml) {
    String alone = outcome(xml, 0, xml.length);
    byte[] padded = new byte[xml.length + 6];
    System.arraycopy(xml, 0, padded, 3, xml.length);
    padded[0] = '<';
    padded[padded.length - 1] = '>';
    // the same message, the same outcome. The JDK parser is not stable on a broken XML
    // declaration from one input to the next: its wording ("invalid character" or "version not
    // supported", two fuzz seeds) and, with invalid UTF-8 after it, even which error it meets first
    // (a third seed: XML_MALFORMED or INVALID_ENCODING for the same bytes). Both are "not readable
    // as XML" and dead-letter the same way, so failures are compared by that class.
    assertThat(kind(outcome(padded, 3, xml.length)))
        .as("offset and length respected")
        .isEqualTo(kind(alone));
  }

  /**
   * A success as read; a failure as its {@link ConversionFailure} name, the two the parser may
   * report for one unreadable declaration as one class.
   */
  private static String kind(String outcome) {
    if (outcome.startsWith("ok ")) {
      return outcome;
    }
    String failure = outcome.split(" ", 2)[0];
    return failure.equals(ConversionFailure.INVALID_ENCODING.name())
            || failure.equals(ConversionFailure.XML_MALFORMED.name())
        ? "unreadable XML"
        : failure;
  }

  private static String outcome(byte[] buffer, int offset, int length) {
    try {
      AuditMessage m = READER.read(buffer, offset, length);
      assertThat(m.event().eventId()).isNotNull();
      assertThat(m.participants()).isNotEmpty();
      return "ok " + m;
    } catch (ConversionException e) {
      assertThat(e.getMessage()).startsWith(e.failure().name() + " ");
      assertThat(e.detail()).hasSizeLessThanOrEqualTo(512);
      assertThat(e.detail().codePoints().noneMatch(Character::isISOControl))
          .as("no control characters in %s", e.detail())
          .isTrue();
      return e.getMessage();
    }
  }

  /** A vector's MSG: framed vectors lose their prefix and syslog header. */
  private static byte[] payload(String vector) {
    try {
      byte[] message = Corpus.message(vector);
      SyslogRecord header = SyslogHeaderParser.parse(message, Instant.EPOCH);
      return java.util.Arrays.copyOfRange(message, header.msgOffset(), message.length);
    } catch (ConversionException e) {
      throw new IllegalStateException(vector + ": " + e.getMessage(), e);
    }
  }
}
