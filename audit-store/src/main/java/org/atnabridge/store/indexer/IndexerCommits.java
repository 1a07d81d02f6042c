package org.atnabridge.store.indexer;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.atnabridge.store.AuditStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flushes the store, then commits the pending offsets: the order that makes a crash lose nothing.
 * On a failed write it seeks back to the first unflushed record, so the batch is read again.
 */
final class IndexerCommits {

  // one log category for the whole indexer: operators configure and filter it by that name
  private static final Logger LOG = LoggerFactory.getLogger(AuditIndexer.class);

  private final AuditStore store;
  private final IndexerMetrics metrics;
  private final PendingOffsets pending;
  private final Duration commitInterval;
  private long lastCommitNanos = System.nanoTime();

  IndexerCommits(
      AuditStore store, IndexerMetrics metrics, PendingOffsets pending, Duration commitInterval) {
    this.store = store;
    this.metrics = metrics;
    this.pending = pending;
    this.commitInterval = commitInterval;
  }

  /** Whether something is pending and the commit interval has passed. */
  boolean due() {
    return !pending.isEmpty() && System.nanoTime() - lastCommitNanos >= commitInterval.toNanos();
  }

  /** Flushes the store, then commits: the order that makes a crash lose nothing. */
  void flushAndCommit(KafkaConsumer<byte[], byte[]> c) {
    lastCommitNanos = System.nanoTime();
    if (pending.isEmpty()) {
      return;
    }
    store.writer().flush();
    commit(c, pending.offsets());
    metrics.committed(pending);
    pending.forget();
  }

  /** From the rebalance listener: best effort, a failure only means redelivery. */
  void commitDurable(KafkaConsumer<byte[], byte[]> c) {
    try {
      flushAndCommit(c);
    } catch (RuntimeException e) {
      LOG.info("flush before rebalance failed, events will be redelivered: {}", e.getMessage());
      pending.forget();
    }
  }

  /** Seeks every partition with unflushed records back to the first of them. */
  void rewind(KafkaConsumer<byte[], byte[]> c, ConsumerRecords<byte[], byte[]> failed) {
    pending
        .rewindPositions(failed)
        .forEach(
            (tp, offset) -> {
              if (c.assignment().contains(tp)) {
                c.seek(tp, offset);
              }
            });
  }

  /** A close() that raced with the batch leaves a pending wakeup: commit regardless, then stop. */
  private static void commit(
      KafkaConsumer<byte[], byte[]> c, Map<TopicPartition, OffsetAndMetadata> offsets) {
    try {
      c.commitSync(offsets);
    } catch (WakeupException e) {
      c.commitSync(offsets);
    } catch (CommitFailedException e) {
      // the group rebalanced away from us; the new owner re-reads and the writes are idempotent
      LOG.info("commit after rebalance failed, events will be redelivered: {}", e.getMessage());
    }
  }
}
