package org.atnabridge.store.indexer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The indexer's counts, as Micrometer meters when a registry is given: {@code
 * audit.indexer.records{result=indexed|malformed|rejected}} (counted when committed), {@code
 * audit.indexer.write.failures} and the timer {@code audit.indexer.write}, all tagged with the
 * topic.
 */
final class IndexerMetrics {

  final AtomicLong indexed = new AtomicLong();
  final AtomicLong malformed = new AtomicLong();
  final AtomicLong rejected = new AtomicLong();
  final AtomicLong writeFailures = new AtomicLong();
  private final @Nullable Timer writeTimer;

  IndexerMetrics(String topic, @Nullable MeterRegistry meters) {
    if (meters != null) {
      FunctionCounter.builder("audit.indexer.records", indexed, AtomicLong::get)
          .tag("result", "indexed")
          .tag("topic", topic)
          .register(meters);
      FunctionCounter.builder("audit.indexer.records", malformed, AtomicLong::get)
          .tag("result", "malformed")
          .tag("topic", topic)
          .register(meters);
      FunctionCounter.builder("audit.indexer.records", rejected, AtomicLong::get)
          .tag("result", "rejected")
          .tag("topic", topic)
          .register(meters);
      FunctionCounter.builder("audit.indexer.write.failures", writeFailures, AtomicLong::get)
          .tag("topic", topic)
          .register(meters);
      this.writeTimer = Timer.builder("audit.indexer.write").tag("topic", topic).register(meters);
    } else {
      this.writeTimer = null;
    }
  }

  void writeTook(long nanos) {
    if (writeTimer != null) {
      writeTimer.record(nanos, TimeUnit.NANOSECONDS);
    }
  }

  /** The counts of a flushed and committed stretch. */
  void committed(PendingOffsets stretch) {
    indexed.addAndGet(stretch.indexed());
    malformed.addAndGet(stretch.malformed());
    rejected.addAndGet(stretch.rejected());
  }
}
