package org.atnabridge.search.subscription;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.atnabridge.schemas.Topics;
import org.atnabridge.schemas.subscription.SubscriberAccess;
import org.atnabridge.schemas.subscription.SubscriptionNotification;
import org.atnabridge.schemas.subscription.SubscriptionNotificationJson;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.Enumerations.SubscriptionStatusCodes;
import org.hl7.fhir.r5.model.Subscription;
import org.hl7.fhir.r5.model.SubscriptionStatus.SubscriptionNotificationType;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the numbered notifications of {@code audit.notifications} to rest-hook endpoints, in one
 * consumer group ({@link #GROUP_ID}) across the API nodes: each partition, and so each subscription
 * (the record key), is delivered by one node at a time, in event-number order; a node that takes a
 * partition over starts at its last commit. At least once: a notification may reach its endpoint
 * twice (after a takeover or a lost answer), always with the same event number.
 *
 * <p>One thread owns the state; the POSTs run asynchronously, at most one per subscription, and
 * their outcomes are applied by that thread. Each subscription of an assigned partition has a
 * {@link SubscriptionLane}: an endpoint that is down holds back its own subscription only. The
 * partition is committed at the lowest offset any of its lanes still needs, once per pass. A lane
 * buffers at most {@link SubscriptionSettings#maxBacklog()} notifications; beyond that its records
 * are passed over and, once the lane has drained, the partition is read again from the first one
 * passed over, while every other lane skips what it already queued (by event number).
 *
 * <p>Status ({@code audit.subscriptions}): {@code requested} becomes {@code active} after a
 * handshake the endpoint answers 2xx, {@code error} after {@link SubscriptionSettings#errorAfter()}
 * consecutive failures, and {@code active} again on the next success; a subscription past its
 * {@code end} becomes {@code off}. Failed POSTs are retried with exponential backoff until {@link
 * SubscriptionSettings#retryDeadline()}, then the events are given up (counted). The handshake and
 * heartbeat of a subscription are sent by the node holding its partition, so with no events to
 * deliver. Websocket subscriptions are passed over: the node a client's socket is connected to
 * sends them ({@link SubscriptionSockets}).
 */
public final class SubscriptionDelivery implements AutoCloseable {

  /** The consumer group of delivery. */
  public static final String GROUP_ID = "audit-subscription-delivery";

  private static final Logger LOG = LoggerFactory.getLogger(SubscriptionDelivery.class);
  private static final Duration MAX_POLL_WAIT = Duration.ofMillis(100);
  private static final Duration SCAN_EVERY = Duration.ofMillis(500);
  private static final int DEFAULT_MAX_COUNT = 100;

  private final String topic;
  private final SubscriptionRegistry registry;
  private final RestHookSender sender;
  private final SubscriptionSettings settings;
  private final DeliveryMetrics metrics;
  private final Supplier<String> base;
  private final Clock clock;
  private final KafkaConsumer<String, byte[]> consumer;
  private final Map<TopicPartition, Map<String, SubscriptionLane>> lanes = new HashMap<>();
  private final Map<TopicPartition, Long> consumed = new HashMap<>();
  private final Map<TopicPartition, Long> committed = new HashMap<>();
  private final ConcurrentLinkedQueue<Runnable> outcomes = new ConcurrentLinkedQueue<>();
  private final Thread thread;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean running = true;
  private int partitions;
  private Instant lastScan = Instant.EPOCH;

  /**
   * @param base the public FHIR base URL (references in the Bundles are built from it)
   */
  public SubscriptionDelivery(
      String bootstrapServers,
      String topic,
      String groupId,
      SubscriptionRegistry registry,
      RestHookSender sender,
      SubscriptionSettings settings,
      DeliveryMetrics metrics,
      Supplier<String> base,
      Clock clock) {
    this.topic = topic;
    this.registry = registry;
    this.sender = sender;
    this.settings = settings;
    this.metrics = metrics;
    this.base = base;
    this.clock = clock;
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    c.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, groupId);
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    // the matcher writes with exactly-once: never deliver an aborted notification
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
    this.consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
    this.thread = Thread.ofPlatform().name("subscription-delivery").unstarted(this::run);
  }

  /** The platform's topic and group. */
  public static SubscriptionDelivery start(
      String bootstrapServers,
      SubscriptionRegistry registry,
      RestHookSender sender,
      SubscriptionSettings settings,
      DeliveryMetrics metrics,
      Supplier<String> base,
      Clock clock) {
    SubscriptionDelivery d =
        new SubscriptionDelivery(
            bootstrapServers,
            Topics.AUDIT_NOTIFICATIONS.name(),
            GROUP_ID,
            registry,
            sender,
            settings,
            metrics,
            base,
            clock);
    d.thread.start();
    return d;
  }

  /** Whether the delivery thread runs (readiness). */
  public boolean running() {
    return thread.isAlive();
  }

  private void run() {
    try {
      partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).size();
      consumer.subscribe(List.of(topic), new DropRevoked());
      while (running) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(MAX_POLL_WAIT)) {
          take(r);
        }
        for (Runnable o; (o = outcomes.poll()) != null; ) {
          o.run();
        }
        Instant now = clock.instant();
        if (!now.isBefore(lastScan.plus(SCAN_EVERY))) {
          lastScan = now;
          addLanesOfAssignedSubscriptions();
        }
        Set<TopicPartition> refill = new HashSet<>();
        for (Map<String, SubscriptionLane> partitionLanes : lanes.values()) {
          for (SubscriptionLane lane : new ArrayList<>(partitionLanes.values())) {
            try {
              if (work(lane, now)) {
                refill.add(lane.partition);
              }
            } catch (RuntimeException e) {
              // one subscription's trouble (an unreadable resource, no base URL yet) holds back
              // that subscription only
              LOG.warn("subscription {}: {}; tried again shortly", lane.id, e.toString());
              lane.inFlight = false;
              lane.nextDue = now.plusSeconds(1);
            }
          }
        }
        for (TopicPartition tp : refill) {
          readAgain(tp);
        }
        commit();
      }
    } catch (WakeupException e) {
      // close() woke the poll
    } catch (RuntimeException e) {
      LOG.error("subscription delivery stopped: {}", e.toString(), e);
    } finally {
      try {
        consumer.close(Duration.ofSeconds(10));
      } finally {
        stopped.countDown();
      }
    }
  }

  /** Queues one record on its subscription's lane, unless a repeat or past the backlog. */
  private void take(ConsumerRecord<String, byte[]> r) {
    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
    consumed.put(tp, r.offset() + 1);
    if (r.key() == null || r.value() == null) {
      return;
    }
    SubscriptionNotification n;
    try {
      n = SubscriptionNotificationJson.read(r.value());
    } catch (IllegalArgumentException e) {
      LOG.warn("skipping unreadable notification at {}@{}: {}", tp, r.offset(), e.getMessage());
      return;
    }
    if (webSocket(registry.peek(r.key()))) {
      return; // sent by the node its socket is connected to (SubscriptionSockets)
    }
    SubscriptionLane lane = lane(tp, r.key());
    if (n.eventNumber() <= lane.lastQueued) {
      return; // read again after a seek back, or repeated: already queued or delivered
    }
    if (lane.overflowFrom >= 0) {
      return; // passed over until the lane has drained; read again from overflowFrom
    }
    if (lane.queue.size() >= settings.maxBacklog()) {
      lane.overflowFrom = r.offset();
      return;
    }
    lane.queue.add(new SubscriptionLane.Pending(r.offset(), n));
    lane.lastQueued = n.eventNumber();
  }

  private SubscriptionLane lane(TopicPartition tp, String id) {
    return lanes.computeIfAbsent(tp, k -> new HashMap<>()).computeIfAbsent(id, k -> laneFor(tp, k));
  }

  private static SubscriptionLane laneFor(TopicPartition tp, String id) {
    return new SubscriptionLane(id, tp);
  }

  /** Subscriptions of the partitions held here get a lane, for their handshake and heartbeat. */
  private void addLanesOfAssignedSubscriptions() {
    Set<TopicPartition> assigned = consumer.assignment();
    if (partitions == 0) {
      partitions = consumer.partitionsFor(topic, Duration.ofSeconds(5)).size();
    }
    if (assigned.isEmpty() || partitions == 0) {
      return;
    }
    for (String id : registry.ids()) {
      TopicPartition tp = new TopicPartition(topic, NotificationLog.partitionOf(id, partitions));
      if (assigned.contains(tp) && !webSocket(registry.peek(id))) {
        lane(tp, id);
      }
    }
  }

  /**
   * Starts what is due on {@code lane}; true when it has drained after passing records over and its
   * partition must be read again from there.
   */
  private boolean work(SubscriptionLane lane, Instant now) {
    if (lane.inFlight || lane.nextDue.isAfter(now)) {
      return false;
    }
    Optional<Subscription> found = registry.peek(lane.id); // read only, never changed here
    if (found.isEmpty() && !registry.deleted(lane.id)) {
      // not in this node's view of audit.subscriptions yet (written on another node a moment ago)
      lane.nextDue = now.plus(SCAN_EVERY);
      return false;
    }
    if (found.isEmpty()
        || webSocket(found)
        || found.get().getStatus() == SubscriptionStatusCodes.OFF
        || !SubscriberAccess.readFrom(found.get()).isPresent()) {
      // deleted or off: nothing of it is delivered; its records no longer hold the partition
      lane.queue.clear();
      lane.overflowFrom = -1;
      if (found.isEmpty() || webSocket(found)) {
        lanes.getOrDefault(lane.partition, Map.of()).remove(lane.id);
      }
      return false;
    }
    Subscription s = found.get();
    if (s.hasEnd() && !s.getEnd().toInstant().isAfter(now)) {
      lane.queue.clear();
      lane.overflowFrom = -1;
      writeStatus(s, SubscriptionStatusCodes.OFF);
      return false;
    }
    if (s.getStatus() == SubscriptionStatusCodes.REQUESTED) {
      lane.handshakeNeeded = true;
    }
    if (lane.handshakeNeeded) {
      send(lane, s, SubscriptionNotificationType.HANDSHAKE, List.of());
      return false;
    }
    if (!lane.queue.isEmpty()) {
      int max = s.hasMaxCount() ? s.getMaxCount() : DEFAULT_MAX_COUNT;
      List<SubscriptionLane.Pending> batch = new ArrayList<>();
      for (SubscriptionLane.Pending p : lane.queue) {
        if (batch.size() >= max) {
          break;
        }
        batch.add(p);
      }
      send(lane, s, SubscriptionNotificationType.EVENTNOTIFICATION, batch);
      return false;
    }
    if (lane.overflowFrom >= 0) {
      return true;
    }
    if (s.hasHeartbeatPeriod()
        && s.getStatus() == SubscriptionStatusCodes.ACTIVE
        && (lane.lastSent == null
            || !lane.lastSent.plusSeconds(s.getHeartbeatPeriod()).isAfter(now))) {
      send(lane, s, SubscriptionNotificationType.HEARTBEAT, List.of());
    }
    return false;
  }

  /** A websocket subscription: not this group's to deliver. */
  private static boolean webSocket(Optional<Subscription> s) {
    return s.isPresent()
        && SubscriptionValidator.WEBSOCKET.equals(s.get().getChannelType().getCode());
  }

  private void send(
      SubscriptionLane lane,
      Subscription stored,
      SubscriptionNotificationType type,
      List<SubscriptionLane.Pending> batch) {
    Subscription s = stored.copy(); // the view's instance is shared with the HTTP threads
    SubscriberView view = SubscriberView.of(SubscriberAccess.readFrom(s));
    List<NotificationBundles.Event> events = new ArrayList<>();
    for (SubscriptionLane.Pending p : batch) {
      Optional<AuditEvent> shown = view.shown(p.notification().event());
      shown.ifPresent(e -> events.add(NotificationBundles.Event.of(p.notification(), e)));
    }
    int count = batch.size();
    Instant oldest = batch.isEmpty() ? null : batch.get(0).notification().matchedAt();
    if (type == SubscriptionNotificationType.EVENTNOTIFICATION && events.isEmpty()) {
      // none of these may be read by the subscriber (the matcher should not have numbered them)
      done(lane, s, type, count, null);
      return;
    }
    long since =
        batch.isEmpty()
            ? lane.lastDelivered
            : batch.get(batch.size() - 1).notification().eventNumber();
    SubscriptionStatusCodes shownStatus =
        type == SubscriptionNotificationType.HANDSHAKE
            ? SubscriptionStatusCodes.REQUESTED
            : s.getStatus();
    Bundle bundle =
        NotificationBundles.notification(
            base.get(),
            SubscriberAccess.strip(s.copy()),
            type,
            shownStatus,
            since,
            events,
            NotificationBundles.content(s),
            clock.instant());
    lane.inFlight = true;
    lane.inFlightEvents = count;
    Instant started = clock.instant();
    sender
        .post(s, bundle)
        .thenAccept(
            outcome ->
                outcomes.add(
                    () -> {
                      if (outcome.success()) {
                        metrics.attempt(type.toCode(), true);
                        done(lane, s, type, count, oldest);
                      } else {
                        metrics.attempt(type.toCode(), false);
                        failed(lane, s, type, outcome.failure().orElse("failed"), started);
                      }
                    }));
  }

  /** The endpoint took the bundle (or there was nothing the subscriber may read). */
  private void done(
      SubscriptionLane lane,
      Subscription s,
      SubscriptionNotificationType type,
      int count,
      @Nullable Instant oldest) {
    lane.inFlight = false;
    Instant now = clock.instant();
    for (int i = 0; i < count && !lane.queue.isEmpty(); i++) {
      lane.lastDelivered = lane.queue.poll().notification().eventNumber();
    }
    if (count > 0 && oldest != null) {
      metrics.delivered(count, Duration.between(oldest, now));
    }
    lane.failures = 0;
    lane.failingSince = null;
    lane.nextDue = Instant.EPOCH;
    lane.lastSent = now;
    if (type == SubscriptionNotificationType.HANDSHAKE) {
      lane.handshakeNeeded = false;
    }
    if (s.getStatus() != SubscriptionStatusCodes.ACTIVE) {
      writeStatus(s, SubscriptionStatusCodes.ACTIVE);
    }
  }

  private void failed(
      SubscriptionLane lane,
      Subscription s,
      SubscriptionNotificationType type,
      String why,
      Instant started) {
    lane.inFlight = false;
    Instant now = clock.instant();
    lane.failures++;
    if (lane.failingSince == null) {
      lane.failingSince = started;
    }
    LOG.info(
        "subscription {} {} failed ({}), attempt {}",
        s.getIdPart(),
        type.toCode(),
        why,
        lane.failures);
    if (type == SubscriptionNotificationType.HEARTBEAT) {
      lane.lastSent = now; // a missed heartbeat is not retried: the next one is due in a period
    }
    if (lane.failures >= settings.errorAfter() && s.getStatus() != SubscriptionStatusCodes.ERROR) {
      writeStatus(s, SubscriptionStatusCodes.ERROR);
    }
    if (Duration.between(lane.failingSince, now).compareTo(settings.retryDeadline()) > 0
        && type == SubscriptionNotificationType.EVENTNOTIFICATION) {
      int gone = Math.min(lane.inFlightEvents, lane.queue.size());
      for (int i = 0; i < gone; i++) {
        lane.lastDelivered = lane.queue.poll().notification().eventNumber();
      }
      metrics.givenUp(gone);
      LOG.warn(
          "subscription {}: {} events given up after --subscription-retry-deadline {}",
          s.getIdPart(),
          gone,
          settings.retryDeadline());
      lane.failingSince = now;
    }
    lane.nextDue = now.plus(backoff(lane.failures));
  }

  private Duration backoff(int failures) {
    Duration d = settings.initialBackoff();
    for (int i = 1; i < failures && d.compareTo(settings.maxBackoff()) < 0; i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : d;
  }

  /** Writes the new status to {@code audit.subscriptions}, unless a client changed it meanwhile. */
  private void writeStatus(Subscription seen, SubscriptionStatusCodes status) {
    Optional<Subscription> current = registry.get(seen.getIdPart());
    if (current.isEmpty()
        || !current.get().getMeta().getVersionId().equals(seen.getMeta().getVersionId())
        || current.get().getStatus() != seen.getStatus()) {
      return;
    }
    Subscription s = current.get().copy();
    s.setStatus(status);
    s.getMeta().setLastUpdated(java.util.Date.from(clock.instant()));
    try {
      if (registry.putIfUnchanged(current.get(), s)) {
        LOG.info("subscription {} is now {}", s.getIdPart(), status.toCode());
      }
    } catch (IllegalStateException e) {
      LOG.warn("subscription {}: status {} not written: {}", s.getIdPart(), status, e.getMessage());
    }
  }

  /** Reads {@code tp} again from the first record a drained lane passed over. */
  private void readAgain(TopicPartition tp) {
    long from = Long.MAX_VALUE;
    for (SubscriptionLane lane : lanes.getOrDefault(tp, Map.of()).values()) {
      if (lane.overflowFrom >= 0 && lane.queue.isEmpty() && !lane.inFlight) {
        from = Math.min(from, lane.overflowFrom);
        lane.overflowFrom = -1;
      }
    }
    if (from != Long.MAX_VALUE && consumer.assignment().contains(tp)) {
      consumer.seek(tp, from);
      consumed.put(tp, from);
    }
  }

  /** Commits each partition at the lowest offset one of its lanes still needs. */
  private void commit() {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (TopicPartition tp : consumer.assignment()) {
      Long read = consumed.get(tp);
      if (read == null) {
        continue;
      }
      long at = read;
      for (SubscriptionLane lane : lanes.getOrDefault(tp, Map.of()).values()) {
        at = Math.min(at, lane.firstUndelivered());
      }
      Long last = committed.get(tp);
      if (last == null || at > last) {
        offsets.put(tp, new OffsetAndMetadata(at));
      }
    }
    if (offsets.isEmpty()) {
      return;
    }
    try {
      consumer.commitSync(offsets, Duration.ofSeconds(30));
      offsets.forEach((tp, o) -> committed.put(tp, o.offset()));
    } catch (CommitFailedException | RebalanceInProgressException e) {
      // the partitions are moving: their new owner starts at the last commit (at least once)
      LOG.info(
          "commit of {} failed ({}); delivered again from the last commit",
          offsets.keySet(),
          e.toString());
    }
  }

  private final class DropRevoked implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
      commit(); // what was delivered here is not delivered again by the next owner
      drop(revoked);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
      lastScan = Instant.EPOCH;
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> lost) {
      drop(lost);
    }

    private void drop(Collection<TopicPartition> gone) {
      for (TopicPartition tp : gone) {
        lanes.remove(tp);
        consumed.remove(tp);
        committed.remove(tp);
      }
    }
  }

  /** Stops after the pass in progress; what was not committed is delivered again later. */
  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      if (!stopped.await(30, TimeUnit.SECONDS)) {
        LOG.warn("subscription delivery did not stop within 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
