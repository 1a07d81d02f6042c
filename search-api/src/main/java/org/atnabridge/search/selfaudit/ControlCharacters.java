package org.atnabridge.search.selfaudit;

/**
 * Makes text that came from a request safe to log or record: every control character (C0, DEL, C1)
 * and the Unicode line and paragraph separators become a visible {@code \n}, {@code \r}, {@code \t}
 * or {@code \}{@code uXXXX} escape, so that no request can start a line of its own in the server
 * log or in a recorded detail (OWASP "Log Injection", CWE-117).
 */
public final class ControlCharacters {

  private ControlCharacters() {}

  public static String escape(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!isControl(c)) {
        if (out != null) {
          out.append(c);
        }
        continue;
      }
      if (out == null) {
        out = new StringBuilder(text.length() + 16).append(text, 0, i);
      }
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> out.append(String.format("\\u%04x", (int) c));
      }
    }
    return out == null ? text : out.toString();
  }

  private static boolean isControl(char c) {
    return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029';
  }
}
