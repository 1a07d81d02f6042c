package org.atnabridge.store.indexer;

import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.atnabridge.schemas.Topics;
import org.atnabridge.store.AuditPage;
import org.atnabridge.store.AuditQuery;
import org.atnabridge.store.AuditStore;
import org.atnabridge.store.SortOrder;
import org.atnabridge.store.TestEvents;

/**
 * Helpers of the fault tests: numbered events on one partition, committed offsets, the stored id
 * set.
 */
final class FaultTests {

  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  private FaultTests() {}

  static String id(int i) {
    return String.format("k-%06d", i);
  }

  /** Events {@code from..to-1}, one per offset, a minute apart, so they span several months. */
  static void produce(String bootstrap, String topic, int from, int to) {
    try (KafkaProducer<byte[], byte[]> p =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.LINGER_MS_CONFIG,
                5),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      for (int i = from; i < to; i++) {
        byte[] json =
            Topics.AUDIT_EVENTS
                .valueSerde()
                .serializer()
                .serialize(topic, TestEvents.event(id(i), T0.plusSeconds(60L * 60 * i)));
        p.send(new ProducerRecord<>(topic, 0, null, json));
      }
      p.flush();
    }
  }

  static long committed(String bootstrap, String group, String topic) {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      OffsetAndMetadata o =
          admin
              .listConsumerGroupOffsets(group)
              .partitionsToOffsetAndMetadata()
              .get()
              .get(new TopicPartition(topic, 0));
      return o == null ? 0 : o.offset();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every id in the store, paging through all of it; fails on an id seen twice. */
  static Set<String> storedIds(AuditStore store) {
    Set<String> ids = new HashSet<>();
    String cursor = null;
    do {
      AuditPage page =
          store
              .search()
              .search(
                  AuditQuery.builder().sort(SortOrder.DATE_ASC).limit(1000).cursor(cursor).build());
      for (var e : page.events()) {
        if (!ids.add(e.getIdElement().getIdPart())) {
          throw new AssertionError("duplicate " + e.getIdElement().getIdPart());
        }
      }
      cursor = page.nextCursor();
    } while (cursor != null);
    return ids;
  }

  static Set<String> ids(int from, int to) {
    Set<String> s = new HashSet<>();
    for (int i = from; i < to; i++) {
      s.add(id(i));
    }
    return s;
  }
}
