package org.atnabridge.ingest.netty;

/** The two TCP framings of RFC 6587 §3.4, detected per frame from its first octet. */
public enum SyslogFraming {

  /** RFC 6587 §3.4.1 (also RFC 5425 §4.3): {@code MSG-LEN SP SYSLOG-MSG}; first octet a digit. */
  OCTET_COUNTING("octet-counting"),

  /**
   * RFC 6587 §3.4.2: {@code SYSLOG-MSG TRAILER}; first octet {@code <} (the PRI). The trailer is LF;
   * CRLF and NUL are accepted too because real senders use them.
   */
  NON_TRANSPARENT("non-transparent");

  private final String headerValue;

  SyslogFraming(String headerValue) {
    this.headerValue = headerValue;
  }

  /** The value of the {@code atna.framing} record header. */
  public String headerValue() {
    return headerValue;
  }
}
