package org.atnabridge.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.atnabridge.schemas.Topic;

/** Consumers with which a test reads back what was written to a topic. */
public final class TopicReaders {

  private TopicReaders() {}

  /**
   * A consumer without a group, assigned to every partition of {@code topic} and positioned at its
   * beginning, so it sees records written before and after it was made.
   */
  public static KafkaConsumer<byte[], byte[]> fromBeginning(
      String bootstrapServers, Topic<byte[], byte[]> topic) {
    KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    List<TopicPartition> partitions = new ArrayList<>();
    for (int p = 0; p < topic.partitions(); p++) {
      partitions.add(new TopicPartition(topic.name(), p));
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    return consumer;
  }

  /**
   * Every committed record of {@code topic} (read_committed: aborted transactions and open ones are
   * not seen), from its beginning to its end at the time of the call, partition by partition in
   * offset order.
   */
  public static List<ConsumerRecord<byte[], byte[]>> committed(
      String bootstrapServers, String topic) {
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
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
      while (partitions.stream().anyMatch(p -> c.position(p) < end.getOrDefault(p, 0L))) {
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }
}
