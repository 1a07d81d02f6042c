package org.atnabridge.allinone;

import java.time.Duration;
import org.atnabridge.store.RetentionPolicy;

/**
 * {@code serve}'s retention options, validated at start-up (a bad value names its option). Kept
 * apart from {@link PipelineConfig} so that retention adds no component to that record.
 *
 * @param maxAge {@code --retention}: events recorded longer ago are deleted; {@link Duration#ZERO}
 *     = off (the default: an audit repository deletes nothing unless told to)
 * @param checkInterval {@code --retention-check-interval}: how often the store is checked
 */
public record RetentionSettings(Duration maxAge, Duration checkInterval) {

  public static final RetentionSettings OFF =
      new RetentionSettings(Duration.ZERO, Duration.ofHours(1));

  public RetentionSettings {
    if (maxAge.isNegative()) {
      throw new IllegalArgumentException("--retention must not be negative, got: " + maxAge);
    }
    if (checkInterval.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException(
          "--retention-check-interval must be at least 1s, got: " + checkInterval);
    }
  }

  /**
   * @param retention {@code off} (or empty) or a duration like {@code 365d}, {@code 12h}, {@code
   *     P365D}
   * @param checkInterval a duration like {@code 1h}, {@code 30m}, {@code 10s}, {@code PT1H}
   */
  public static RetentionSettings parse(String retention, String checkInterval) {
    String r = retention == null ? "" : retention.trim();
    Duration maxAge =
        r.isEmpty() || r.equalsIgnoreCase("off")
            ? Duration.ZERO
            : DurationConverter.parse("--retention", r);
    return new RetentionSettings(
        maxAge, DurationConverter.parse("--retention-check-interval", checkInterval));
  }

  public boolean enabled() {
    return !maxAge.isZero();
  }

  /** The store's policy (default legal-hold tag); {@link RetentionPolicy#OFF} when off. */
  public RetentionPolicy policy() {
    return enabled() ? RetentionPolicy.maxAge(maxAge) : RetentionPolicy.OFF;
  }
}
