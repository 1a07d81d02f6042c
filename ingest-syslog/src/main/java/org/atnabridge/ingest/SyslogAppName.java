package org.atnabridge.ingest;

import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Reads the sender's application name from a syslog frame's header without parsing the frame: the
 * APP-NAME of RFC 5424 (§6.2.5: {@code <PRI>VERSION SP TIMESTAMP SP HOSTNAME SP APP-NAME SP ...})
 * or the TAG of RFC 3164 (§4.1.3: {@code <PRI>Mmm dd hh:mm:ss HOSTNAME TAG[pid]: MSG} or {@code
 * TAG: MSG}). The HOSTNAME of an RFC 3164 frame may be missing, as nginx's {@code nohostname} sends
 * it; an RFC 3339 timestamp in its place (rsyslog's forward format) is accepted too.
 *
 * <p>Only the first {@value #HEADER_SCAN_LIMIT} octets are looked at (RFC 5424: PRI, VERSION, a
 * 32-character TIMESTAMP, a 255-character HOSTNAME and a 48-character APP-NAME fit), so the cost is
 * bounded whatever the frame's size. Never throws: anything that is not such a header, including an
 * RFC 5424 NILVALUE {@code -}, yields null.
 */
public final class SyslogAppName {

  /** Octets of the frame's start that are scanned. */
  static final int HEADER_SCAN_LIMIT = 512;

  /** RFC 5424 §6: APP-NAME = NILVALUE / 1*48PRINTUSASCII; RFC 3164's 32 is often exceeded. */
  static final int MAX_NAME = 48;

  private SyslogAppName() {}

  /** The APP-NAME or TAG, or null when the frame does not start with a header that names one. */
  public static @Nullable String of(byte[] frame) {
    int end = Math.min(frame.length, HEADER_SCAN_LIMIT);
    int i = afterPri(frame, end);
    if (i < 0) {
      return null;
    }
    int version = digits(frame, i, end, 2);
    if (version > i && frame[i] != '0' && version < end && frame[version] == ' ') {
      return rfc5424(frame, version + 1, end);
    }
    return rfc3164(frame, i, end);
  }

  /** Position after {@code <PRI>} (1 to 3 digits), or -1. */
  private static int afterPri(byte[] b, int end) {
    if (end < 3 || b[0] != '<') {
      return -1;
    }
    int close = digits(b, 1, end, 3);
    return close > 1 && close < end && b[close] == '>' ? close + 1 : -1;
  }

  /** TIMESTAMP SP HOSTNAME SP APP-NAME SP: the third token, unless NILVALUE. */
  private static @Nullable String rfc5424(byte[] b, int i, int end) {
    int host = tokenEnd(b, i, end);
    if (host < 0) {
      return null;
    }
    int app = tokenEnd(b, host + 1, end);
    if (app < 0) {
      return null;
    }
    int appEnd = tokenEnd(b, app + 1, end);
    if (appEnd < 0 || appEnd - (app + 1) > MAX_NAME) {
      return null;
    }
    if (appEnd - (app + 1) == 1 && b[app + 1] == '-') {
      return null;
    }
    return ascii(b, app + 1, appEnd);
  }

  /** TIMESTAMP SP [HOSTNAME SP] TAG ( ":" / "[" pid "]:" ). */
  private static @Nullable String rfc3164(byte[] b, int i, int end) {
    int first = afterTimestamp(b, i, end);
    if (first < 0) {
      return null;
    }
    int firstEnd = wordEnd(b, first, end);
    String tag = tag(b, first, firstEnd);
    if (tag != null || firstEnd >= end) {
      return tag;
    }
    // the first word was the HOSTNAME
    return tag(b, firstEnd + 1, wordEnd(b, firstEnd + 1, end));
  }

  /**
   * Position after {@code Mmm dd hh:mm:ss SP} (a day below 10 padded with a space, or not) or after
   * an RFC 3339 timestamp and its SP; -1 otherwise.
   */
  private static int afterTimestamp(byte[] b, int i, int end) {
    if (i + 4 <= end && isDigit(b[i]) && digits(b, i, end, 4) == i + 4) {
      int t = tokenEnd(b, i, end);
      return t < 0 ? -1 : t + 1;
    }
    if (i + 4 > end || !isLetter(b[i]) || !isLetter(b[i + 1]) || !isLetter(b[i + 2])) {
      return -1;
    }
    int p = i + 3;
    if (b[p] != ' ') {
      return -1;
    }
    p++;
    if (p < end && b[p] == ' ') {
      p++;
    }
    int day = digits(b, p, end, 2);
    if (day == p) {
      return -1;
    }
    p = day;
    // SP hh:mm:ss SP
    if (p + 10 > end || b[p] != ' ' || b[p + 3] != ':' || b[p + 6] != ':' || b[p + 9] != ' ') {
      return -1;
    }
    for (int k : new int[] {1, 2, 4, 5, 7, 8}) {
      if (!isDigit(b[p + k])) {
        return -1;
      }
    }
    return p + 10;
  }

  /**
   * The TAG of the word {@code [from, to)} if it is {@code TAG:} or {@code TAG[pid]:}, else null.
   */
  private static @Nullable String tag(byte[] b, int from, int to) {
    if (from >= to || b[to - 1] != ':') {
      return null;
    }
    int name = from;
    while (name < to && b[name] != '[' && b[name] != ':' && b[name] != ']') {
      name++;
    }
    if (name == from || name - from > MAX_NAME) {
      return null;
    }
    if (b[name] == '[') {
      int close = name + 1;
      while (close < to && b[close] != ']') {
        close++;
      }
      if (close != to - 2) {
        return null;
      }
    } else if (name != to - 1) {
      return null;
    }
    return ascii(b, from, name);
  }

  /**
   * End of the word at {@code from}: the next SP, or {@code end} when the scan or the frame ends
   * there; the word's octets must be printable US-ASCII. Returns {@code from} for an empty or
   * non-printable word.
   */
  private static int wordEnd(byte[] b, int from, int end) {
    int p = from;
    while (p < end && b[p] != ' ') {
      if (b[p] < 33 || b[p] > 126) {
        return from;
      }
      p++;
    }
    return p;
  }

  /** Position of the SP that ends a non-empty printable token at {@code from}, or -1. */
  private static int tokenEnd(byte[] b, int from, int end) {
    int p = wordEnd(b, from, end);
    return p > from && p < end ? p : -1;
  }

  /** Position after up to {@code max} ASCII digits starting at {@code from}. */
  private static int digits(byte[] b, int from, int end, int max) {
    int p = from;
    while (p < end && p - from < max && isDigit(b[p])) {
      p++;
    }
    return p;
  }

  private static boolean isDigit(byte c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isLetter(byte c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  }

  private static String ascii(byte[] b, int from, int to) {
    return new String(b, from, to - from, StandardCharsets.US_ASCII);
  }
}
