package org.atnabridge.schemas;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.hl7.fhir.r5.formats.JsonCreator;

/** A minimal JSON byte writer: compact, UTF-8, Jackson's default escaping. */
final class Utf8JsonCreator implements JsonCreator {

  private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

  /**
   * A buffer that grew beyond this is dropped after use, so one huge resource does not pin memory.
   */
  private static final int KEEP_BUFFER = 256 * 1024;

  byte[] buf = new byte[8192];
  int len;

  /** Scratch for the characters of the string being written. */
  private char[] chars = new char[1024];

  /** Per nesting level: whether the next member / element is the first (no comma). */
  private boolean[] first = new boolean[32];

  private int depth;
  private boolean afterName;

  void reset() {
    len = 0;
    depth = 0;
    afterName = false;
    if (buf.length > KEEP_BUFFER) {
      buf = new byte[8192];
    }
    if (chars.length > KEEP_BUFFER) {
      chars = new char[1024];
    }
  }

  private void ensure(int n) {
    if (len + n > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
    }
  }

  private void put(byte b) {
    if (len == buf.length) {
      ensure(1);
    }
    buf[len++] = b;
  }

  /** Comma before an array element or a value that is not the value of a name. */
  private void separate() {
    if (afterName) {
      afterName = false;
    } else if (depth > 0) {
      if (first[depth]) {
        first[depth] = false;
      } else {
        put((byte) ',');
      }
    }
  }

  private void open(byte b) {
    separate();
    put(b);
    if (++depth == first.length) {
      first = Arrays.copyOf(first, depth * 2);
    }
    first[depth] = true;
  }

  private void close(byte b) {
    depth--;
    put(b);
  }

  @Override
  public void beginObject() {
    open((byte) '{');
  }

  @Override
  public void endObject() {
    close((byte) '}');
  }

  @Override
  public void beginArray() {
    open((byte) '[');
  }

  @Override
  public void endArray() {
    close((byte) ']');
  }

  @Override
  public void name(String name) {
    separate();
    string(name);
    put((byte) ':');
    afterName = true;
  }

  @Override
  public void value(String value) {
    separate();
    if (value == null) {
      raw("null");
    } else {
      string(value);
    }
  }

  @Override
  public void value(Boolean value) {
    separate();
    raw(value == null ? "null" : value ? "true" : "false");
  }

  @Override
  public void value(BigDecimal value) {
    separate();
    raw(value == null ? "null" : value.toString());
  }

  @Override
  public void valueNum(String value) {
    separate();
    raw(value == null ? "null" : value);
  }

  @Override
  public void value(Integer value) {
    separate();
    raw(value == null ? "null" : value.toString());
  }

  @Override
  public void nullValue() {
    separate();
    raw("null");
  }

  private void raw(String ascii) {
    int n = ascii.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      buf[len++] = (byte) ascii.charAt(i);
    }
  }

  /**
   * A JSON string: {@code " \\} and control characters escaped as Jackson does, everything else
   * UTF-8.
   */
  private void string(String s) {
    int n = s.length();
    if (chars.length < n) {
      chars = new char[Math.max(n, chars.length * 2)];
    }
    char[] cs = chars;
    // one bulk copy, then plain array loops: charAt per character was the writer's largest cost
    s.getChars(0, n, cs, 0);
    ensure(n + 2);
    byte[] b = buf;
    int at = len;
    b[at++] = '"';
    int i = 0;
    while (i < n) {
      char c = cs[i];
      if (c >= 0x80 || c < 0x20 || c == '"' || c == '\\') {
        break;
      }
      b[at + i] = (byte) c;
      i++;
    }
    len = at + i;
    if (i < n) {
      rest(cs, i, n);
    }
    put((byte) '"');
  }

  /** {@link #string} from the first character that is not plain ASCII on. */
  private void rest(char[] cs, int from, int n) {
    for (int i = from; i < n; i++) {
      char c = cs[i];
      if (c < 0x80) {
        if (c >= 0x20 && c != '"' && c != '\\') {
          if (len == buf.length) {
            ensure(1);
          }
          buf[len++] = (byte) c;
        } else {
          escape(c);
        }
      } else if (c < 0x800) {
        ensure(2);
        buf[len++] = (byte) (0xC0 | (c >> 6));
        buf[len++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(cs[i + 1])) {
        int cp = Character.toCodePoint(c, cs[++i]);
        ensure(4);
        buf[len++] = (byte) (0xF0 | (cp >> 18));
        buf[len++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
        buf[len++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
        buf[len++] = (byte) (0x80 | (cp & 0x3F));
      } else if (Character.isSurrogate(c)) {
        put(
            (byte)
                '?'); // a lone surrogate is not encodable in UTF-8; String.getBytes(UTF_8) writes
        // '?' too
      } else {
        ensure(3);
        buf[len++] = (byte) (0xE0 | (c >> 12));
        buf[len++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        buf[len++] = (byte) (0x80 | (c & 0x3F));
      }
    }
  }

  private void escape(char c) {
    ensure(6);
    buf[len++] = '\\';
    switch (c) {
      case '"' -> buf[len++] = '"';
      case '\\' -> buf[len++] = '\\';
      case '\b' -> buf[len++] = 'b';
      case '\t' -> buf[len++] = 't';
      case '\n' -> buf[len++] = 'n';
      case '\f' -> buf[len++] = 'f';
      case '\r' -> buf[len++] = 'r';
      default -> {
        buf[len++] = 'u';
        buf[len++] = '0';
        buf[len++] = '0';
        buf[len++] = HEX[c >> 4];
        buf[len++] = HEX[c & 0xF];
      }
    }
  }

  @Override
  public void comment(String content) {}

  @Override
  public void finish() {}

  @Override
  public void link(String href) {}

  @Override
  public void anchor(String name) {}

  @Override
  public void externalLink(String string) {}

  @Override
  public void elide() {}

  @Override
  public boolean canElide() {
    return false;
  }

  @Override
  public boolean isCanonical() {
    return false;
  }
}
