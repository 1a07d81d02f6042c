package org.atnabridge.store.indexer;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * What the indexer handed to the store since its last flush: per partition the next offset to
 * commit (everything before it was indexed, maybe not yet durable) and the first offset indexed
 * (where to restart when the store fails before the flush), with the counts that become the metrics
 * once committed. Offsets are committed only after the store flushed, so a crash loses nothing and
 * the replay is idempotent (upserts by id).
 */
final class PendingOffsets {

  private final Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
  private final Map<TopicPartition, Long> firstUnflushed = new HashMap<>();
  private long indexed;
  private long malformed;
  private long rejected;

  boolean isEmpty() {
    return next.isEmpty();
  }

  /**
   * One handled batch: its first and next offsets per partition, and what became of its records.
   */
  void add(
      Map<TopicPartition, Long> start,
      Map<TopicPartition, OffsetAndMetadata> after,
      long indexed,
      long malformed,
      long rejected) {
    start.forEach(firstUnflushed::putIfAbsent);
    next.putAll(after);
    this.indexed += indexed;
    this.malformed += malformed;
    this.rejected += rejected;
  }

  /** The offsets to commit once the store flushed. */
  Map<TopicPartition, OffsetAndMetadata> offsets() {
    return Map.copyOf(next);
  }

  long indexed() {
    return indexed;
  }

  long malformed() {
    return malformed;
  }

  long rejected() {
    return rejected;
  }

  void forget() {
    next.clear();
    firstUnflushed.clear();
    indexed = 0;
    malformed = 0;
    rejected = 0;
  }

  /**
   * Where each partition with unflushed records, or with records of the failed batch, must be read
   * again from; forgets everything pending.
   */
  Map<TopicPartition, Long> rewindPositions(ConsumerRecords<byte[], byte[]> failed) {
    Map<TopicPartition, Long> to = new HashMap<>(firstUnflushed);
    for (TopicPartition tp : failed.partitions()) {
      to.putIfAbsent(tp, failed.records(tp).get(0).offset());
    }
    forget();
    return to;
  }
}
