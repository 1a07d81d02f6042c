package org.atnabridge.atna;

import java.io.Serial;
import java.util.Objects;

/**
 * A message that cannot become an AuditEvent. {@link #getMessage()} is the typed reason: the {@link
 * ConversionFailure} name followed by a short detail, e.g. {@code XML_MALFORMED at 3:17: XML
 * document structures must start and end within the same entity} or {@code MISSING_ELEMENT
 * EventIdentification}. Never a stack trace or a payload dump: fit for a dead-letter header and for
 * the {@code FILE: REASON} line of {@code atna-bridge convert}.
 */
public final class ConversionException extends Exception {

  @Serial private static final long serialVersionUID = 1L;

  private final ConversionFailure failure;
  private final String detail;

  /**
   * @param failure the typed reason
   * @param detail what exactly was wrong, without the failure name (it is prepended)
   */
  public ConversionException(ConversionFailure failure, String detail) {
    super(
        Objects.requireNonNull(failure, "failure").name()
            + " "
            + Objects.requireNonNull(detail, "detail"),
        null,
        false,
        false);
    this.failure = failure;
    this.detail = detail;
  }

  public ConversionFailure failure() {
    return failure;
  }

  /** The message without the leading failure name. */
  public String detail() {
    return detail;
  }
}
