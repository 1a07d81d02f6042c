package org.atnabridge.streams.alert;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.atnabridge.schemas.Topics;
import org.atnabridge.schemas.alert.Alert;
import org.atnabridge.schemas.alert.AlertJson;

/** What the alert engine's ITs read back from the real broker: committed records only. */
final class CommittedRecords {

  private CommittedRecords() {}

  /** Every committed record of the topic, from its beginning to its end now. */
  static List<ConsumerRecord<byte[], byte[]>> of(String bootstrap, String topic) {
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed"),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          c.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      c.assign(partitions);
      c.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = c.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> c.position(p) < end.get(p))) {
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }

  /** {@link #of} read by {@code read}. */
  static <T> List<T> read(
      String bootstrap, String topic, Function<ConsumerRecord<byte[], byte[]>, T> read) {
    return of(bootstrap, topic).stream().map(read).toList();
  }

  /** The alerts of one rule on {@code audit.alerts}. */
  static List<Alert> alerts(String bootstrap, String ruleId) {
    return read(bootstrap, Topics.AUDIT_ALERTS.name(), r -> AlertJson.read(r.value())).stream()
        .filter(a -> a.rule().id().equals(ruleId))
        .toList();
  }
}
