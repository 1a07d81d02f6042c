package org.atnabridge.accesslog;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/** RFC 3986 §2.1 percent-decoding as UTF-8; strict for paths, lenient for query parameters. */
final class PercentDecoding {

  private PercentDecoding() {}

  /**
   * Decoded, or null when an escape is not {@code %HH} or the bytes are not UTF-8; {@code plus}
   * decodes {@code +} as a space (query strings, HTML forms).
   */
  static @Nullable String decode(String s, boolean plus) {
    if (s.indexOf('%') < 0 && (!plus || s.indexOf('+') < 0)) {
      return s;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= s.length()) {
          return null;
        }
        int h = TextLineParser.hex(s.charAt(i + 1));
        int l = TextLineParser.hex(s.charAt(i + 2));
        if (h < 0 || l < 0) {
          return null;
        }
        bytes.write(h * 16 + l);
        i += 2;
      } else if (plus && c == '+') {
        bytes.write(' ');
      } else if (c < 0x80) {
        bytes.write(c);
      } else {
        byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        bytes.write(b, 0, b.length);
      }
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** {@link #decode}, or the input as it is when it cannot be decoded. */
  static String decodeQuiet(String s, boolean plus) {
    String d = decode(s, plus);
    return d == null ? s : d;
  }
}
