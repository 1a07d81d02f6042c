package org.atnabridge.store.indexer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.atnabridge.store.TestEvents.event;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.atnabridge.kafka.embedded.EmbeddedKafkaBroker;
import org.atnabridge.schemas.Topics;
import org.atnabridge.store.AuditEventSearch;
import org.atnabridge.store.AuditEventWriter;
import org.atnabridge.store.AuditQuery;
import org.atnabridge.store.AuditStore;
import org.atnabridge.store.AuditStores;
import org.atnabridge.store.RetentionPolicy;
import org.atnabridge.store.StoreException;
import org.atnabridge.store.StoreHealth;
import org.atnabridge.store.WriteResult;
import org.atnabridge.testing.KafkaBrokerExtension;
import org.hl7.fhir.r5.model.AuditEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(KafkaBrokerExtension.class)
class AuditIndexerIT {

  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @Test
  void indexes_skipsPoisonRecord_andCommitsSoARestartReadsNothingTwice(
      EmbeddedKafkaBroker kafka, @TempDir Path dir) throws Exception {
    String topic = "indexer-sandwich";
    KafkaBrokerExtension.createTopics(
        kafka, 1, topic, Topics.AUDIT_DLQ.name()); // malformed records go there
    // sandwich: a valid event, garbage, an event without recorded, then valid ones
    AuditEvent noRecorded = event("no-recorded", T0);
    noRecorded.setRecorded(null);
    send(
        kafka,
        topic,
        json(event("a", T0)),
        "garbage {".getBytes(StandardCharsets.UTF_8),
        json(noRecorded),
        json(event("b", T0.plusSeconds(1))),
        json(event("c", T0.plusSeconds(2))));

    try (CountingStore store = new CountingStore(AuditStores.lucene(dir))) {
      SimpleMeterRegistry meters = new SimpleMeterRegistry();
      try (AuditIndexer indexer =
          new AuditIndexer(config(kafka, "g1"), topic, store, meters).start()) {
        await().atMost(TIMEOUT).until(() -> total(store) == 3);
        await().atMost(TIMEOUT).until(() -> indexer.malformedCount() == 2);
        assertThat(indexer.indexedCount()).isEqualTo(3);
        assertThat(
                meters
                    .get("audit.indexer.records")
                    .tag("result", "malformed")
                    .functionCounter()
                    .count())
            .isEqualTo(2.0);
        assertThat(indexer.check()).isEqualTo(StoreHealth.OK);
      }
      assertThat(committed(kafka, "g1", topic)).isEqualTo(5);
      assertThat(store.written.get()).isEqualTo(3);

      // same group again: resumes after the commit, so only the new event is written
      try (AuditIndexer again = new AuditIndexer(config(kafka, "g1"), topic, store, null).start()) {
        send(kafka, topic, json(event("d", T0.plusSeconds(3))));
        await().atMost(TIMEOUT).until(() -> total(store) == 4);
        assertThat(again.malformedCount()).isZero();
      }
      assertThat(store.written.get()).isEqualTo(4);
      assertThat(committed(kafka, "g1", topic)).isEqualTo(6);
    }
  }

  @Test
  void storeDown_retriesWithoutCommitting_thenIndexes(
      EmbeddedKafkaBroker kafka, @TempDir Path dir) {
    String topic = "indexer-store-down";
    KafkaBrokerExtension.createTopics(kafka, 1, topic);
    send(kafka, topic, json(event("x", T0)), json(event("y", T0.plusSeconds(1))));

    try (CountingStore store = new CountingStore(AuditStores.lucene(dir));
        AuditIndexer indexer =
            new AuditIndexer(config(kafka, "g2"), topic, store, null, Duration.ofMillis(200))) {
      store.failures.set(3);
      indexer.start();

      await().atMost(TIMEOUT).until(() -> indexer.writeFailureCount() == 3);
      await().atMost(TIMEOUT).until(() -> total(store) == 2);
      // indexedCount counts after the flush and commit, which follow the write by up to the commit
      // interval
      await().atMost(TIMEOUT).until(() -> indexer.indexedCount() == 2);
      await().atMost(TIMEOUT).until(() -> committed(kafka, "g2", topic) == 2);
    }
  }

  @Test
  void close_whileIdle_returnsPromptlyAndIsIdempotent(
      EmbeddedKafkaBroker kafka, @TempDir Path dir) {
    KafkaBrokerExtension.createTopics(kafka, 1, "indexer-idle");
    try (AuditStore store = AuditStores.lucene(dir)) {
      AuditIndexer indexer =
          new AuditIndexer(config(kafka, "g3"), "indexer-idle", store, null).start();
      long t0 = System.nanoTime();
      indexer.close();
      indexer.close();
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(15));
    }
  }

  private static Map<String, Object> config(EmbeddedKafkaBroker kafka, String group) {
    return Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
        kafka.bootstrapServers(),
        ConsumerConfig.GROUP_ID_CONFIG,
        group);
  }

  private static byte[] json(AuditEvent e) {
    return Topics.AUDIT_EVENTS.valueSerde().serializer().serialize("t", e);
  }

  private static void send(EmbeddedKafkaBroker kafka, String topic, byte[]... values) {
    try (KafkaProducer<byte[], byte[]> p =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG,
                "all"),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      for (byte[] v : values) {
        p.send(new ProducerRecord<>(topic, v));
      }
      p.flush();
    }
  }

  private static long committed(EmbeddedKafkaBroker kafka, String group, String topic)
      throws Exception {
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      OffsetAndMetadata o =
          admin
              .listConsumerGroupOffsets(group)
              .partitionsToOffsetAndMetadata()
              .get()
              .get(new TopicPartition(topic, 0));
      return o == null ? -1 : o.offset();
    }
  }

  private static long total(AuditStore store) {
    return store.search().search(AuditQuery.builder().build()).total();
  }

  /**
   * Counts events handed to the delegate and can fail the next writes like a store that is down.
   */
  private static final class CountingStore implements AuditStore, AuditEventWriter {
    final AuditStore delegate;
    final AtomicInteger written = new AtomicInteger();
    final AtomicInteger failures = new AtomicInteger();

    CountingStore(AuditStore delegate) {
      this.delegate = delegate;
    }

    @Override
    public WriteResult index(List<AuditEvent> events) {
      if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        throw new StoreException("simulated outage");
      }
      WriteResult r = delegate.writer().index(events);
      written.addAndGet(events.size());
      return r;
    }

    @Override
    public void flush() {
      delegate.writer().flush();
    }

    @Override
    public long applyRetention(RetentionPolicy policy, Instant now) {
      return delegate.applyRetention(policy, now);
    }

    @Override
    public AuditEventWriter writer() {
      return this;
    }

    @Override
    public AuditEventSearch search() {
      return delegate.search();
    }

    @Override
    public StoreHealth check() {
      return delegate.check();
    }

    @Override
    public void close() {
      delegate.close();
    }
  }
}
