package org.atnabridge.streams.alert.rules;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as the rules file writes them: a whole number and a unit, {@code 30s}, {@code 5m},
 * {@code 1h}, {@code 90d} ({@code ms} too).
 */
public final class Durations {

  private static final Pattern FORM = Pattern.compile("([0-9]{1,9})(ms|s|m|h|d)");

  private Durations() {}

  /**
   * @throws IllegalArgumentException for any other form, zero or a negative value
   */
  public static Duration parse(String text) {
    Matcher m = FORM.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "bad duration '" + text + "': a number and a unit ms, s, m, h or d (30s, 5m, 1h, 90d)");
    }
    long n = Long.parseLong(m.group(1));
    Duration d =
        switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        };
    if (d.isZero()) {
      throw new IllegalArgumentException("bad duration '" + text + "': must be more than 0");
    }
    return d;
  }

  /**
   * The shortest exact form, a day as {@code 24h}: {@code 90d}, {@code 24h}, {@code 90m}, {@code
   * 30s}, {@code 250ms}.
   */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms % 86_400_000L == 0 && ms > 86_400_000L) {
      return ms / 86_400_000L + "d";
    }
    if (ms % 3_600_000L == 0) {
      return ms / 3_600_000L + "h";
    }
    if (ms % 60_000L == 0) {
      return ms / 60_000L + "m";
    }
    if (ms % 1000L == 0) {
      return ms / 1000L + "s";
    }
    return ms + "ms";
  }
}
