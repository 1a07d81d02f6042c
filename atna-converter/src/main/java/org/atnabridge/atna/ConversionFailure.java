package org.atnabridge.atna;

/**
 * Why a message could not be converted. Drives dead-letter routing: every value is permanent for
 * the given bytes (replaying the same message fails the same way), so none of them is worth a retry.
 */
public enum ConversionFailure {
  /** The frame has no octets, or only whitespace/NULs after the syslog header. */
  EMPTY,
  /** The octet-counted frame prefix ({@code MSG-LEN SP}, RFC 5425 §4.3 / RFC 6587 §3.4.1) is malformed or does not match. */
  BAD_FRAME,
  /** The payload is not well-formed XML (or is not XML at all). */
  NOT_XML,
  /** The XML carries a DOCTYPE (DTDs, entity declarations, external entities are never processed). */
  XML_UNSAFE,
  /** The frame exceeds {@link ConverterLimits#maxMessageBytes()}. */
  TOO_LARGE,
  /** Element nesting exceeds {@link ConverterLimits#maxDepth()}. */
  TOO_DEEP,
  /** Well-formed XML whose root element is not {@code AuditMessage} (DICOM PS3.15 A.5 / RFC 3881). */
  NOT_AUDIT_MESSAGE,
  /** An {@code AuditMessage} without the parts R5 needs: EventIdentification/EventID or an ActiveParticipant. */
  INVALID_AUDIT_MESSAGE
}
