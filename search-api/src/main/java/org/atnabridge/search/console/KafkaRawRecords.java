package org.atnabridge.search.console;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.atnabridge.schemas.RawRecordReference;

/**
 * Reads one raw record by topic, partition and offset with a consumer of its own (assigned, no
 * group, nothing committed): a rare, officer-driven read that needs no long-lived consumer.
 */
public final class KafkaRawRecords implements RawRecords {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final Map<String, Object> config;

  public KafkaRawRecords(String bootstrapServers) {
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // an offset retention already deleted is an answer ("no longer kept"), not a jump elsewhere
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
    c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, "atna-bridge-raw-record-reader");
    this.config = Map.copyOf(c);
  }

  @Override
  public Optional<byte[]> read(RawRecordReference where) {
    TopicPartition tp = new TopicPartition(where.topic(), where.partition());
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(List.of(tp));
      consumer.seek(tp, where.offset());
      Instant deadline = Instant.now().plus(TIMEOUT);
      while (Instant.now().isBefore(deadline)) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500)).records(tp)) {
          if (r.offset() == where.offset()) {
            return Optional.ofNullable(r.value());
          }
          if (r.offset() > where.offset()) {
            return Optional.empty();
          }
        }
      }
      return Optional.empty();
    } catch (OffsetOutOfRangeException gone) {
      return Optional.empty();
    }
  }
}
