package org.atnabridge.accesslog;

/** Why a line could not be converted; the line goes to the dead-letter topic with it. */
public enum FailureReason {
  EMPTY,
  /** Longer than {@link AccessLogLimits#maxLineBytes()}. */
  TOO_LONG,
  /** Not valid UTF-8 (nginx and Envoy escape what is not; raw bytes are hostile or damaged). */
  INVALID_UTF8,
  /** Ends inside a quoted or bracketed field, or has fewer fields than its format. */
  TRUNCATED,
  /** The fields are there but one of them is not what the format says (time, status, request). */
  MALFORMED,
  /** A JSON line that is not one JSON object of scalar fields. */
  JSON_MALFORMED,
  /** A JSON line nested deeper, or with more or longer fields, than the limits allow. */
  JSON_LIMIT,
  /**
   * A path with a NUL, a control character, a bad percent escape or a {@code .}/{@code ..} segment.
   */
  UNSAFE_PATH,
  /** More patients named than {@link AccessLogLimits#maxPatients()}. */
  TOO_MANY_PATIENTS
}
