package org.atnabridge.streams;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.atnabridge.schemas.RawHeaders;
import org.atnabridge.schemas.Topics;
import org.atnabridge.schemas.chain.Checkpoint;
import org.hl7.fhir.r5.model.AuditEvent;

/** Producing raw frames and reading the committed outputs, for the real-broker tests. */
public final class TestKafka {

  private TestKafka() {}

  public static KafkaProducer<byte[], byte[]> rawProducer(String bootstrap) {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.LINGER_MS_CONFIG, 5),
        new ByteArraySerializer(),
        new ByteArraySerializer());
  }

  /**
   * Sends frame {@code n} keyed by one of seven keys (so all partitions get traffic), from the one
   * sender {@link Samples#PEER}, so that its ids are those {@link Samples#convert} makes.
   */
  public static void sendRaw(KafkaProducer<byte[], byte[]> producer, int n, byte[] frame) {
    String key = "10.0.0." + (n % 7);
    ProducerRecord<byte[], byte[]> r =
        new ProducerRecord<>(
            Topics.ATNA_RAW.name(), key.getBytes(java.nio.charset.StandardCharsets.UTF_8), frame);
    RawHeaders.put(r.headers(), RawHeaders.TRANSPORT, "tcp");
    RawHeaders.put(r.headers(), RawHeaders.PEER, Samples.PEER);
    producer.send(r);
  }

  public static KafkaConsumer<String, AuditEvent> enrichedConsumer(String bootstrap) {
    KafkaConsumer<String, AuditEvent> c =
        new KafkaConsumer<>(
            props(bootstrap),
            new StringDeserializer(),
            Topics.AUDIT_ENRICHED.valueSerde().deserializer());
    c.subscribe(List.of(Topics.AUDIT_ENRICHED.name()));
    return c;
  }

  public static List<ConsumerRecord<String, AuditEvent>> poll(KafkaConsumer<String, AuditEvent> c) {
    List<ConsumerRecord<String, AuditEvent>> out = new ArrayList<>();
    c.poll(Duration.ofMillis(200)).forEach(out::add);
    return out;
  }

  /** Every event committed to {@code audit.enriched} so far, in partition order. */
  public static List<AuditEvent> enrichedAll(String bootstrap) {
    List<AuditEvent> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(
            props(bootstrap), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      var partitions =
          c.partitionsFor(Topics.AUDIT_ENRICHED.name()).stream()
              .map(p -> new org.apache.kafka.common.TopicPartition(p.topic(), p.partition()))
              .toList();
      c.assign(partitions);
      c.seekToBeginning(partitions);
      Map<org.apache.kafka.common.TopicPartition, Long> end = c.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> c.position(p) < end.get(p))) {
        c.poll(Duration.ofMillis(200))
            .forEach(
                r ->
                    out.add(
                        Topics.AUDIT_ENRICHED
                            .valueSerde()
                            .deserializer()
                            .deserialize(r.topic(), r.value())));
      }
    }
    return out;
  }

  /** Every checkpoint committed so far (reads the topic from the start to its end). */
  public static List<Checkpoint> checkpoints(String bootstrap) {
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(
            props(bootstrap), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      var partitions =
          c.partitionsFor(Topics.AUDIT_CHECKPOINTS.name()).stream()
              .map(p -> new org.apache.kafka.common.TopicPartition(p.topic(), p.partition()))
              .toList();
      c.assign(partitions);
      c.seekToBeginning(partitions);
      Map<org.apache.kafka.common.TopicPartition, Long> end = c.endOffsets(partitions);
      List<Checkpoint> out = new ArrayList<>();
      while (partitions.stream().anyMatch(p -> c.position(p) < end.get(p))) {
        c.poll(Duration.ofMillis(200)).forEach(r -> out.add(Checkpoint.fromJson(r.value())));
      }
      return out;
    }
  }

  private static Map<String, Object> props(String bootstrap) {
    return Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
        bootstrap,
        ConsumerConfig.GROUP_ID_CONFIG,
        "probe-" + UUID.randomUUID(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
        "earliest",
        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
        "read_committed",
        ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
        2000);
  }
}
