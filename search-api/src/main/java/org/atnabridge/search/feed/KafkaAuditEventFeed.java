package org.atnabridge.search.feed;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.atnabridge.schemas.Topics;
import org.atnabridge.search.AcknowledgedProducerConfig;
import org.hl7.fhir.r5.model.AuditEvent;

/**
 * Writes to {@code audit.posted}, the API's intake (the audit-streams task writes the first receipt
 * of each event to {@code audit.events}, the topic of record, and chains it), with an idempotent
 * producer ({@code acks=all}); a request is answered only after every one of its events is
 * acknowledged by the broker. Because event ids are content-derived, a client that retries after a
 * timeout causes an update, not a duplicate.
 */
public final class KafkaAuditEventFeed implements AuditEventFeed {

  private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

  private final KafkaProducer<String, AuditEvent> producer;

  public KafkaAuditEventFeed(Map<String, Object> producerConfig) {
    Map<String, Object> config = AcknowledgedProducerConfig.of(producerConfig);
    config.putIfAbsent(
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) ACK_TIMEOUT.toMillis() - 1000);
    config.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    config.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
    config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "fhir-feed");
    // a posted AuditEvent may be as large as the request body limit: the topic allows 8 MiB records
    config.putIfAbsent(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_EVENT_RECORD_BYTES);
    this.producer =
        new KafkaProducer<>(
            config,
            Topics.AUDIT_POSTED.keySerde().serializer(),
            Topics.AUDIT_POSTED.valueSerde().serializer());
  }

  @Override
  public void publish(List<AuditEvent> events) {
    List<Future<RecordMetadata>> acks = new ArrayList<>(events.size());
    try {
      for (AuditEvent event : events) {
        acks.add(
            producer.send(
                new ProducerRecord<>(Topics.AUDIT_POSTED.name(), event.getIdPart(), event)));
      }
      long deadline = System.nanoTime() + ACK_TIMEOUT.toNanos();
      for (Future<RecordMetadata> ack : acks) {
        ack.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FeedUnavailableException(
          "interrupted while writing to " + Topics.AUDIT_POSTED.name(), e);
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      throw new FeedUnavailableException(
          "could not write to " + Topics.AUDIT_POSTED.name() + ": " + e, e);
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(30));
  }
}
