package org.atnabridge.store.indexer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.atnabridge.store.AuditStore;
import org.atnabridge.store.WriteResult;
import org.atnabridge.store.relabel.PatientLabelTable;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one polled batch to the store and routes what it cannot index to the dead-letter topic,
 * then records the batch's offsets as pending (committed only after the next flush).
 */
final class IndexerBatchWriter {

  // one log category for the whole indexer: operators configure and filter it by that name
  private static final Logger LOG = LoggerFactory.getLogger(AuditIndexer.class);

  private final AuditStore store;
  private final IndexerDeadLetters deadLetters;
  private final IndexerMetrics metrics;
  private final PendingOffsets pending;
  private final AtomicLong malformedSeen = new AtomicLong();

  IndexerBatchWriter(
      AuditStore store,
      IndexerDeadLetters deadLetters,
      IndexerMetrics metrics,
      PendingOffsets pending) {
    this.store = store;
    this.deadLetters = deadLetters;
    this.metrics = metrics;
    this.pending = pending;
  }

  /**
   * Hands the record values to the store as they are ({@link
   * org.atnabridge.store.AuditEventWriter#indexJson}): the store keeps the JSON byte for byte and
   * extracts its fields in one pass, so the indexer never parses an event itself.
   */
  void write(ConsumerRecords<byte[], byte[]> records, @Nullable PatientLabelTable labels) {
    List<byte[]> batch = new ArrayList<>(records.count());
    List<ConsumerRecord<byte[], byte[]>> sources = new ArrayList<>(records.count());
    List<Future<?>> dlqSends = new ArrayList<>();
    Map<TopicPartition, Long> start = new HashMap<>();
    Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      TopicPartition tp = new TopicPartition(r.topic(), r.partition());
      start.putIfAbsent(tp, r.offset());
      next.put(tp, new OffsetAndMetadata(r.offset() + 1));
      if (r.value() == null) {
        continue; // a tombstone: nothing to index
      }
      batch.add(r.value());
      sources.add(r);
    }
    WriteResult result = WriteResult.EMPTY;
    if (!batch.isEmpty()) {
      long t0 = System.nanoTime();
      result =
          labels == null
              ? store.writer().indexJson(batch)
              : labels.whileIndexing(() -> store.writer().indexJson(batch, labels));
      metrics.writeTook(System.nanoTime() - t0);
    }
    int bad = 0;
    for (WriteResult.Rejection rej : result.rejected()) {
      ConsumerRecord<byte[], byte[]> r = sources.get(rej.index());
      if (WriteResult.NOT_AUDIT_EVENT.equals(rej.reason())) {
        bad++;
        logMalformed(r, rej.detail());
        dlqSends.add(
            deadLetters.send(
                r, "NOT_AUDIT_EVENT", "not a FHIR R5 AuditEvent with id and recorded"));
      } else {
        dlqSends.add(
            deadLetters.send(
                r,
                IndexerDeadLetters.reasonCode(rej.reason()),
                rej.reason() + ": " + rej.detail()));
      }
    }
    IndexerDeadLetters.awaitAll(
        dlqSends); // a record is acknowledged only once its dead letter is durable
    pending.add(start, next, result.accepted(), bad, result.rejected().size() - bad);
  }

  private void logMalformed(ConsumerRecord<byte[], byte[]> r, String why) {
    long n = malformedSeen.incrementAndGet();
    if (n == 1 || n % AuditIndexer.LOG_EVERY == 0) {
      // the store's reason never quotes the payload, which may hold patient data
      LOG.warn(
          "dead-lettered malformed record {}-{}@{} ({} so far): {}",
          r.topic(),
          r.partition(),
          r.offset(),
          n,
          why);
    }
  }
}
