package org.atnabridge.streams.alert;

import java.time.Clock;
import java.time.Duration;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jspecify.annotations.Nullable;

/**
 * A task's event-time watermark: the highest event time it has seen, and, while the task is idle,
 * that time moved on with the wall clock. The wall clock only counts while nothing arrives: a task
 * working through a backlog (after an outage, or while the pipeline is behind) keeps its watermark
 * at the event times it reads, so a backlog is never "late"; a task that has seen nothing for
 * {@link #IDLE_AFTER} lets event time pass with the wall clock, so its windows close and silent
 * sources are noticed. The highest event time is kept in a store, so a restarted task does not
 * forget it; a restart counts as activity (the idle clock starts again).
 *
 * <p>An event time counts toward the watermark only up to the wall clock plus {@link
 * #MAX_CLOCK_SKEW}: one event from a sender whose clock is years ahead (or that wrote seconds as
 * milliseconds) would otherwise make every later event late.
 */
final class Watermark {

  static final String KEY = "max-event-time";

  /** How far ahead of the wall clock an event time may move the watermark. */
  static final Duration MAX_CLOCK_SKEW = Duration.ofDays(1);

  /** How long a task sees nothing before event time passes with the wall clock. */
  static final Duration IDLE_AFTER = Duration.ofSeconds(30);

  private final KeyValueStore<String, Long> store;
  private final Clock clock;
  private @Nullable Long maxEventTime;

  /** Wall clock and watermark at the last observation (or at start). */
  private long activeAtWall;

  private long activeAtWatermark = Long.MIN_VALUE;

  Watermark(KeyValueStore<String, Long> store, Clock clock) {
    this.store = store;
    this.clock = clock;
    this.activeAtWall = clock.millis();
  }

  /** Takes an event time in; returns the watermark after it. */
  long observe(long eventTime) {
    long now = clock.millis();
    long counted = Math.min(eventTime, now + MAX_CLOCK_SKEW.toMillis());
    long max = maxEventTime();
    if (counted > max) {
      max = counted;
      put(max);
    }
    activeAtWall = now;
    activeAtWatermark = max;
    return max;
  }

  /**
   * The watermark now: on an idle task (nothing observed for {@link #IDLE_AFTER}), the watermark of
   * its last activity plus the wall-clock time since.
   */
  long current() {
    long max = maxEventTime();
    long now = clock.millis();
    long idle = now - activeAtWall;
    if (max != Long.MIN_VALUE && idle >= IDLE_AFTER.toMillis()) {
      long base = activeAtWatermark == Long.MIN_VALUE ? max : activeAtWatermark;
      long advanced = Math.min(base + idle, now + MAX_CLOCK_SKEW.toMillis());
      if (advanced > max) {
        max = advanced;
        put(max);
      }
    }
    return max;
  }

  private void put(long max) {
    maxEventTime = max;
    store.put(KEY, max);
  }

  /** Read from the store on first use: after a restart, once the store is restored. */
  private long maxEventTime() {
    Long max = maxEventTime;
    if (max == null) {
      @Nullable Long stored = store.get(KEY);
      max = stored == null ? Long.MIN_VALUE : stored;
      maxEventTime = max;
    }
    return max;
  }

  long wallClock() {
    return clock.millis();
  }
}
