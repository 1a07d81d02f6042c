package org.atnabridge.accesslog;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Reads the space-separated text formats ({@code combined}, {@code common}, Envoy's default): bare
 * tokens, {@code [bracketed]} times and {@code "quoted"} fields, unescaping nginx's {@code \"},
 * {@code \\} and {@code \xHH} inside quotes. Stateless.
 */
final class TextLineParser {

  /** nginx / Apache {@code $time_local}: {@code 10/Oct/2000:13:55:36 -0700}. */
  private static final DateTimeFormatter TIME_LOCAL =
      DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH);

  private TextLineParser() {}

  static AccessLogRecord parse(String line, AccessLogFormat format) throws LineException {
    List<String> t = tokens(line);
    return switch (format) {
      case COMBINED, COMMON -> clf(t, format == AccessLogFormat.COMBINED);
      case ENVOY -> envoy(t);
      default -> throw new IllegalArgumentException(format + " is not a text format");
    };
  }

  /** Common Log Format and its combined extension. */
  private static AccessLogRecord clf(List<String> t, boolean combined) throws LineException {
    int needed = combined ? 9 : 7;
    if (t.size() < needed) {
      throw new LineException(
          FailureReason.TRUNCATED, t.size() + " fields, the format has " + needed);
    }
    String[] request = requestLine(t.get(4));
    String forwardedFor = combined && t.size() > 9 ? dash(t.get(9)) : null;
    return new AccessLogRecord(
        dash(t.get(0)),
        dash(t.get(2)),
        timeLocal(t.get(3)),
        request[0],
        request[1],
        status(t.get(5)),
        null,
        forwardedFor,
        null,
        null,
        null);
  }

  private static AccessLogRecord envoy(List<String> t) throws LineException {
    if (t.size() < 13) {
      throw new LineException(FailureReason.TRUNCATED, t.size() + " fields, the format has 13");
    }
    String[] request = requestLine(t.get(1));
    return new AccessLogRecord(
        null,
        null,
        iso(t.get(0)),
        request[0],
        request[1],
        status(t.get(2)),
        dash(t.get(10)),
        dash(t.get(8)),
        null,
        null,
        dash(t.get(11)));
  }

  /**
   * {@code METHOD TARGET PROTOCOL}; a lone {@code -} (nginx for a request it could not read) gives
   * an empty method, which the converter drops.
   */
  static String[] requestLine(String request) throws LineException {
    if (request.equals("-") || request.isEmpty()) {
      return new String[] {"", ""};
    }
    int sp1 = request.indexOf(' ');
    if (sp1 <= 0) {
      return new String[] {"", ""}; // not an HTTP request line (e.g. a TLS handshake on plain HTTP)
    }
    int sp2 = request.indexOf(' ', sp1 + 1);
    String target = sp2 < 0 ? request.substring(sp1 + 1) : request.substring(sp1 + 1, sp2);
    return new String[] {request.substring(0, sp1).toUpperCase(Locale.ROOT), target};
  }

  static int status(String s) throws LineException {
    if (s.length() != 3) {
      throw new LineException(FailureReason.MALFORMED, "status is not three digits");
    }
    int v = 0;
    for (int i = 0; i < 3; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        throw new LineException(FailureReason.MALFORMED, "status is not three digits");
      }
      v = v * 10 + (c - '0');
    }
    if (v < 100 || v > 599) {
      throw new LineException(FailureReason.MALFORMED, "status " + v + " is not 100..599");
    }
    return v;
  }

  private static @Nullable Instant timeLocal(String s) throws LineException {
    if (s.equals("-")) {
      return null;
    }
    Instant fast = fastTimeLocal(s);
    if (fast != null) {
      return fast;
    }
    try {
      return OffsetDateTime.parse(s, TIME_LOCAL).toInstant();
    } catch (DateTimeParseException e) {
      throw new LineException(FailureReason.MALFORMED, "time is not dd/MMM/yyyy:HH:mm:ss Z");
    }
  }

  private static final String MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec";

  /**
   * {@code dd/MMM/yyyy:HH:mm:ss +hhmm} read by position (what nginx and Apache always write); null
   * for anything else, which then goes through the formatter.
   */
  private static @Nullable Instant fastTimeLocal(String s) {
    if (s.length() != 26
        || s.charAt(2) != '/'
        || s.charAt(6) != '/'
        || s.charAt(11) != ':'
        || s.charAt(14) != ':'
        || s.charAt(17) != ':'
        || s.charAt(20) != ' ') {
      return null;
    }
    int month = MONTHS.indexOf(s.substring(3, 6));
    int day = digits(s, 0, 2);
    int year = digits(s, 7, 11);
    int hour = digits(s, 12, 14);
    int minute = digits(s, 15, 17);
    int second = digits(s, 18, 20);
    int zh = digits(s, 22, 24);
    int zm = digits(s, 24, 26);
    char sign = s.charAt(21);
    if (month < 0 || month % 3 != 0 || (sign != '+' && sign != '-')) {
      return null;
    }
    if ((day | year | hour | minute | second | zh | zm) < 0
        || day < 1
        || hour > 23
        || minute > 59
        || second > 60
        || zh > 18
        || zm > 59) {
      return null;
    }
    try {
      int offset = (sign == '-' ? -1 : 1) * (zh * 3600 + zm * 60);
      return java.time.LocalDateTime.of(
              year, month / 3 + 1, day, hour, minute, Math.min(second, 59))
          .toInstant(java.time.ZoneOffset.ofTotalSeconds(offset));
    } catch (java.time.DateTimeException e) {
      return null; // 31 Feb and the like: the formatter reports it
    }
  }

  /** The decimal number in {@code s[from, to)}, -1 when a character is not a digit. */
  private static int digits(String s, int from, int to) {
    int v = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  static @Nullable Instant iso(String s) throws LineException {
    if (s.equals("-")) {
      return null;
    }
    try {
      return OffsetDateTime.parse(s).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return OffsetDateTime.parse(s, TIME_LOCAL).toInstant();
      } catch (DateTimeParseException notLocal) {
        throw new LineException(FailureReason.MALFORMED, "time is not ISO 8601");
      }
    }
  }

  static @Nullable String dash(String s) {
    return s.isEmpty() || s.equals("-") ? null : s;
  }

  /** Splits on spaces outside quotes and brackets. */
  static List<String> tokens(String line) throws LineException {
    List<String> out = new ArrayList<>(16);
    int n = line.length();
    int i = 0;
    while (i < n) {
      char c = line.charAt(i);
      if (c == ' ' || c == '\t') {
        i++;
      } else if (c == '"') {
        StringBuilder sb = new StringBuilder();
        i++;
        boolean closed = false;
        while (i < n) {
          char d = line.charAt(i);
          if (d == '\\' && i + 1 < n) {
            char e = line.charAt(i + 1);
            if (e == 'x'
                && i + 3 < n
                && hex(line.charAt(i + 2)) >= 0
                && hex(line.charAt(i + 3)) >= 0) {
              sb.append((char) (hex(line.charAt(i + 2)) * 16 + hex(line.charAt(i + 3))));
              i += 4;
            } else {
              sb.append(e);
              i += 2;
            }
          } else if (d == '"') {
            closed = true;
            i++;
            break;
          } else {
            sb.append(d);
            i++;
          }
        }
        if (!closed) {
          throw new LineException(FailureReason.TRUNCATED, "a quoted field is not closed");
        }
        out.add(sb.toString());
      } else if (c == '[') {
        int close = line.indexOf(']', i + 1);
        if (close < 0) {
          throw new LineException(FailureReason.TRUNCATED, "a bracketed field is not closed");
        }
        out.add(line.substring(i + 1, close));
        i = close + 1;
      } else {
        int end = i;
        while (end < n && line.charAt(end) != ' ' && line.charAt(end) != '\t') {
          end++;
        }
        out.add(line.substring(i, end));
        i = end;
      }
    }
    return out;
  }

  static int hex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }
}
