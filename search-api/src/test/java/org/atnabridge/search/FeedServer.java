package org.atnabridge.search;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.atnabridge.kafka.embedded.EmbeddedKafkaBroker;
import org.atnabridge.schemas.Topics;
import org.atnabridge.search.feed.KafkaAuditEventFeed;
import org.atnabridge.store.AuditStore;
import org.atnabridge.store.AuditStores;
import org.hl7.fhir.r5.model.AuditEvent;

/**
 * A FHIR server as {@code serve} builds it — Lucene store, Kafka feed (so self-audit is on) — plus
 * a consumer of {@code audit.posted} (the API's intake) from the start, to see what the server
 * wrote there.
 */
record FeedServer(
    AuditStore store,
    KafkaAuditEventFeed feed,
    SearchServer server,
    KafkaConsumer<String, AuditEvent> events)
    implements AutoCloseable {

  static FeedServer start(EmbeddedKafkaBroker kafka, Path indexDir, List<AuditEvent> stored) {
    kafka.createTopics(Topics.newTopics((short) 1));
    AuditStore store = AuditStores.lucene(indexDir);
    if (!stored.isEmpty()) {
      store.writer().write(stored);
    }
    KafkaAuditEventFeed feed =
        new KafkaAuditEventFeed(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    SearchServer server =
        new SearchServer(
                "127.0.0.1", 0, FhirServerFactory.create(store.search(), feed, Clock.systemUTC()))
            .start();
    KafkaConsumer<String, AuditEvent> events = PostedEvents.consumer(kafka, "audit-events-probe");
    return new FeedServer(store, feed, server, events);
  }

  @Override
  public void close() {
    events.close();
    server.close();
    feed.close();
    store.close();
  }
}
