package org.atnabridge.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
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
}
