package org.atnabridge.store.indexer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.atnabridge.store.indexer.FaultTests.committed;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.atnabridge.kafka.embedded.EmbeddedKafkaBroker;
import org.atnabridge.schemas.DeadLetterHeaders;
import org.atnabridge.schemas.Topics;
import org.atnabridge.store.AuditQuery;
import org.atnabridge.store.TestEvents;
import org.atnabridge.store.elasticsearch.ElasticsearchAuditStore;
import org.atnabridge.testing.ElasticsearchExtension;
import org.atnabridge.testing.ElasticsearchNode;
import org.atnabridge.testing.KafkaBrokerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Sandwich over a real Elasticsearch: events of a month whose index has a conflicting mapping can
 * never be indexed; they go to the dead-letter topic with the reason, the others are indexed, and
 * the partition moves on.
 */
@ExtendWith({KafkaBrokerExtension.class, ElasticsearchExtension.class})
class IndexerDeadLetterIT {

  @Test
  void mappingConflict_goesToDlqWithReason_othersIndexed(
      EmbeddedKafkaBroker kafka, ElasticsearchNode es) throws Exception {
    String topic = "dlq-sandwich";
    String dlq = "dlq-sandwich.dlq";
    KafkaBrokerExtension.createTopics(kafka, 1, topic, dlq);
    HttpResponse<String> created =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(es.url() + "/audit-dlq.2026-03"))
                    .header("Content-Type", "application/json")
                    .PUT(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"mappings\":{\"dynamic\":\"strict\",\"properties\":{\"id\":{\"type\":\"keyword\"}}}}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
    Instant april = Instant.parse("2026-04-02T00:00:00Z");
    Instant march = Instant.parse("2026-03-02T00:00:00Z");
    try (KafkaProducer<byte[], byte[]> p =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      for (var e :
          List.of(
              TestEvents.event("ok-1", april),
              TestEvents.event("conflict", march),
              TestEvents.event("ok-2", april.plusSeconds(1)))) {
        p.send(
            new ProducerRecord<>(
                topic,
                e.getIdElement().getIdPart().getBytes(StandardCharsets.UTF_8),
                Topics.AUDIT_EVENTS.valueSerde().serializer().serialize(topic, e)));
      }
      p.send(
          new ProducerRecord<>(
              topic,
              "junk".getBytes(StandardCharsets.UTF_8),
              "not json".getBytes(StandardCharsets.UTF_8)));
    }

    try (ElasticsearchAuditStore store =
            ElasticsearchAuditStore.builder(es.url())
                .index("audit-dlq")
                // events without receipt time go by recorded within a year of the clock
                .clock(java.time.Clock.fixed(april, java.time.ZoneOffset.UTC))
                .build();
        AuditIndexer indexer =
            new AuditIndexer(
                    Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka.bootstrapServers(),
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "dlq-group"),
                    topic,
                    store,
                    null,
                    Duration.ofSeconds(1),
                    Duration.ofMillis(100),
                    dlq)
                .start()) {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> committed(kafka.bootstrapServers(), "dlq-group", topic) == 4);
      assertThat(indexer.rejectedCount()).isEqualTo(1);
      assertThat(indexer.malformedCount()).isEqualTo(1);
      store.refresh();
      assertThat(store.search().search(AuditQuery.builder().build()).events())
          .extracting(e -> e.getIdElement().getIdPart())
          .containsExactly("ok-2", "ok-1");

      List<ConsumerRecord<byte[], byte[]>> letters = readAll(kafka, dlq, 2);
      ConsumerRecord<byte[], byte[]> conflict =
          letters.stream()
              .filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals("conflict"))
              .findFirst()
              .orElseThrow();
      assertThat(header(conflict, DeadLetterHeaders.REASON)).isEqualTo("MAPPING_CONFLICT");
      assertThat(header(conflict, DeadLetterHeaders.STAGE)).isEqualTo(AuditIndexer.DLQ_STAGE);
      assertThat(header(conflict, DeadLetterHeaders.DETAIL))
          .contains("strict_dynamic_mapping_exception");
      assertThat(header(conflict, DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo("1");
      assertThat(
              Topics.AUDIT_EVENTS
                  .valueSerde()
                  .deserializer()
                  .deserialize(dlq, conflict.value())
                  .getIdElement()
                  .getIdPart())
          .isEqualTo("conflict"); // the original value, untouched
      ConsumerRecord<byte[], byte[]> junk =
          letters.stream()
              .filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals("junk"))
              .findFirst()
              .orElseThrow();
      assertThat(header(junk, DeadLetterHeaders.REASON)).isEqualTo("NOT_AUDIT_EVENT");
      store.refresh();
    }
  }

  private static String header(ConsumerRecord<byte[], byte[]> r, String key) {
    return new String(r.headers().lastHeader(key).value(), StandardCharsets.UTF_8);
  }

  private static List<ConsumerRecord<byte[], byte[]>> readAll(
      EmbeddedKafkaBroker kafka, String topic, int n) {
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "dlq-reader",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest"),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      c.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (out.size() < n && System.nanoTime() < deadline) {
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    assertThat(out).hasSize(n);
    return out;
  }
}
