package org.atnabridge.atna.syslog;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.atnabridge.atna.syslog.SyslogRecord.SdElement;
import org.atnabridge.atna.syslog.SyslogRecord.SdParam;
import org.jspecify.annotations.Nullable;

/**
 * Reads the syslog header of one frame (octet-count prefix already removed) and finds where MSG
 * starts. Detection: after {@code <PRI>} a version digit and SP means RFC 5424, a month name means
 * RFC 3164, anything else is MSG; a frame without PRI is bare payload.
 *
 * <p>Never rejects: ITI-20 requires an ARR to accept any RFC 5424 message, and real senders emit
 * malformed timestamps (missing seconds or zone). Irregularities are reported as {@link
 * SyslogFlag}s. Stateless and thread-safe.
 */
public final class SyslogHeaderParser {

  private static final byte SP = ' ';
  private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  /** {@code Mmm dd hh:mm:ss}, day space-padded or not (RFC 3164 §4.1.2). */
  private static final Pattern BSD_TIMESTAMP =
      Pattern.compile("^([A-Z][a-z]{2}) {1,2}(\\d{1,2}) (\\d{2}):(\\d{2}):(\\d{2})");

  private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("MMM", Locale.ENGLISH);

  private SyslogHeaderParser() {}

  /**
   * @param frame one SYSLOG-MSG as received
   * @param receivedAt receive time, used to complete RFC 3164 timestamps (no year, no zone)
   */
  public static SyslogRecord parse(byte[] frame, Instant receivedAt) {
    Cursor c = new Cursor(frame);
    int pri = readPri(c);
    if (pri < 0) {
      return bare(frame, SyslogFormat.NONE, null, EnumSet.noneOf(SyslogFlag.class), 0);
    }
    Set<SyslogFlag> flags = EnumSet.noneOf(SyslogFlag.class);
    if (pri > 191 || (frame[1] == '0' && pri != 0)) {
      flags.add(SyslogFlag.PRI_INVALID);
    }
    if (isVersion(c)) {
      return parse5424(c, pri, flags);
    }
    if (BSD_TIMESTAMP.matcher(c.peekAscii(16)).find()) {
      return parse3164(c, pri, flags, receivedAt);
    }
    return bare(frame, SyslogFormat.PRI_ONLY, pri, flags, c.pos);
  }

  private static SyslogRecord bare(
      byte[] frame, SyslogFormat format, @Nullable Integer pri, Set<SyslogFlag> flags, int offset) {
    int msg = skipBom(frame, offset, flags);
    return new SyslogRecord(
        format,
        pri == null ? null : pri / 8,
        pri == null ? null : pri % 8,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        List.of(),
        msg,
        flags);
  }

  /**
   * Returns PRIVAL and leaves the cursor after {@code >}, or -1 (cursor untouched) when there is no
   * PRI.
   */
  private static int readPri(Cursor c) {
    byte[] b = c.bytes;
    if (b.length < 3 || b[0] != '<') {
      return -1;
    }
    int i = 1;
    int value = 0;
    while (i < b.length && i <= 4 && b[i] >= '0' && b[i] <= '9') {
      value = value * 10 + (b[i] - '0');
      i++;
    }
    if (i == 1 || i > 4 || i >= b.length || b[i] != '>') {
      return -1;
    }
    c.pos = i + 1;
    return value;
  }

  private static boolean isVersion(Cursor c) {
    byte[] b = c.bytes;
    int i = c.pos;
    if (i >= b.length || b[i] < '1' || b[i] > '9') {
      return false;
    }
    int end = i;
    while (end < b.length && end - i < 3 && b[end] >= '0' && b[end] <= '9') {
      end++;
    }
    return end < b.length && b[end] == SP;
  }

