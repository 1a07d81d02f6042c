package org.atnabridge.atna;

/**
 * Bounds applied to every message before and while parsing it, so hostile input costs bounded time
 * and memory.
 *
 * @param maxMessageBytes largest accepted frame (syslog header included); above it {@link
 *     ConversionFailure#TOO_LARGE}. IHE sets no maximum (ITI-20), RFC 5425 §4.3.1 only a minimum of
 *     2048, so the default is a generous 1 MiB.
 * @param maxDepth deepest accepted element nesting; above it {@link ConversionFailure#TOO_DEEP}. A
 *     DICOM AuditMessage is at most 5 levels deep (AuditMessage/ParticipantObjectIdentification/
 *     ParticipantObjectDescription/SOPClass/Instance), so 64 leaves room for private extensions.
 * @param maxAttributes most attributes on one element; above it {@link
 *     ConversionFailure#TOO_MANY_ATTRIBUTES}. The widest DICOM element
 *     (ParticipantObjectIdentification) has 6, so 64 is generous.
 */
public record ConverterLimits(int maxMessageBytes, int maxDepth, int maxAttributes) {

  public static final ConverterLimits DEFAULT = new ConverterLimits(1024 * 1024, 64, 64);

  public ConverterLimits {
    if (maxMessageBytes <= 0) {
      throw new IllegalArgumentException("maxMessageBytes <= 0");
    }
    if (maxDepth <= 0) {
      throw new IllegalArgumentException("maxDepth <= 0");
    }
    if (maxAttributes <= 0) {
      throw new IllegalArgumentException("maxAttributes <= 0");
    }
  }

  /** The default attribute limit with the given size and depth. */
  public ConverterLimits(int maxMessageBytes, int maxDepth) {
    this(maxMessageBytes, maxDepth, DEFAULT_MAX_ATTRIBUTES);
  }

  private static final int DEFAULT_MAX_ATTRIBUTES = 64;
}
