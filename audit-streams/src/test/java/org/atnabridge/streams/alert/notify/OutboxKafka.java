package org.atnabridge.streams.alert.notify;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.atnabridge.kafka.embedded.EmbeddedKafkaBroker;
import org.atnabridge.testing.KafkaBrokerExtension;

/** An outbox and dead-letter topic of its own per test, on the real broker. */
record OutboxKafka(String bootstrap, String topic, String dlq, String group) {

  static OutboxKafka create(EmbeddedKafkaBroker kafka, int partitions) {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    OutboxKafka o =
        new OutboxKafka(
            kafka.bootstrapServers(),
            "audit.alerts-" + suffix,
            "audit.alerts.dlq-" + suffix,
            "audit-alert-delivery-" + suffix);
    KafkaBrokerExtension.createTopics(kafka, partitions, o.topic);
    KafkaBrokerExtension.createTopics(kafka, 1, o.dlq);
    return o;
  }

  AlertDelivery.Settings settings(Backoff backoff) {
    return new AlertDelivery.Settings(bootstrap, group, topic, dlq, backoff);
  }

  void send(int partition, String key, byte[] value) throws Exception {
    try (KafkaProducer<String, byte[]> p =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
            new StringSerializer(),
            new ByteArraySerializer())) {
      p.send(new ProducerRecord<>(topic, partition, key, value)).get();
    }
  }

  /** Every record on the dead-letter topic so far. */
  List<ConsumerRecord<String, byte[]>> deadLetters() {
    try (KafkaConsumer<String, byte[]> c =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG,
                "probe-" + UUID.randomUUID()),
            new StringDeserializer(),
            new ByteArrayDeserializer())) {
      TopicPartition tp = new TopicPartition(dlq, 0);
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      long end = c.endOffsets(List.of(tp)).get(tp);
      List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
      while (c.position(tp) < end) {
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
      return out;
    }
  }

  /** The group's committed offset of a partition, -1 when none. */
  long committed(int partition) throws ExecutionException, InterruptedException {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      Map<TopicPartition, OffsetAndMetadata> offsets =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
      OffsetAndMetadata o = offsets.get(new TopicPartition(topic, partition));
      return o == null ? -1 : o.offset();
    }
  }
}
