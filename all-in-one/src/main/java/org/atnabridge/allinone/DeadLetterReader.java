package org.atnabridge.allinone;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.atnabridge.schemas.Topics;
import org.jspecify.annotations.Nullable;

/**
 * Reads {@code audit.dlq} from its start to its current end (committed records only: the streams
 * write it in transactions), without a consumer group: reading changes nothing.
 */
final class DeadLetterReader {

  private DeadLetterReader() {}

  /** The records that match, in partition and offset order. */
  static List<DeadLetter> read(String bootstrap, Duration timeout, Predicate<DeadLetter> filter) {
    List<DeadLetter> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c = VerifyKafka.committedReader(bootstrap, timeout)) {
      List<TopicPartition> partitions = VerifyKafka.partitions(c, Topics.AUDIT_DLQ.name(), timeout);
      if (partitions.isEmpty()) {
        throw new IllegalStateException(
            "topic " + Topics.AUDIT_DLQ.name() + " does not exist at " + bootstrap);
      }
      for (TopicPartition tp : partitions) {
        c.assign(List.of(tp));
        c.seekToBeginning(List.of(tp));
        long end = c.endOffsets(List.of(tp), timeout).getOrDefault(tp, 0L);
        drain(
            c,
            tp,
            end,
            timeout,
            r -> {
              DeadLetter d = DeadLetter.of(r);
              if (filter.test(d)) {
                out.add(d);
              }
              return true;
            });
      }
    }
    return out;
  }

  /** The record at {@code partition}/{@code offset}, or null when there is none. */
  static @Nullable DeadLetter at(String bootstrap, Duration timeout, int partition, long offset) {
    try (KafkaConsumer<byte[], byte[]> c = VerifyKafka.committedReader(bootstrap, timeout)) {
      TopicPartition tp = new TopicPartition(Topics.AUDIT_DLQ.name(), partition);
      if (!VerifyKafka.partitions(c, tp.topic(), timeout).contains(tp)) {
        return null;
      }
      Map<TopicPartition, Long> end = c.endOffsets(List.of(tp), timeout);
      if (offset >= end.getOrDefault(tp, 0L)) {
        return null;
      }
      c.assign(List.of(tp));
      c.seek(tp, offset);
      DeadLetter[] found = new DeadLetter[1];
      drain(
          c,
          tp,
          end.getOrDefault(tp, 0L),
          timeout,
          r -> {
            if (r.offset() == offset) {
              found[0] = DeadLetter.of(r);
            }
            return r.offset()
                < offset; // an offset not there (a transaction marker): the next is past
          });
      return found[0];
    }
  }

  /** Polls until the position reaches {@code end} or {@code each} says stop. */
  private static void drain(
      KafkaConsumer<byte[], byte[]> c,
      TopicPartition tp,
      long end,
      Duration timeout,
      Predicate<ConsumerRecord<byte[], byte[]>> each) {
    long deadline = System.nanoTime() + timeout.toNanos() * 10;
    while (c.position(tp) < end) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("reading " + tp + " timed out");
      }
      for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
        if (!each.test(r)) {
          return;
        }
      }
    }
  }
}
