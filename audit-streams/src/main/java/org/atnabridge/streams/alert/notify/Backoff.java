package org.atnabridge.streams.alert.notify;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter: after the n-th failure wait a uniformly random time in
 * {@code [0, min(cap, base * 2^(n-1))]}. The randomness spreads the retries of many alerts to one
 * receiver that comes back, instead of hitting it in lockstep.
 *
 * @param base the ceiling of the first wait
 * @param cap the largest ceiling
 */
public record Backoff(Duration base, Duration cap) {

  /** 1 s doubling up to 5 min. */
  public static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5));

  public Backoff {
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(cap, "cap");
    if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
      throw new IllegalArgumentException("backoff needs 0 < base <= cap");
    }
  }

  /** The ceiling of the wait after {@code failures} failures (≥ 1). */
  public Duration ceiling(int failures) {
    int doublings = Math.max(0, Math.min(failures - 1, 40));
    long millis = base.toMillis();
    long capMillis = cap.toMillis();
    for (int i = 0; i < doublings && millis < capMillis; i++) {
      millis *= 2;
    }
    return Duration.ofMillis(Math.min(millis, capMillis));
  }

  /** A wait after {@code failures} failures, drawn from {@code random}. */
  public Duration delay(int failures, RandomGenerator random) {
    return Duration.ofMillis(random.nextLong(ceiling(failures).toMillis() + 1));
  }
}
