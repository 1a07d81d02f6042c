package org.atnabridge.accesslog;

/** Why a well-formed line is not a FHIR / REST interaction to audit; dropped lines are counted. */
public enum DropReason {
  /** The path is one of the source's drop paths ({@code /health}, {@code /metrics}, ...). */
  DROP_PATH,
  /** A static file (by extension: {@code .js}, {@code .css}, {@code .png}, ...). */
  STATIC_FILE,
  /** Outside every FHIR base path prefix of the source. */
  OUTSIDE_BASE,
  /** A method that is no FHIR interaction (OPTIONS, CONNECT, TRACE, ...), or no request at all. */
  NOT_AN_INTERACTION_METHOD,
  /** Under a base path, but no FHIR RESTful interaction has this shape. */
  NOT_AN_INTERACTION
}
