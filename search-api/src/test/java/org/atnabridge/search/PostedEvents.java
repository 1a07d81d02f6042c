package org.atnabridge.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.atnabridge.kafka.embedded.EmbeddedKafkaBroker;
import org.atnabridge.schemas.Topics;
import org.hl7.fhir.r5.model.AuditEvent;

/**
 * What the API wrote to {@code audit.posted} (its intake), read from the start by a group of its
 * own, gathered across polls so a test can wait for a record with Awaitility.
 */
public final class PostedEvents implements AutoCloseable {

  private final KafkaConsumer<String, AuditEvent> consumer;
  private final List<AuditEvent> seen = new ArrayList<>();

  private PostedEvents(KafkaConsumer<String, AuditEvent> consumer) {
    this.consumer = consumer;
  }

  /** Subscribed from the earliest offset, in a fresh group named {@code groupPrefix-<uuid>}. */
  public static PostedEvents subscribe(EmbeddedKafkaBroker kafka, String groupPrefix) {
    return new PostedEvents(consumer(kafka, groupPrefix));
  }

  /** The bare consumer, for tests that read records one poll at a time. */
  static KafkaConsumer<String, AuditEvent> consumer(EmbeddedKafkaBroker kafka, String groupPrefix) {
    KafkaConsumer<String, AuditEvent> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG,
                groupPrefix + "-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest"),
            Topics.AUDIT_POSTED.keySerde().deserializer(),
            Topics.AUDIT_POSTED.valueSerde().deserializer());
    consumer.subscribe(List.of(Topics.AUDIT_POSTED.name()));
    return consumer;
  }

  /** Everything seen so far, after one more poll. */
  public synchronized List<AuditEvent> poll() {
    consumer.poll(Duration.ofMillis(500)).forEach(r -> seen.add(r.value()));
    return List.copyOf(seen);
  }

  /** Waits (up to 20 s) until some record written so far satisfies {@code requirement}. */
  public void awaitAny(Consumer<AuditEvent> requirement) {
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(poll()).anySatisfy(requirement));
  }

  @Override
  public synchronized void close() {
    consumer.close();
  }
}
