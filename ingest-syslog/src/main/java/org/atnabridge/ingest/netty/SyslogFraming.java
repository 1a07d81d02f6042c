package org.atnabridge.ingest.netty;

/**
 * How a frame was delimited: the two TCP framings of RFC 6587 §3.4, detected per frame from its
 * first octet, or a UDP datagram (RFC 5426).
 */
public enum SyslogFraming {

  /** RFC 6587 §3.4.1 (also RFC 5425 §4.3): {@code MSG-LEN SP SYSLOG-MSG}; first octet a digit. */
  OCTET_COUNTING("octet-counting"),

  /**
   * RFC 6587 §3.4.2: {@code SYSLOG-MSG TRAILER}; first octet {@code <} (the PRI). The trailer is
   * LF; CRLF and NUL are accepted too because real senders use them.
   */
  NON_TRANSPARENT("non-transparent"),

  /** RFC 5426 §3.1: exactly one message per UDP datagram, no framing. */
  DATAGRAM("datagram");

  private final String headerValue;

  SyslogFraming(String headerValue) {
    this.headerValue = headerValue;
  }

  /** The value of the {@code atna.framing} record header. */
  public String headerValue() {
    return headerValue;
  }
}
