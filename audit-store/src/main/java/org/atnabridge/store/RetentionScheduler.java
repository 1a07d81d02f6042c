package org.atnabridge.store;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a {@link RetentionPolicy} to a store on its own thread: once at {@link #start()}, then
 * every {@code checkInterval}. A failed run (store down) is logged and counted; the next run
 * retries, and since a run deletes everything expired at its time, nothing is missed.
 *
 * <p>Metrics, when a registry is given: {@code audit.retention.runs}, {@code
 * audit.retention.deleted} (events), {@code audit.retention.failures}.
 */
public final class RetentionScheduler implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RetentionScheduler.class);

  private final AuditStore store;
  private final RetentionPolicy policy;
  private final Duration checkInterval;
  private final Clock clock;
  private final ScheduledExecutorService thread;
  private final AtomicLong runs = new AtomicLong();
  private final AtomicLong deleted = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final @Nullable Counter deletedCounter;
  private final @Nullable Counter runsCounter;
  private final @Nullable Counter failuresCounter;

  /**
   * @param policy must be enabled: a scheduler of {@link RetentionPolicy#OFF} is a mistake
   * @param checkInterval at least 1 s
   * @param meters where to register the metrics, or null
   */
  public RetentionScheduler(
      AuditStore store,
      RetentionPolicy policy,
      Duration checkInterval,
      Clock clock,
      @Nullable MeterRegistry meters) {
    this.store = Objects.requireNonNull(store, "store");
    this.policy = Objects.requireNonNull(policy, "policy");
    if (!policy.enabled()) {
      throw new IllegalArgumentException("retention policy is off: nothing to schedule");
    }
    if (checkInterval.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("checkInterval < 1 s: " + checkInterval);
    }
    this.checkInterval = checkInterval;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "audit-retention");
              t.setDaemon(true);
              return t;
            });
    if (meters != null) {
      runsCounter = Counter.builder("audit.retention.runs").register(meters);
      deletedCounter =
          Counter.builder("audit.retention.deleted").baseUnit("events").register(meters);
      failuresCounter = Counter.builder("audit.retention.failures").register(meters);
    } else {
      runsCounter = null;
      deletedCounter = null;
      failuresCounter = null;
    }
  }

  /** First run now (on the scheduler's thread), then every {@code checkInterval}. */
  public RetentionScheduler start() {
    thread.scheduleWithFixedDelay(
        this::runOnce, 0, checkInterval.toMillis(), TimeUnit.MILLISECONDS);
    LOG.info(
        "retention: deleting events recorded more than {} ago (except legal hold {}|{}), checked every {}",
        policy.maxAge(),
        policy.legalHoldSystem(),
        policy.legalHoldCode(),
        checkInterval);
    return this;
  }

  /** Completed runs, successful or not. */
  public long runs() {
    return runs.get();
  }

  /** Events deleted by all runs so far. */
  public long deleted() {
    return deleted.get();
  }

  public long failures() {
    return failures.get();
  }

  private void runOnce() {
    try {
      long n = store.applyRetention(policy, clock.instant());
      deleted.addAndGet(n);
      increment(deletedCounter, n);
      if (n > 0) {
        LOG.info(
            "retention: deleted {} events recorded before {}", n, policy.cutoff(clock.instant()));
      }
    } catch (
        RuntimeException e) { // never kill the schedule: the next run deletes what this one missed
      failures.incrementAndGet();
      increment(failuresCounter, 1);
      LOG.warn("retention run failed, retrying in {}: {}", checkInterval, e.getMessage());
    } finally {
      runs.incrementAndGet();
      increment(runsCounter, 1);
    }
  }

  private static void increment(@Nullable Counter c, long n) {
    if (c != null && n > 0) {
      c.increment(n);
    }
  }

  /** Stops scheduling and waits for a run in progress (up to 30 s). */
  @Override
  public void close() {
    thread.shutdownNow();
    try {
      thread.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
