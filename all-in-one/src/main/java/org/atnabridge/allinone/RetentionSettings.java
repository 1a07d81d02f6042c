package org.atnabridge.allinone;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.atnabridge.store.RetentionPolicy;

/**
 * {@code serve}'s retention options, validated at start-up (a bad value names its option). Kept
 * apart from {@link PipelineConfig} so that retention adds no component to that record.
 *
 * @param maxAge {@code --retention}: events recorded longer ago are deleted; {@link
 *     Duration#ZERO} = off (the default: an audit repository deletes nothing unless told to)
 * @param checkInterval {@code --retention-check-interval}: how often the store is checked
 */
public record RetentionSettings(Duration maxAge, Duration checkInterval) {

  public static final RetentionSettings OFF = new RetentionSettings(Duration.ZERO, Duration.ofHours(1));
  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})([dhms])");

  public RetentionSettings {
    if (maxAge.isNegative()) {
      throw new IllegalArgumentException("--retention must not be negative, got: " + maxAge);
    }
    if (checkInterval.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("--retention-check-interval must be at least 1s, got: " + checkInterval);
    }
  }

  /**
   * @param retention {@code off} (or empty) or a duration like {@code 365d}, {@code 12h}
   * @param checkInterval a duration like {@code 1h}, {@code 30m}, {@code 10s}
   */
  public static RetentionSettings parse(String retention, String checkInterval) {
    String r = retention == null ? "" : retention.trim().toLowerCase(Locale.ROOT);
    Duration maxAge = r.isEmpty() || r.equals("off") ? Duration.ZERO : duration("--retention", r);
    if (maxAge.isZero() && !r.isEmpty() && !r.equals("off")) {
      throw new IllegalArgumentException("--retention must be off or a positive duration like 365d, got: " + retention);
    }
    return new RetentionSettings(maxAge, duration("--retention-check-interval",
        checkInterval == null ? "" : checkInterval.trim().toLowerCase(Locale.ROOT)));
  }

  public boolean enabled() {
    return !maxAge.isZero();
  }

  /** The store's policy (default legal-hold tag); {@link RetentionPolicy#OFF} when off. */
  public RetentionPolicy policy() {
    return enabled() ? RetentionPolicy.maxAge(maxAge) : RetentionPolicy.OFF;
  }

  private static Duration duration(String option, String value) {
    Matcher m = DURATION.matcher(value);
    if (!m.matches()) {
      throw new IllegalArgumentException(option + " must be a number followed by d, h, m or s (e.g. 365d, 1h), got: "
          + value);
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "d" -> Duration.ofDays(n);
      case "h" -> Duration.ofHours(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofSeconds(n);
    };
  }
}
