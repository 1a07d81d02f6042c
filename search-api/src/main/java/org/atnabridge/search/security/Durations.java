package org.atnabridge.search.security;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people write them on a command line: {@code 30s}, {@code 15m}, {@code 1h}, {@code 7d}. */
public final class Durations {

  private static final Pattern FORM = Pattern.compile("(\\d{1,9})([smhd])");

  private Durations() {}

  public static Duration parse(String option, String value) {
    Matcher m = FORM.matcher(value == null ? "" : value.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(option + " must be a number and a unit s, m, h or d (e.g. 30s, 15m, 1h), got: "
          + value);
    }
    long n = Long.parseLong(m.group(1));
    Duration d = switch (m.group(2)) {
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
    if (d.isZero()) {
      throw new IllegalArgumentException(option + " must be more than 0, got: " + value);
    }
    return d;
  }
}
