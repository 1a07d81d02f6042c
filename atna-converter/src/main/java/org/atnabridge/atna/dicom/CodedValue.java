package org.atnabridge.atna.dicom;

import org.jspecify.annotations.Nullable;

/**
 * DICOM CodedValueType (DICOM PS3.15 A.5.1) read from either form: DICOM ({@code csd-code}, {@code
 * codeSystemName}, {@code originalText}) or RFC 3881 ({@code code}, {@code displayName}).
 *
 * @param code {@code csd-code}, else {@code code}, else the element text
 * @param codeSystemName {@code codeSystemName} (IHE: required; RFC 3881: optional)
 * @param codeSystem {@code codeSystem}, an OID, rarely sent
 * @param originalText DICOM Code Meaning
 * @param displayName the RFC 3881 display, often the only text present
 */
public record CodedValue(
    String code,
    @Nullable String codeSystemName,
    @Nullable String codeSystem,
    @Nullable String originalText,
    @Nullable String displayName) {

  /** The best human text: {@code originalText}, else {@code displayName}. */
  public @Nullable String meaning() {
    return originalText != null ? originalText : displayName;
  }
}
