package org.atnabridge.streams.reference;

import java.time.Duration;
import java.util.HashMap;
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
import org.apache.kafka.common.serialization.StringSerializer;
import org.atnabridge.schemas.ResourceSerde;
import org.hl7.fhir.r5.model.Resource;

/**
 * Sends reference records to their compacted topics with an idempotent producer ({@code acks=all})
 * and waits until every one is acknowledged. A key sent again replaces the earlier value
 * (compaction keeps the latest); the enrichment sees it from its next event on.
 */
public final class ReferenceLoader {

  private ReferenceLoader() {}

  /**
   * @return per topic name, how many records were acknowledged
   */
  public static Map<String, Integer> send(
      String bootstrapServers, List<ReferenceRecord> records, Duration timeout)
      throws InterruptedException, ExecutionException, TimeoutException {
    Map<String, Object> config =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers,
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            true,
            ProducerConfig.MAX_BLOCK_MS_CONFIG,
            timeout.toMillis(),
            ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
            (int) Math.min(30_000, Math.max(1000, timeout.toMillis())),
            ProducerConfig.LINGER_MS_CONFIG,
            5,
            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
            (int) Math.max(30_000, timeout.toMillis()) + 5);
    Map<String, Integer> counts = new HashMap<>();
    try (KafkaProducer<String, Resource> producer =
        new KafkaProducer<>(config, new StringSerializer(), new ResourceSerde().serializer())) {
      List<Future<RecordMetadata>> sent =
          records.stream()
              .map(
                  r -> producer.send(new ProducerRecord<>(r.topic().name(), r.key(), r.resource())))
              .toList();
      producer.flush();
      long deadline = System.nanoTime() + timeout.toNanos();
      for (Future<RecordMetadata> f : sent) {
        RecordMetadata m = f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        counts.merge(m.topic(), 1, Integer::sum);
      }
    }
    return counts;
  }
}