  private static SyslogRecord parse5424(Cursor c, int pri, Set<SyslogFlag> flags) {
    c.token(); // VERSION
    String rawTs = c.token();
    OffsetDateTime ts = null;
    if (rawTs != null) {
      try {
        ts = OffsetDateTime.parse(rawTs, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
      } catch (DateTimeParseException e) {
        flags.add(SyslogFlag.TIMESTAMP_INVALID);
      }
    }
    String host = c.token();
    String app = c.token();
    String proc = c.token();
    String msgId = c.token();
    String rawSd = null;
    List<SdElement> sd = new ArrayList<>();
    if (c.pos < c.bytes.length) {
      if (c.bytes[c.pos] == '-') {
        c.pos++;
      } else if (c.bytes[c.pos] == '[') {
        int sdStart = c.pos;
        if (!readStructuredData(c, sd)) {
          flags.add(SyslogFlag.STRUCTURED_DATA_INVALID);
          c.pos = indexOf(c.bytes, (byte) '<', sdStart);
        }
        rawSd = new String(c.bytes, sdStart, c.pos - sdStart, StandardCharsets.UTF_8);
      }
    }
    if (c.pos < c.bytes.length && c.bytes[c.pos] == SP) {
      c.pos++;
    }
    int msg = skipBom(c.bytes, c.pos, flags);
    return new SyslogRecord(
        SyslogFormat.RFC5424,
        pri / 8,
        pri % 8,
        rawTs,
        ts,
        host,
        app,
        proc,
        msgId,
        rawSd,
        sd,
        msg,
        flags);
  }

  /** Reads 1*SD-ELEMENT; returns false (cursor undefined) when the syntax is broken. */
  private static boolean readStructuredData(Cursor c, List<SdElement> out) {
    byte[] b = c.bytes;
    while (c.pos < b.length && b[c.pos] == '[') {
      c.pos++;
      String id = c.until(SP, (byte) ']');
      if (id.isEmpty()) {
        return false;
      }
      List<SdParam> params = new ArrayList<>();
      while (c.pos < b.length && b[c.pos] == SP) {
        c.pos++;
        String name = c.until((byte) '=', (byte) ']');
        if (name.isEmpty() || c.pos + 1 >= b.length || b[c.pos] != '=' || b[c.pos + 1] != '"') {
          return false;
        }
        c.pos += 2;
        ByteArrayOutputStream value = new ByteArrayOutputStream();
        boolean closed = false;
        while (c.pos < b.length) {
          byte x = b[c.pos++];
          if (x == '\\'
              && c.pos < b.length
              && (b[c.pos] == '"' || b[c.pos] == '\\' || b[c.pos] == ']')) {
            value.write(b[c.pos++]);
          } else if (x == '"') {
            closed = true;
            break;
          } else {
            value.write(x);
          }
        }
        if (!closed) {
          return false;
        }
        params.add(new SdParam(name, value.toString(StandardCharsets.UTF_8)));
      }
      if (c.pos >= b.length || b[c.pos] != ']') {
        return false;
      }
      c.pos++;
      out.add(new SdElement(id, params));
    }
    return true;
  }

  private static SyslogRecord parse3164(
      Cursor c, int pri, Set<SyslogFlag> flags, Instant receivedAt) {
    Matcher m = BSD_TIMESTAMP.matcher(c.peekAscii(16));
    m.find();
    String rawTs = m.group();
    c.pos += rawTs.length();
    OffsetDateTime ts = bsdTimestamp(m, receivedAt, flags);
    if (c.pos < c.bytes.length && c.bytes[c.pos] == SP) {
      c.pos++;
    }
    String host = null;
    if (c.pos < c.bytes.length && c.bytes[c.pos] != '<') {
      host = c.token();
    }
    String tag = null;
    String pid = null;
    byte[] b = c.bytes;
    if (c.pos < b.length && b[c.pos] != '<') {
      tag = c.until((byte) '[', (byte) ':', SP, (byte) '<');
      if (c.pos < b.length && b[c.pos] == '[') {
        c.pos++;
        pid = c.until((byte) ']');
        if (c.pos < b.length) {
          c.pos++;
        }
      }
      if (c.pos < b.length && b[c.pos] == ':') {
        c.pos++;
      }
      if (c.pos < b.length && b[c.pos] == SP) {
        c.pos++;
      }
    }
    int msg = skipBom(b, c.pos, flags);
    return new SyslogRecord(
        SyslogFormat.RFC3164,
        pri / 8,
        pri % 8,
        rawTs,
        ts,
        host,
        emptyToNull(tag),
        emptyToNull(pid),
        null,
        null,
        List.of(),
        msg,
        flags);
  }

  private static @Nullable OffsetDateTime bsdTimestamp(
      Matcher m, Instant receivedAt, Set<SyslogFlag> flags) {
    try {
      int month = MONTH.parse(m.group(1)).get(ChronoField.MONTH_OF_YEAR);
      int year = receivedAt.atOffset(ZoneOffset.UTC).getYear();
      LocalDateTime t =
          LocalDateTime.of(
              year,
              month,
              Integer.parseInt(m.group(2)),
              Integer.parseInt(m.group(3)),
              Integer.parseInt(m.group(4)),
              Integer.parseInt(m.group(5)));
      // a December message received on 1 January belongs to last year (RFC 3164 §4.1.2 has no year)
      if (t.toInstant(ZoneOffset.UTC).isAfter(receivedAt.plus(1, ChronoUnit.DAYS))) {
        t = t.minusYears(1);
      }
      flags.add(SyslogFlag.YEAR_ASSUMED);
      flags.add(SyslogFlag.ZONE_ASSUMED);
      return t.atOffset(ZoneOffset.UTC);
    } catch (DateTimeException e) {
      flags.add(SyslogFlag.TIMESTAMP_INVALID);
      return null;
    }
  }

  private static int skipBom(byte[] b, int pos, Set<SyslogFlag> flags) {
    if (b.length - pos >= 3 && b[pos] == BOM[0] && b[pos + 1] == BOM[1] && b[pos + 2] == BOM[2]) {
      flags.add(SyslogFlag.BOM);
      return pos + 3;
    }
    return pos;
  }

  private static int indexOf(byte[] b, byte x, int from) {
    for (int i = from; i < b.length; i++) {
      if (b[i] == x) {
        return i;
      }
    }
    return b.length;
  }

  private static @Nullable String emptyToNull(@Nullable String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  /** A read position over the frame. */
  private static final class Cursor {
    final byte[] bytes;
    int pos;

    Cursor(byte[] bytes) {
      this.bytes = bytes;
    }

    /** Next SP-delimited header field (NILVALUE → null) and consumes the SP after it. */
    @Nullable String token() {
      String t = until(SP);
      if (pos < bytes.length) {
        pos++;
      }
      return t.isEmpty() || t.equals("-") ? null : t;
    }

    /** Reads up to (not including) the first stop byte or the end. */
    String until(byte... stops) {
      int start = pos;
      outer:
      while (pos < bytes.length) {
        for (byte s : stops) {
          if (bytes[pos] == s) {
            break outer;
          }
        }
        pos++;
      }
      return new String(bytes, start, pos - start, StandardCharsets.UTF_8);
    }

    String peekAscii(int max) {
      return new String(bytes, pos, Math.min(max, bytes.length - pos), StandardCharsets.ISO_8859_1);
    }
  }
}
