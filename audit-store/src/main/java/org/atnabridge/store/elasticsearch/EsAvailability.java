package org.atnabridge.store.elasticsearch;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.atnabridge.store.StoreException;
import org.atnabridge.store.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads (searches and reads by id) through an outage of the cluster: a read that fails because the
 * cluster is unavailable ({@link EsFailures#unavailable}) becomes a {@link
 * StoreUnavailableException}, and the outage is logged once: one WARN line when the first read
 * fails, one INFO line when the first read after it succeeds, with its length and the reads that
 * failed meanwhile. Never a stack trace per request: an API polled by many clients would flood the
 * log with the same cause.
 */
final class EsAvailability {

  private static final Logger LOG = LoggerFactory.getLogger(ElasticsearchAuditStore.class);

  private final String where;
  private final AtomicLong downSince = new AtomicLong(); // System.nanoTime(), 0 = available
  private final AtomicLong failedReads = new AtomicLong();

  EsAvailability(String where) {
    this.where = where;
  }

  <T> T read(Supplier<T> read) {
    T result;
    try {
      result = read.get();
    } catch (StoreException e) {
      if (!EsFailures.unavailable(e)) {
        throw e;
      }
      failedReads.incrementAndGet();
      long now = Math.max(1, System.nanoTime());
      if (downSince.compareAndSet(0, now)) {
        LOG.warn(
            "Elasticsearch at {} is unavailable, searches answer 503 until it is back: {}",
            where,
            rootMessage(e));
      }
      throw e instanceof StoreUnavailableException u
          ? u
          : new StoreUnavailableException(String.valueOf(e.getMessage()), e);
    }
    long since = downSince.getAndSet(0);
    if (since != 0) {
      LOG.info(
          "Elasticsearch at {} answers searches again after {} s ({} reads failed meanwhile)",
          where,
          Duration.ofNanos(System.nanoTime() - since).toSeconds(),
          failedReads.getAndSet(0));
    }
    return result;
  }

  /** True between the first failed read of an outage and the next successful one. */
  boolean down() {
    return downSince.get() != 0;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
  }
}
