package org.atnabridge.search;

import java.time.Duration;

/**
 * What {@code AuditEvent/$verify} may take of one API node, so that integrity badges cannot starve
 * searches: every check reads, parses and hashes each event of its window.
 *
 * @param maxEvents {@code --verify-max-events}: the most events one check reads; a larger window is
 *     refused with 422 ({@code too-costly}: "window holds N events; narrow it")
 * @param concurrent {@code --verify-concurrency}: checks that run at once on this node; identical
 *     requests share one check, others wait up to {@code queueWait} and are then answered 503
 * @param queueWait how long a check waits for its turn
 */
public record VerifyLimits(long maxEvents, int concurrent, Duration queueWait) {

  /**
   * Default most events per check: a month of a repository taking a million events a year. Measured
   * on the bench machine (2 cores shared, load average ~8, Lucene): reading, parsing and hashing
   * cost 37–63 µs per event, so 100,000 events is 4–6 s of one core (bench/README.md, "Console:
   * time to first rows").
   */
  public static final long DEFAULT_MAX_EVENTS = 100_000;

  /** Largest {@code --verify-max-events}: ten million small entries is about 1 GB of heap. */
  public static final long MAX_MAX_EVENTS = 10_000_000;

  /** Largest {@code --verify-concurrency}. */
  public static final int MAX_CONCURRENT = 16;

  public static final VerifyLimits DEFAULTS =
      new VerifyLimits(DEFAULT_MAX_EVENTS, 1, Duration.ofSeconds(30));

  public VerifyLimits {
    if (maxEvents < 1 || maxEvents > MAX_MAX_EVENTS) {
      throw new IllegalArgumentException(
          "--verify-max-events must be 1.." + MAX_MAX_EVENTS + ", got: " + maxEvents);
    }
    if (concurrent < 1 || concurrent > MAX_CONCURRENT) {
      throw new IllegalArgumentException(
          "--verify-concurrency must be 1.." + MAX_CONCURRENT + ", got: " + concurrent);
    }
    if (queueWait == null || queueWait.isNegative()) {
      throw new IllegalArgumentException("the $verify wait must be ≥ 0, got: " + queueWait);
    }
  }

  public VerifyLimits withMaxEvents(long v) {
    return new VerifyLimits(v, concurrent, queueWait);
  }

  public VerifyLimits withConcurrent(int v) {
    return new VerifyLimits(maxEvents, v, queueWait);
  }
}
