package org.atnabridge.accesslog;

/** Internal: a line that cannot be read; {@link AccessLogConverter} turns it into a result. */
final class LineException extends Exception {

  private static final long serialVersionUID = 1L;

  private final FailureReason reason;

  LineException(FailureReason reason, String detail) {
    super(detail, null, false, false);
    this.reason = reason;
  }

  FailureReason reason() {
    return reason;
  }
}
