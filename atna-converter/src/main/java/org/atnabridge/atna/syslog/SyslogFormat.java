package org.atnabridge.atna.syslog;

/** Which header a frame carried (detection rule: {@link SyslogHeaderParser}). */
public enum SyslogFormat {
  /** {@code <PRI>VERSION SP TIMESTAMP …} — RFC 5424. */
  RFC5424,
  /** {@code <PRI>Mmm dd hh:mm:ss HOSTNAME TAG…} — RFC 3164 (BSD). */
  RFC3164,
  /** {@code <PRI>} followed by something that is neither; everything after PRI is the MSG. */
  PRI_ONLY,
  /**
   * No syslog header at all: the frame is the XML payload (optionally after a BOM or whitespace).
   */
  NONE
}
