package org.atnabridge.search.subscription;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.atnabridge.schemas.Topics;
import org.atnabridge.schemas.subscription.SubscriptionNotification;
import org.atnabridge.schemas.subscription.SubscriptionNotificationJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one subscription's notifications back from {@code audit.notifications} for {@code $events}
 * and {@code $status}: the partition its id is keyed to, from the oldest record the topic still
 * holds to its end. It reaches back as far as the topic's retention ({@link
 * Topics#NOTIFICATION_RETENTION_MS}, 7 days): older events are gone, and {@code $events} answers
 * only those still held.
 */
public final class NotificationLog {

  private static final Logger LOG = LoggerFactory.getLogger(NotificationLog.class);

  /** At most this many events are returned by one {@code $events}. */
  public static final int MAX_EVENTS = 1000;

  private final String bootstrapServers;
  private final String topic;

  public NotificationLog(String bootstrapServers) {
    this(bootstrapServers, Topics.AUDIT_NOTIFICATIONS.name());
  }

  NotificationLog(String bootstrapServers, String topic) {
    this.bootstrapServers = bootstrapServers;
    this.topic = topic;
  }

  /**
   * What one scan found.
   *
   * @param events the notifications numbered {@code since..until}, in order, each number once
   * @param highest the highest event number the topic holds for the subscription (0 = none)
   */
  /**
   * What a scan found: the events asked for, the highest eventNumber seen, and the offset it read
   * the partition up to ({@code end}), from where a tail continues without a gap.
   */
  public record Scan(List<SubscriptionNotification> events, long highest, long end) {}

  /** The partition of {@code audit.notifications} a subscription id is keyed to. */
  public static int partitionOf(String subscriptionId, int partitions) {
    return Utils.toPositive(Utils.murmur2(subscriptionId.getBytes(StandardCharsets.UTF_8)))
        % partitions;
  }

  /**
   * The notifications of {@code subscriptionId} numbered from {@code since} to {@code until}
   * (inclusive), at most {@link #MAX_EVENTS}.
   */
  public Scan scan(String subscriptionId, long since, long until) {
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, "subscription-events-" + UUID.randomUUID());
    c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
      int partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).size();
      TopicPartition tp = new TopicPartition(topic, partitionOf(subscriptionId, partitions));
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      long end = consumer.endOffsets(List.of(tp), Duration.ofSeconds(10)).getOrDefault(tp, 0L);
      Map<Long, SubscriptionNotification> found = new java.util.TreeMap<>();
      long highest = 0;
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (consumer.position(tp, Duration.ofSeconds(10)) < end) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("audit.notifications could not be read in time");
        }
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          if (!subscriptionId.equals(r.key()) || r.value() == null) {
            continue;
          }
          SubscriptionNotification n;
          try {
            n = SubscriptionNotificationJson.read(r.value());
          } catch (IllegalArgumentException e) {
            LOG.warn("unreadable notification at {}@{}: {}", tp, r.offset(), e.getMessage());
            continue;
          }
          highest = Math.max(highest, n.eventNumber());
          if (n.eventNumber() >= since
              && n.eventNumber() <= until
              && (found.size() < MAX_EVENTS || found.containsKey(n.eventNumber()))) {
            found.putIfAbsent(n.eventNumber(), n);
          }
        }
      }
      return new Scan(new ArrayList<>(found.values()), highest, end);
    }
  }
}
