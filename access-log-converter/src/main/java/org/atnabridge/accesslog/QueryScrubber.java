package org.atnabridge.accesslog;

import java.util.Locale;
import java.util.Set;

/**
 * Replaces the values of secret query parameters ({@code access_token}, RFC 6750 §2.3; {@code
 * code}, RFC 6749 §4.1.2; ...) in a request target with {@value #MASK}, before anything is derived
 * from it. Parameter names are compared percent-decoded and case-insensitively, so {@code
 * ACCESS%5Ftoken} is caught too.
 */
public final class QueryScrubber {

  public static final String MASK = org.atnabridge.schemas.scrub.LineScrubber.MASK;

  private QueryScrubber() {}

  /** The target with every secret value masked; the same string when there is none. */
  public static String scrub(String target, Set<String> secretNames) {
    int q = target.indexOf('?');
    if (q < 0 || secretNames.isEmpty()) {
      return target;
    }
    StringBuilder out = null;
    int copied = 0; // target[0, copied) is in out
    int start = q + 1;
    while (true) {
      int amp = target.indexOf('&', start);
      int end = amp < 0 ? target.length() : amp;
      int eq = target.indexOf('=', start);
      if (eq > start && eq < end) {
        String name = PercentDecoding.decodeQuiet(target.substring(start, eq), true);
        if (secretNames.contains(name.toLowerCase(Locale.ROOT))) {
          if (out == null) {
            out = new StringBuilder(target.length());
          }
          out.append(target, copied, eq + 1).append(MASK);
          copied = end;
        }
      }
      if (amp < 0) {
        break;
      }
      start = amp + 1;
    }
    if (out == null) {
      return target;
    }
    return out.append(target, copied, target.length()).toString();
  }
}
