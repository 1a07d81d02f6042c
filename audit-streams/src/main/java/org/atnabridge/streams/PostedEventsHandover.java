package org.atnabridge.streams;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.GroupSubscribedToTopicException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.atnabridge.schemas.EventHeaders;
import org.atnabridge.schemas.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upgrade from the topology that read {@code audit.events} back: there the API posted to {@code
 * audit.events}, and the application ({@value AuditTopology#APPLICATION_ID}) chained the records
 * without {@link EventHeaders#CHAINED_BY} when it read them. Now it reads {@code audit.posted}
 * only. Before it starts, this copies the unmarked {@code audit.events} records it had not read yet
 * (past its committed offsets there: posted while or just before it stopped) to the same partition
 * of {@code audit.posted}, with their key, value, headers and timestamp, in one transaction that
 * also commits the application's {@code audit.events} offsets to where the copy ended; then it
 * deletes those offsets. So a record in flight during the upgrade is chained once: never lost (it
 * is copied before the offsets move, atomically), never twice (what was read before is behind the
 * offsets; a repeated hand-over after a crash starts where the committed one ended). Once done, the
 * application has no offsets on {@code audit.events} and this does nothing.
 *
 * <p>Stop every former API writer before the upgraded application starts: an old API that still
 * writes to {@code audit.events} afterwards is not read.
 */
final class PostedEventsHandover {

  private static final Logger LOG = LoggerFactory.getLogger(PostedEventsHandover.class);
  private static final long TIMEOUT_S = 30;

  private PostedEventsHandover() {}

  static void run(StreamsSettings settings) {
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers()))) {
      Map<TopicPartition, OffsetAndMetadata> read =
          admin
              .listConsumerGroupOffsets(AuditTopology.APPLICATION_ID)
              .partitionsToOffsetAndMetadata()
              .get(TIMEOUT_S, TimeUnit.SECONDS)
              .entrySet()
              .stream()
              .filter(
                  e ->
                      e.getValue() != null && e.getKey().topic().equals(Topics.AUDIT_EVENTS.name()))
              .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
      if (read.isEmpty()) {
        return;
      }
      int copied = copyUnread(settings.bootstrapServers(), read);
      admin
          .deleteConsumerGroupOffsets(AuditTopology.APPLICATION_ID, Set.copyOf(read.keySet()))
          .all()
          .get(TIMEOUT_S, TimeUnit.SECONDS);
      LOG.info(
          "{} reads posted events from {} now: handed over {} posted record(s) it had not read from {}",
          AuditTopology.APPLICATION_ID,
          Topics.AUDIT_POSTED.name(),
          copied,
          Topics.AUDIT_EVENTS.name());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(
          "interrupted while handing over the posted records of " + Topics.AUDIT_EVENTS.name(), e);
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "Kafka at "
              + settings.bootstrapServers()
              + " did not answer within "
              + TIMEOUT_S
              + " s (handing over the posted records of "
              + Topics.AUDIT_EVENTS.name()
              + ")",
          e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof GroupNotEmptyException
          || e.getCause() instanceof GroupSubscribedToTopicException) {
        throw new IllegalStateException(
            "an instance of "
                + AuditTopology.APPLICATION_ID
                + " that reads "
                + Topics.AUDIT_EVENTS.name()
                + " is still running: stop it first (posted events come from "
                + Topics.AUDIT_POSTED.name()
                + " now)",
            e);
      }
      throw new IllegalStateException(
          "could not hand over the posted records of "
              + Topics.AUDIT_EVENTS.name()
              + ": "
              + e.getCause(),
          e);
    }
  }

  /**
   * Copies the unmarked records from {@code read} to the end, committing the offsets in the same
   * transaction.
   */
  private static int copyUnread(String bootstrap, Map<TopicPartition, OffsetAndMetadata> read) {
    Map<String, Object> consumerConfig =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed",
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false);
    Map<String, Object> producerConfig =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            // fixed: a hand-over that died mid-transaction is aborted by the next one's
            // initTransactions
            ProducerConfig.TRANSACTIONAL_ID_CONFIG,
            AuditTopology.APPLICATION_ID + "-posted-handover",
            ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
            Topics.MAX_EVENT_RECORD_BYTES + 64 * 1024);
    try (KafkaConsumer<byte[], byte[]> consumer =
            new KafkaConsumer<>(
                consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        KafkaProducer<byte[], byte[]> producer =
            new KafkaProducer<>(
                producerConfig, new ByteArraySerializer(), new ByteArraySerializer())) {
      consumer.assign(read.keySet());
      read.forEach((tp, offset) -> consumer.seek(tp, offset.offset()));
      // under read_committed: the last stable offset, so an open transaction of the former task is
      // not cut
      Map<TopicPartition, Long> end = consumer.endOffsets(read.keySet());
      producer.initTransactions();
      producer.beginTransaction();
      int copied = 0;
      while (read.keySet().stream()
          .anyMatch(tp -> consumer.position(tp) < end.getOrDefault(tp, 0L))) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.offset() < end.getOrDefault(new TopicPartition(r.topic(), r.partition()), 0L)
              && r.headers().lastHeader(EventHeaders.CHAINED_BY) == null) {
            producer.send(
                new ProducerRecord<>(
                    Topics.AUDIT_POSTED.name(),
                    r.partition(),
                    r.timestamp(),
                    r.key(),
                    r.value(),
                    r.headers()));
            copied++;
          }
        }
      }
      Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
      end.forEach((tp, offset) -> done.put(tp, new OffsetAndMetadata(offset)));
      producer.sendOffsetsToTransaction(
          done, new ConsumerGroupMetadata(AuditTopology.APPLICATION_ID));
      producer.commitTransaction();
      return copied;
    }
  }
}
