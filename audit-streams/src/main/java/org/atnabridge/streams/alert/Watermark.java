package org.atnabridge.streams.alert;

import java.time.Clock;
import java.time.Duration;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jspecify.annotations.Nullable;

/**
 * A task's event-time watermark: the highest event time it has seen, or the wall clock if that is
 * later. Taking the wall clock in makes windows close on an idle partition, and makes an event
 * older than the wall clock minus the grace period late even on a task that saw nothing newer. The
 * highest event time is kept in a store, so a restarted task does not forget it.
 *
 * <p>An event time counts toward the watermark only up to the wall clock plus {@link
 * #MAX_CLOCK_SKEW}: one event from a sender whose clock is years ahead (or that wrote seconds as
 * milliseconds) would otherwise make every later event late.
 */
final class Watermark {

  static final String KEY = "max-event-time";

  /** How far ahead of the wall clock an event time may move the watermark. */
  static final Duration MAX_CLOCK_SKEW = Duration.ofDays(1);

  private final KeyValueStore<String, Long> store;
  private final Clock clock;
  private @Nullable Long maxEventTime;

  Watermark(KeyValueStore<String, Long> store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** Takes an event time in; returns the watermark after it. */
  long observe(long eventTime) {
    long counted = Math.min(eventTime, clock.millis() + MAX_CLOCK_SKEW.toMillis());
    if (counted > maxEventTime()) {
      maxEventTime = counted;
      store.put(KEY, counted);
    }
    return current();
  }

  long current() {
    return Math.max(maxEventTime(), clock.millis());
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
