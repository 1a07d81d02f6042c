package org.atnabridge.atna;

import java.io.Serial;
import java.util.Objects;

/**
 * A message that cannot become an AuditEvent. {@link #getMessage()} is a short human reason
 * (no stack trace text, no payload dump) fit for a dead-letter header.
 */
public final class ConversionException extends Exception {

  @Serial private static final long serialVersionUID = 1L;

  private final ConversionFailure failure;

  public ConversionException(ConversionFailure failure, String message) {
    super(Objects.requireNonNull(message, "message"));
    this.failure = Objects.requireNonNull(failure, "failure");
  }

  public ConversionException(ConversionFailure failure, String message, Throwable cause) {
    super(Objects.requireNonNull(message, "message"), cause);
    this.failure = Objects.requireNonNull(failure, "failure");
  }

  public ConversionFailure failure() {
    return failure;
  }
}
