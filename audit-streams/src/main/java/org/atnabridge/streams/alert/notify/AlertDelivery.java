package org.atnabridge.streams.alert.notify;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.atnabridge.schemas.Topics;
import org.atnabridge.streams.alert.rules.AlertRules;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the alerts of {@code audit.alerts} to their channels, reading the topic as an outbox in
 * its own consumer group ({@link #GROUP_ID}) on one thread. A record's offset is committed only
 * after every channel of it took the alert or it was dead-lettered to {@code audit.alerts.dlq}: at
 * least once, so a receiver may see an alert twice after a crash (it deduplicates on the alert id,
 * the {@code webhook-id}).
 *
 * <p>Order and retries: each partition has a lane of the records polled from it, delivered in
 * offset order; while the head record of a lane waits for a retry, the records behind it wait too
 * (per-partition order), but the other partitions go on. A partition whose lane holds records is
 * paused, so the consumer keeps polling (heartbeats, rebalances) without fetching more than one
 * poll's worth ({@code max.poll.records}) into memory. The thread sleeps in {@code poll} until the
 * next attempt is due. On a rebalance the lanes of revoked partitions are dropped: their records
 * were not committed, so the new owner delivers them again.
 */
public final class AlertDelivery implements AutoCloseable {

  /** The consumer group of delivery. */
  public static final String GROUP_ID = "audit-alert-delivery";

  private static final Logger LOG = LoggerFactory.getLogger(AlertDelivery.class);
  private static final Duration MAX_POLL_WAIT = Duration.ofMillis(500);

  /**
   * Where and how to deliver.
   *
   * @param topic the outbox ({@code audit.alerts})
   * @param deadLetterTopic {@code audit.alerts.dlq}
   */
  public record Settings(
      String bootstrapServers,
      String groupId,
      String topic,
      String deadLetterTopic,
      Backoff backoff) {
    public Settings {
      Objects.requireNonNull(bootstrapServers, "bootstrapServers");
      Objects.requireNonNull(groupId, "groupId");
      Objects.requireNonNull(topic, "topic");
      Objects.requireNonNull(deadLetterTopic, "deadLetterTopic");
      Objects.requireNonNull(backoff, "backoff");
    }

    /** The platform's topics and group, backoff 1 s doubling to 5 min. */
    public static Settings defaults(String bootstrapServers) {
      return new Settings(
          bootstrapServers,
          GROUP_ID,
          Topics.AUDIT_ALERTS.name(),
          Topics.AUDIT_ALERTS_DLQ.name(),
          Backoff.DEFAULT);
    }

    public Settings withBackoff(Backoff b) {
      return new Settings(bootstrapServers, groupId, topic, deadLetterTopic, b);
    }
  }

  private final Settings settings;
  private final KafkaConsumer<String, byte[]> consumer;
  private final KafkaProducer<String, byte[]> producer;
  private final AlertAttempts attempts;
  private final Clock clock;
  private final Map<TopicPartition, ArrayDeque<PendingAlert>> lanes = new HashMap<>();
  private final Thread thread;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean running = true;
  private volatile @Nullable Throwable failure;

  private AlertDelivery(
      Settings settings,
      Supplier<AlertRules> rules,
      EmailSender email,
      MeterRegistry registry,
      Clock clock) {
    this.settings = settings;
    this.clock = clock;
    this.consumer =
        new KafkaConsumer<>(
            consumerConfig(settings), new StringDeserializer(), new ByteArrayDeserializer());
    this.producer =
        new KafkaProducer<>(
            producerConfig(settings), new StringSerializer(), new ByteArraySerializer());
    this.attempts =
        new AlertAttempts(
            new ChannelDispatch(rules, new WebhookSender(clock), email),
            new AlertDeadLetters(producer, settings.deadLetterTopic()),
            new NotificationMetrics(registry),
            settings.backoff(),
            clock,
            RandomGenerator.getDefault());
    this.thread = Thread.ofPlatform().name("alert-delivery").unstarted(this::run);
  }

  /**
   * Starts delivering on its own thread.
   *
   * @param rules the current rules (a hot reload swaps what it returns); channels are looked up at
   *     each attempt
   */
  public static AlertDelivery start(
      Settings settings, Supplier<AlertRules> rules, MeterRegistry registry) {
    return start(settings, rules, new EmailSender(System::getenv), registry, Clock.systemUTC());
  }

  /** With the environment of e-mail passwords and the clock given (tests). */
  public static AlertDelivery start(
      Settings settings,
      Supplier<AlertRules> rules,
      EmailSender email,
      MeterRegistry registry,
      Clock clock) {
    AlertDelivery d = new AlertDelivery(settings, rules, email, registry, clock);
    d.thread.start();
    return d;
  }

  /** Whether the delivery thread runs (for the readiness check). */
  public boolean running() {
    return thread.isAlive() && failure == null;
  }

  private void run() {
    try {
      consumer.subscribe(List.of(settings.topic()), new DropRevokedLanes());
      while (running) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(pollWait())) {
          lanes
              .computeIfAbsent(
                  new TopicPartition(r.topic(), r.partition()), tp -> new ArrayDeque<>())
              .add(PendingAlert.of(r));
        }
        Map<TopicPartition, Done> done = new HashMap<>();
        for (TopicPartition tp : new ArrayList<>(lanes.keySet())) {
          Done d = work(tp);
          if (d != null) {
            done.put(tp, d);
          }
        }
        commit(done);
        pauseBusyLanes();
      }
    } catch (WakeupException e) {
      // close() woke the poll
    } catch (RuntimeException e) {
      failure = e;
      LOG.error("alert delivery stopped: {}", e.toString(), e);
    } finally {
      try {
        consumer.close();
      } finally {
        producer.close(Duration.ofSeconds(10));
        stopped.countDown();
      }
    }
  }

  /** The records of one lane done in one pass: from the first one's offset to {@code next}. */
  private record Done(long first, long next) {}

  /**
   * Delivers the lane's records in order until one has to wait; null when none was done. Their
   * offsets are committed together after every lane's pass ({@link #commit}): one commit per record
   * was a broker round trip per alert, the bound on delivery throughput.
   */
  private @Nullable Done work(TopicPartition tp) {
    ArrayDeque<PendingAlert> lane = lanes.get(tp);
    long first = -1;
    long next = -1;
    while (running && lane != null && !lane.isEmpty()) {
      PendingAlert head = lane.peek();
      if (head.nextDue().isAfter(clock.instant())) {
        break;
      }
      boolean done;
      try {
        done = attempts.advance(head);
      } catch (AlertDeadLetters.DeadLetterFailed e) {
        LOG.warn("{}; the alert is tried again", e.getMessage());
        head.remaining.values().forEach(s -> s.nextAttempt = clock.instant().plusSeconds(5));
        break;
      }
      if (!done) {
        break;
      }
      if (first < 0) {
        first = head.record.offset();
      }
      next = head.record.offset() + 1;
      lane.poll();
    }
    return first < 0 ? null : new Done(first, next);
  }

  /** Commits what the lanes delivered; nothing is committed before its delivery. */
  private void commit(Map<TopicPartition, Done> done) {
    if (done.isEmpty()) {
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    done.forEach((tp, d) -> offsets.put(tp, new OffsetAndMetadata(d.next())));
    try {
      consumer.commitSync(offsets, Duration.ofSeconds(30));
    } catch (CommitFailedException | RebalanceInProgressException e) {
      // the partitions are moving: whoever reads one next starts at its last commit, these
      // records included (at least once); a partition that stays here is read again from there
      LOG.info(
          "commit of {} failed ({}); their records are delivered again",
          done.keySet(),
          e.toString());
      Set<TopicPartition> assigned = consumer.assignment();
      done.forEach(
          (tp, d) -> {
            lanes.remove(tp);
            if (assigned.contains(tp)) {
              consumer.seek(tp, d.first());
            }
          });
    }
  }

  private void pauseBusyLanes() {
    Set<TopicPartition> assigned = consumer.assignment();
    Set<TopicPartition> busy = new HashSet<>();
    lanes.forEach(
        (tp, lane) -> {
          if (!lane.isEmpty() && assigned.contains(tp)) {
            busy.add(tp);
          }
        });
    lanes.values().removeIf(ArrayDeque::isEmpty);
    Set<TopicPartition> idle = new HashSet<>(assigned);
    idle.removeAll(busy);
    consumer.pause(busy);
    consumer.resume(idle);
  }

  /** Until the earliest due attempt, at most {@link #MAX_POLL_WAIT} (so close is prompt). */
  private Duration pollWait() {
    Instant now = clock.instant();
    Instant next = Instant.MAX;
    for (ArrayDeque<PendingAlert> lane : lanes.values()) {
      PendingAlert head = lane.peek();
      if (head != null && head.nextDue().isBefore(next)) {
        next = head.nextDue();
      }
    }
    if (!next.isAfter(now)) {
      return Duration.ZERO;
    }
    Instant latest = now.plus(MAX_POLL_WAIT);
    return Duration.between(now, next.isAfter(latest) ? latest : next);
  }

  private final class DropRevokedLanes implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      partitions.forEach(lanes::remove);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {}

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      partitions.forEach(lanes::remove);
    }
  }

  private static Map<String, Object> consumerConfig(Settings s) {
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, s.bootstrapServers());
    c.put(ConsumerConfig.GROUP_ID_CONFIG, s.groupId());
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, s.groupId());
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    // the alert stage writes in transactions: never deliver an aborted alert
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 100);
    // one loop may wait on a slow receiver per partition (bounded by the channels' timeouts)
    c.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) Duration.ofMinutes(10).toMillis());
    return c;
  }

  private static Map<String, Object> producerConfig(Settings s) {
    Map<String, Object> c = new HashMap<>();
    c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, s.bootstrapServers());
    c.put(ProducerConfig.CLIENT_ID_CONFIG, s.groupId() + "-dlq");
    c.put(ProducerConfig.ACKS_CONFIG, "all");
    c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    c.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
    c.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 45_000);
    return c;
  }

  /** Stops after the attempt in progress; what was not committed is delivered again later. */
  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      if (!stopped.await(60, TimeUnit.SECONDS)) {
        LOG.warn("alert delivery did not stop within 60 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
