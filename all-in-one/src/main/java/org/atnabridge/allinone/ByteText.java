package org.atnabridge.allinone;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/**
 * Bytes a terminal or a script can be shown safely: as text when they are valid UTF-8 without
 * control characters other than tab, CR and LF (and the syslog BOM), otherwise as base64, never raw
 * (a dead-lettered record may hold anything, escape sequences included).
 *
 * @param encoding {@code text} or {@code base64}
 * @param content the text, or the base64 of the bytes
 */
record ByteText(String encoding, String content) {

  static ByteText of(byte[] bytes) {
    String text = printable(bytes);
    return text != null
        ? new ByteText("text", text)
        : new ByteText("base64", Base64.getEncoder().encodeToString(bytes));
  }

  private static @Nullable String printable(byte[] bytes) {
    String s;
    try {
      s =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean control = Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r';
      if (control || c == '\u2028' || c == '\u2029' || (c >= '\u202a' && c <= '\u202e')) {
        return null; // C0/C1 controls (ESC), and line or bidi controls that disguise text
      }
    }
    return s;
  }
}
