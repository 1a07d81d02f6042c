package org.atnabridge.store.indexer;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log of one store outage as the indexer lives it, in three lines: WARN when the first write
 * fails (the reason), INFO when a write succeeds again (how long it lasted, how many retries), INFO
 * when the backlog that piled up meanwhile is indexed (how many events, how long it took). The
 * retries in between log at DEBUG: an outage of an hour is three lines, not one per retry.
 */
final class IndexerOutage {

  // one log category for the whole indexer: operators configure and filter it by that name
  private static final Logger LOG = LoggerFactory.getLogger(AuditIndexer.class);

  private final String topic;
  private final Duration maxBackoff;
  private long downSince; // System.nanoTime() of the first failure, 0 = none
  private long failures;
  private long resumedAt; // System.nanoTime() of the first success after an outage, 0 = none
  private long drained;

  IndexerOutage(String topic, Duration maxBackoff) {
    this.topic = topic;
    this.maxBackoff = maxBackoff;
  }

  /** A write or flush failed; {@code retryIn} is the pause before the next try. */
  void failed(RuntimeException e, Duration retryIn) {
    failures++;
    if (downSince == 0) {
      downSince = Math.max(1, System.nanoTime());
      resumedAt = 0;
      LOG.warn(
          "indexing from {} stopped: the store is failing; retrying at least every {} ms and as "
              + "soon as the store's health check passes, nothing is committed until then: {}",
          topic,
          maxBackoff.toMillis(),
          e.getMessage());
    } else {
      LOG.debug("indexing from {} still failing, retry in {} ms: {}", topic, retryIn.toMillis(), e);
    }
  }

  /**
   * A poll was written (and flushed when due) without failure, or the store's health check passed.
   *
   * @param records how many records the poll returned
   * @param caughtUp nothing is left to read on the consumer's partitions
   */
  void succeeded(int records, boolean caughtUp) {
    long now = System.nanoTime();
    if (downSince != 0) {
      LOG.info(
          "indexing from {} resumed: the store is back after an outage of {} ms ({} failed tries)",
          topic,
          Duration.ofNanos(now - downSince).toMillis(),
          failures);
      downSince = 0;
      failures = 0;
      resumedAt = Math.max(1, now);
      drained = 0;
    }
    if (resumedAt == 0) {
      return;
    }
    drained += records;
    if (caughtUp) {
      LOG.info(
          "indexing from {} caught up: the backlog of {} events was indexed in {} ms after the "
              + "outage",
          topic,
          drained,
          Duration.ofNanos(now - resumedAt).toMillis());
      resumedAt = 0;
    }
  }

  /** In an outage, or draining the backlog after one. */
  boolean draining() {
    return downSince != 0 || resumedAt != 0;
  }

  boolean down() {
    return downSince != 0;
  }
}
