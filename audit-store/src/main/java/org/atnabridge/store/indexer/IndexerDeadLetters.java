package org.atnabridge.store.indexer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.atnabridge.schemas.DeadLetterHeaders;
import org.jspecify.annotations.Nullable;

/**
 * The indexer's dead letters: a record the store can never take is copied, key, value and headers
 * as they were, to the dead-letter topic with the {@link DeadLetterHeaders} that say why and where
 * from, by an idempotent producer with {@code acks=all} created on the first need.
 */
final class IndexerDeadLetters implements AutoCloseable {

  private final String dlqTopic;
  private final Object bootstrapServers;
  private volatile @Nullable KafkaProducer<byte[], byte[]> dlqProducer;

  IndexerDeadLetters(String dlqTopic, Object bootstrapServers) {
    this.dlqTopic = dlqTopic;
    this.bootstrapServers = bootstrapServers;
  }

  Future<?> send(ConsumerRecord<byte[], byte[]> r, String reason, String detail) {
    ProducerRecord<byte[], byte[]> out =
        new ProducerRecord<>(dlqTopic, null, r.key(), r.value(), r.headers());
    out.headers()
        .remove(DeadLetterHeaders.REASON)
        .remove(DeadLetterHeaders.DETAIL)
        .remove(DeadLetterHeaders.STAGE);
    out.headers()
        .add(DeadLetterHeaders.REASON, utf8(reason))
        .add(
            DeadLetterHeaders.DETAIL,
            utf8(detail.length() > 1000 ? detail.substring(0, 1000) : detail))
        .add(DeadLetterHeaders.STAGE, utf8(AuditIndexer.DLQ_STAGE))
        .add(DeadLetterHeaders.SOURCE_TOPIC, utf8(r.topic()))
        .add(DeadLetterHeaders.SOURCE_PARTITION, utf8(String.valueOf(r.partition())))
        .add(DeadLetterHeaders.SOURCE_OFFSET, utf8(String.valueOf(r.offset())))
        .add(DeadLetterHeaders.FAILED_AT, utf8(Instant.now().toString()));
    return producer().send(out);
  }

  private KafkaProducer<byte[], byte[]> producer() {
    KafkaProducer<byte[], byte[]> p = dlqProducer;
    if (p == null) {
      Map<String, Object> cfg = new HashMap<>();
      cfg.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
      cfg.put(ProducerConfig.ACKS_CONFIG, "all");
      cfg.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
      cfg.put(ProducerConfig.CLIENT_ID_CONFIG, "audit-indexer-dlq");
      p = new KafkaProducer<>(cfg, new ByteArraySerializer(), new ByteArraySerializer());
      dlqProducer = p;
    }
    return p;
  }

  static void awaitAll(List<Future<?>> sends) {
    for (Future<?> f : sends) {
      try {
        f.get(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while dead-lettering", e);
      } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
        throw new IllegalStateException("dead-lettering failed: " + e, e);
      }
    }
  }

  /** Elasticsearch error types that mean the document does not fit the mapping. */
  static String reasonCode(String engineReason) {
    return switch (engineReason) {
      case "mapper_parsing_exception",
          "document_parsing_exception",
          "strict_dynamic_mapping_exception",
          "illegal_argument_exception",
          "illegal_argument" ->
          "MAPPING_CONFLICT";
      default -> "INDEX_REJECTED";
    };
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    KafkaProducer<byte[], byte[]> p = dlqProducer;
    if (p != null) {
      p.close(Duration.ofSeconds(10));
    }
  }
}
