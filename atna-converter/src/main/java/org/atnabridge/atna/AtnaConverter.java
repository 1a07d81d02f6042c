package org.atnabridge.atna;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.atnabridge.atna.dicom.AuditMessage;
import org.atnabridge.atna.dicom.DicomAuditXmlReader;
import org.atnabridge.atna.fhir.AuditEventMapper;
import org.atnabridge.atna.syslog.SyslogHeaderParser;
import org.atnabridge.atna.syslog.SyslogRecord;
import org.atnabridge.schemas.RawMetadata;
import org.hl7.fhir.r5.model.AuditEvent;

/**
 * One syslog frame → FHIR R5 AuditEvents: {@link SyslogHeaderParser} (RFC 5424 / 3164 / none) →
 * {@link DicomAuditXmlReader} (safe StAX, DICOM PS3.15 A.5 or RFC 3881) → {@link AuditEventMapper}
 * (R5 AuditEvent's DICOM mappings). Thread-safe and reusable; the constructor does no I/O.
 *
 * <p>Deterministic: the same audit message from the same sender always gives the same ids ({@link
 * EventIds}: the XML and the sender's address, not the syslog header), so a retry or a replay is
 * recognisable as the same record. Other receive metadata only lands in the {@code raw-receipt}
 * extension and in fallbacks.
 */
public final class AtnaConverter {

  private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  private final ConverterLimits limits;
  private final DicomAuditXmlReader reader;
  private final AuditEventMapper mapper = new AuditEventMapper();

  public AtnaConverter() {
    this(ConverterLimits.DEFAULT);
  }

  public AtnaConverter(ConverterLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.reader = new DicomAuditXmlReader(limits.maxDepth(), limits.maxAttributes());
  }

  public ConverterLimits limits() {
    return limits;
  }

  /**
   * @param message one syslog frame exactly as received (RFC 5424, RFC 3164, or bare XML), without
   *     an octet-count prefix (see {@link OctetCountedFrame#strip(byte[])})
   * @param metadata receive metadata (transport, peer, receivedAt, listener)
   * @return one AuditEvent, or one per patient when the message names several
   * @throws ConversionException with the {@link ConversionFailure} that decides dead-lettering
   */
  public List<AuditEvent> convert(byte[] message, RawMetadata metadata) throws ConversionException {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(metadata, "metadata");
    if (message.length == 0) {
      throw new ConversionException(ConversionFailure.EMPTY, "message has no octets");
    }
    if (message.length > limits.maxMessageBytes()) {
      throw new ConversionException(
          ConversionFailure.TOO_LARGE,
          message.length + " bytes, the limit is " + limits.maxMessageBytes());
    }
    SyslogRecord header = SyslogHeaderParser.parse(message, metadata.receivedAt());
    int start = skipWhitespace(message, header.msgOffset());
    if (startsWith(message, start, UTF8_BOM)) {
      start = skipWhitespace(message, start + UTF8_BOM.length);
    }
    int end = message.length;
    while (end > start && (isWhitespace(message[end - 1]) || message[end - 1] == 0)) {
      end--;
    }
    if (start >= end) {
      throw new ConversionException(ConversionFailure.EMPTY, "no payload after the syslog header");
    }
    if (!looksLikeXml(message, start, end)) {
      throw new ConversionException(
          ConversionFailure.NOT_XML, "payload at offset " + start + " does not start with '<'");
    }
    AuditMessage audit = reader.read(message, start, end - start);
    return mapper.map(
        audit,
        header,
        metadata,
        sha256Hex(message),
        EventIds.of(message, start, end, metadata.peer()));
  }

  /** '<', or a UTF-16 BOM / UTF-16 '<' (the XML declaration may name any encoding). */
  private static boolean looksLikeXml(byte[] b, int start, int end) {
    byte first = b[start];
    if (first == '<') {
      return true;
    }
    if (end - start < 2) {
      return false;
    }
    byte second = b[start + 1];
    return (first == (byte) 0xFE && second == (byte) 0xFF)
        || (first == (byte) 0xFF && second == (byte) 0xFE)
        || (first == 0 && second == '<');
  }

  private static int skipWhitespace(byte[] b, int pos) {
    while (pos < b.length && isWhitespace(b[pos])) {
      pos++;
    }
    return pos;
  }

  private static boolean isWhitespace(byte x) {
    return x == ' ' || x == '\r' || x == '\n' || x == '\t';
  }

  private static boolean startsWith(byte[] b, int pos, byte[] prefix) {
    if (b.length - pos < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (b[pos + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static String sha256Hex(byte[] message) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(message));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is mandatory in every JDK", e);
    }
  }
}
