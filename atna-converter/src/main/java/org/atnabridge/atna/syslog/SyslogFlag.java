package org.atnabridge.atna.syslog;

/**
 * Irregularities met while reading a header. None of them rejects the message (ITI-20: accept
 * anything).
 */
public enum SyslogFlag {
  /** TIMESTAMP is not a valid RFC 3339 date-time (e.g. missing seconds); the raw text is kept. */
  TIMESTAMP_INVALID,
  /**
   * RFC 3164 timestamp has no year: the receive year was assumed (rolled back one year if in the
   * future).
   */
  YEAR_ASSUMED,
  /** RFC 3164 timestamp has no zone: UTC was assumed. */
  ZONE_ASSUMED,
  /** PRIVAL outside 0..191 or with leading zeros. */
  PRI_INVALID,
  /** STRUCTURED-DATA could not be parsed to the end; the rest of the frame was taken as MSG. */
  STRUCTURED_DATA_INVALID,
  /** MSG started with the UTF-8 BOM (RFC 5424 MSG-UTF8; IHE: discouraged but acceptable). */
  BOM
}
