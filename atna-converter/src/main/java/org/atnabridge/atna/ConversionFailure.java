package org.atnabridge.atna;

/**
 * Why a message could not be converted: the typed reason that starts every {@link
 * ConversionException#getMessage()} (e.g. {@code XML_MALFORMED at 3:17: …}) and the dead-letter
 * {@code reason} header. Every value is permanent for the given bytes (replaying the same message
 * fails the same way), so none of them is worth a retry.
 */
public enum ConversionFailure {
  /** The frame has no octets, or only whitespace/NULs after the syslog header. */
  EMPTY,
  /**
   * The octet-counted frame prefix ({@code MSG-LEN SP}, RFC 5425 §4.3 / RFC 6587 §3.4.1) is
   * malformed or does not match.
   */
  BAD_FRAME,
  /**
   * The payload after the syslog header is not XML at all (does not start with {@code <} or a BOM).
   */
  NOT_XML,
  /**
   * The payload starts like XML but is not well-formed (truncated, unclosed or mismatched tags, bad
   * characters); the message gives line:column.
   */
  XML_MALFORMED,
  /**
   * The bytes are not valid in the encoding the XML declares (or UTF-8 when it declares none), e.g.
   * an invalid UTF-8 sequence.
   */
  INVALID_ENCODING,
  /**
   * The XML carries a DOCTYPE or an entity reference: DTDs, entity declarations and external
   * entities are never processed (XXE, billion laughs). The message names {@code DTD_NOT_ALLOWED}
   * or the entity.
   */
  XML_UNSAFE,
  /** The frame exceeds {@link ConverterLimits#maxMessageBytes()}. */
  TOO_LARGE,
  /** Element nesting exceeds {@link ConverterLimits#maxDepth()}. */
  TOO_DEEP,
  /** An element carries more attributes than {@link ConverterLimits#maxAttributes()}. */
  TOO_MANY_ATTRIBUTES,
  /**
   * Well-formed XML whose root element is not {@code AuditMessage} (DICOM PS3.15 A.5 / RFC 3881).
   */
  NOT_AUDIT_MESSAGE,
  /**
   * An {@code AuditMessage} without a part R5 cannot do without: EventIdentification, its EventID,
   * or any ActiveParticipant (R5 {@code category}/{@code code} and {@code agent} are required). The
   * message names the element.
   */
  MISSING_ELEMENT
}
