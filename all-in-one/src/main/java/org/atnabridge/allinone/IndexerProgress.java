package org.atnabridge.allinone;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.atnabridge.schemas.Topics;
import org.atnabridge.schemas.chain.ChainLink;
import org.atnabridge.schemas.chain.PendingTail;
import org.atnabridge.schemas.chain.ReceiptTime;
import org.hl7.fhir.r5.model.AuditEvent;
import org.jspecify.annotations.Nullable;

/**
 * How far the indexer has durably indexed each chain: the committed offsets of its consumer group
 * on {@code audit.enriched} (it commits only after the store flushed, so everything before them is
 * searchable), turned into chain positions. Per partition the records from the committed offset to
 * the end (read_committed) are the pending tail: their count, their highest sequence number, and
 * when the oldest was received (its receipt's {@code received-at}, else the record's timestamp,
 * which Kafka Streams carries over from the received or posted record). A group that has committed
 * nothing for a partition has indexed nothing of it.
 */
final class IndexerProgress {

  private IndexerProgress() {}

  /**
   * The pending tail of every chain, as {@code group} (the indexer's consumer group) has left it.
   */
  static List<PendingTail> read(String bootstrap, String group, Duration timeout) {
    Map<TopicPartition, Long> committed = committed(bootstrap, group, timeout);
    List<PendingTail> tails = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c = VerifyKafka.committedReader(bootstrap, timeout)) {
      List<TopicPartition> partitions =
          VerifyKafka.partitions(c, Topics.AUDIT_ENRICHED.name(), timeout);
      if (partitions.isEmpty()) {
        return tails;
      }
      Map<TopicPartition, Long> begin = c.beginningOffsets(partitions, timeout);
      Map<TopicPartition, Long> end = c.endOffsets(partitions, timeout);
      long deadline = System.nanoTime() + timeout.toNanos() * 10;
      for (TopicPartition tp : partitions) {
        long first = begin.getOrDefault(tp, 0L);
        long last = end.getOrDefault(tp, first);
        tails.add(tail(c, tp, Math.max(first, committed.getOrDefault(tp, first)), last, deadline));
      }
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      throw new IllegalStateException(
          "cannot read "
              + Topics.AUDIT_ENRICHED.name()
              + " from "
              + bootstrap
              + ": "
              + e.getMessage(),
          e);
    }
    return tails;
  }

  /**
   * Reads [indexedEnd, end) of one partition: the pending records. A chain's numbers follow its
   * partition's offsets one by one, so everything before the first pending number is indexed, even
   * when retention has deleted the records that carried it.
   */
  private static PendingTail tail(
      KafkaConsumer<byte[], byte[]> c,
      TopicPartition tp,
      long indexedEnd,
      long end,
      long deadline) {
    c.assign(List.of(tp));
    c.seek(tp, indexedEnd);
    long firstSeq = Long.MAX_VALUE;
    long lastSeq = 0;
    long count = 0;
    Instant oldest = null;
    while (c.position(tp) < end) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("reading " + Topics.AUDIT_ENRICHED.name() + " timed out");
      }
      for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
        AuditEvent event = event(r);
        ChainLink link = event == null ? null : ChainLink.from(event);
        if (event == null || link == null) {
          continue; // not a chained event: the indexer dead-letters it, it holds no chain position
        }
        firstSeq = Math.min(firstSeq, link.seq());
        lastSeq = Math.max(lastSeq, link.seq());
        count++;
        Instant at = ReceiptTime.receivedAt(event);
        Instant received = at != null ? at : Instant.ofEpochMilli(r.timestamp());
        oldest = oldest == null || received.isBefore(oldest) ? received : oldest;
      }
    }
    return count == 0
        ? PendingTail.none(tp.partition(), 0)
        : new PendingTail(tp.partition(), firstSeq - 1, count, lastSeq, oldest);
  }

  private static @Nullable AuditEvent event(ConsumerRecord<byte[], byte[]> r) {
    try {
      return Topics.AUDIT_ENRICHED.valueSerde().deserializer().deserialize(r.topic(), r.value());
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static Map<TopicPartition, Long> committed(
      String bootstrap, String group, Duration timeout) {
    try (Admin admin = VerifyKafka.admin(bootstrap, timeout)) {
      Map<TopicPartition, OffsetAndMetadata> offsets =
          admin
              .listConsumerGroupOffsets(group)
              .partitionsToOffsetAndMetadata()
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      Map<TopicPartition, Long> out = new HashMap<>();
      offsets.forEach(
          (tp, o) -> {
            if (o != null && tp.topic().equals(Topics.AUDIT_ENRICHED.name())) {
              out.put(tp, o.offset());
            }
          });
      return out;
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "cannot read the offsets of consumer group "
              + group
              + " from "
              + bootstrap
              + ": "
              + e.getMessage(),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
