package org.atnabridge.search;

import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The text of a parser or parameter error as a client may see it: HAPI's message codes ({@code
 * HAPI-1851:}), its exception class names and StAX's location block are internals, so they are
 * removed and the position is kept as "line L, column C".
 */
public final class ParserMessages {

  private static final Pattern HAPI_CODE = Pattern.compile("HAPI-\\d+:\\s*");
  private static final Pattern LOCATION =
      Pattern.compile(
          "\\w*Exception at \\[Line number = (\\d+)\\s+Column number = (\\d+)[^\\]]*\\]:?\\s*");
  private static final Pattern EXCEPTION_NAME =
      Pattern.compile("\\b(?:[a-z]+\\.)*\\w*Exception:?\\s*");

  private ParserMessages() {}

  public static String clean(@Nullable String message) {
    if (message == null || message.isBlank()) {
      return "unreadable content";
    }
    String m = HAPI_CODE.matcher(message).replaceAll("");
    m = LOCATION.matcher(m).replaceAll("line $1, column $2: ");
    m = EXCEPTION_NAME.matcher(m).replaceAll("");
    return m.strip();
  }
}
