package org.atnabridge.streams.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.atnabridge.streams.subscription.SubscriptionFixtures.event;
import static org.atnabridge.streams.subscription.SubscriptionFixtures.json;
import static org.atnabridge.streams.subscription.SubscriptionFixtures.patientScoped;
import static org.atnabridge.streams.subscription.SubscriptionFixtures.subscription;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.atnabridge.kafka.embedded.EmbeddedKafkaBroker;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.schemas.Topics;
import org.atnabridge.schemas.subscription.BuiltInTopics;
import org.atnabridge.schemas.subscription.SubscriptionNotification;
import org.atnabridge.schemas.subscription.SubscriptionNotificationJson;
import org.atnabridge.streams.StreamsSettings;
import org.atnabridge.streams.SubscriptionStreams;
import org.atnabridge.testing.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The matcher on a real broker of its own (it writes events to {@code audit.enriched} directly,
 * which the module's other tests read): events spread over every partition of {@code
 * audit.enriched} keep arriving while the application is stopped and started again on an empty
 * state directory (as another node taking over, restoring the counters from the changelog); each
 * subscription's committed notifications are numbered 1..N, contiguous, no number twice, one per
 * matching event.
 */
class SubscriptionStreamsIT {

  private static final int EVENTS = 900;

  @TempDir Path dir;

  @Test
  void restartMidStream_numbersStayContiguous_noDuplicatesNoGaps() throws Exception {
    try (EmbeddedKafkaBroker kafka =
        new EmbeddedKafkaBroker(dir.resolve("kafka"), FreePorts.next(), Map.of()).start()) {
      kafka.createTopics(Topics.newTopics((short) 1));
      String bootstrap = kafka.bootstrapServers();
      try (KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
        producer.send(
            new ProducerRecord<>(Topics.AUDIT_SUBSCRIPTIONS.name(), "all", json(subscription())));
        producer.send(
            new ProducerRecord<>(
                Topics.AUDIT_SUBSCRIPTIONS.name(),
                "p1",
                json(subscription("patient:identifier=urn:oid:1.2.3.4|p1"))));
        producer.send(
            new ProducerRecord<>(
                Topics.AUDIT_SUBSCRIPTIONS.name(),
                "elsewhere",
                json(
                    subscription(
                        BuiltInTopics.AUDIT_EVENT, patientScoped("p1"), "patient:identifier=p2"))));
        producer.flush();

        AtomicInteger sent = new AtomicInteger();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SubscriptionStreams first = SubscriptionStreams.start(settings(bootstrap, "a"), registry);
        CompletableFuture<Void> stream =
            CompletableFuture.runAsync(
                () -> {
                  for (int i = 0; i < EVENTS; i++) {
                    String id = "e" + i;
                    String patient = i % 3 == 0 ? "p1" : "p2";
                    producer.send(
                        new ProducerRecord<>(
                            Topics.AUDIT_ENRICHED.name(),
                            i % Topics.AUDIT_ENRICHED.partitions(),
                            id,
                            Fhir.toJsonBytes(event(id, patient))));
                    sent.incrementAndGet();
                    // a first third at once, then a trickle that lasts beyond the restart
                    if (i >= EVENTS / 3 && i % 10 == 0) {
                      producer.flush();
                      sleep(40);
                    }
                  }
                  producer.flush();
                });
        try (KafkaConsumer<String, byte[]> notifications = reader(bootstrap)) {
          Map<String, List<SubscriptionNotification>> seen = new HashMap<>();
          // stop once notifications are flowing and events are still being sent
          await()
              .atMost(Duration.ofSeconds(60))
              .until(() -> drain(notifications, seen) > 0 && sent.get() > EVENTS / 3);
          assertThat(sent.get()).as("stopped mid-stream").isLessThan(EVENTS);
          first.close();
          try (SubscriptionStreams second =
              SubscriptionStreams.start(settings(bootstrap, "b"), new SimpleMeterRegistry())) {
            stream.get();
            await()
                .atMost(Duration.ofSeconds(90))
                .until(
                    () -> {
                      drain(notifications, seen);
                      return seen.getOrDefault("all", List.of()).size() >= EVENTS;
                    });
            sleep(1000); // a duplicate, if any, would follow the last number
            drain(notifications, seen);
            assertThat(second.check()).isTrue();
          }
          assertNumbered(seen, "all", EVENTS);
          assertNumbered(seen, "p1", EVENTS / 3);
          assertThat(seen).doesNotContainKey("elsewhere");
          assertThat(
                  seen.get("p1").stream()
                      .map(n -> n.event().getPatient().getIdentifier().getValue())
                      .distinct())
              .containsExactly("p1");
        }
      }
    }
  }

  private static void assertNumbered(
      Map<String, List<SubscriptionNotification>> seen, String id, int count) {
    List<SubscriptionNotification> got = seen.get(id);
    assertThat(got)
        .as("numbers of %s, in the order written", id)
        .extracting(SubscriptionNotification::eventNumber)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, count).boxed().toList());
    assertThat(got.stream().map(n -> n.event().getIdPart()).distinct().count())
        .as("distinct events of %s", id)
        .isEqualTo(count);
  }

  /** Reads what is committed now; returns how many records it read. */
  private static int drain(
      KafkaConsumer<String, byte[]> c, Map<String, List<SubscriptionNotification>> seen) {
    int n = 0;
    for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
      SubscriptionNotification notification = SubscriptionNotificationJson.read(r.value());
      assertThat(notification.subscriptionId()).isEqualTo(r.key());
      seen.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(notification);
      n++;
    }
    return n;
  }

  private StreamsSettings settings(String bootstrap, String node) {
    return new StreamsSettings(bootstrap, dir.resolve("state-" + node), 1, 2, 100, Map.of());
  }

  private static KafkaProducer<String, byte[]> producer(String bootstrap) {
    return new KafkaProducer<>(
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
        new StringSerializer(),
        new ByteArraySerializer());
  }

  private static KafkaConsumer<String, byte[]> reader(String bootstrap) {
    KafkaConsumer<String, byte[]> c =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed"),
            new StringDeserializer(),
            new ByteArrayDeserializer());
    List<TopicPartition> partitions = new ArrayList<>();
    for (int p = 0; p < Topics.AUDIT_NOTIFICATIONS.partitions(); p++) {
      partitions.add(new TopicPartition(Topics.AUDIT_NOTIFICATIONS.name(), p));
    }
    c.assign(partitions);
    c.seekToBeginning(partitions);
    return c;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
