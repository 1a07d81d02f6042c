package org.atnabridge.search.subscription;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.schemas.Topics;
import org.atnabridge.schemas.subscription.SubscriberAccess;
import org.atnabridge.schemas.subscription.SubscriptionNotification;
import org.atnabridge.schemas.subscription.SubscriptionNotificationJson;
import org.atnabridge.search.Integer64JsonWriter;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.Enumerations.SubscriptionStatusCodes;
import org.hl7.fhir.r5.model.OperationOutcome;
import org.hl7.fhir.r5.model.Subscription;
import org.hl7.fhir.r5.model.SubscriptionStatus.SubscriptionNotificationType;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The websocket channel on one API node ({@code /fhir/websocket}, R5 {@code bind-with-token}): the
 * sockets connected here and what is bound on them. A bound subscription is tailed here, whichever
 * node the client connected to: its partition of {@code audit.notifications} is assigned to this
 * node's own consumer (no group) from the end it had at binding, records keyed by other
 * subscriptions are passed over, and each notification is sent in partition order (so in
 * event-number order), reduced to what the subscription's creator may read ({@link
 * SubscriberView}). A client that was away catches up with {@code $events}. Heartbeats follow the
 * subscription's {@code heartbeatPeriod}; every socket is pinged every {@link
 * SubscriptionSettings#wsPingPeriod()} (proxies and clients see a live connection).
 *
 * <p>One thread owns the consumer and the bindings; sockets hand it their bindings and closings.
 */
public final class SubscriptionSockets implements AutoCloseable {

  /** Where the sockets are served. */
  public static final String PATH = "/fhir/websocket";

  /** A socket silent this long both ways is closed (pings count). */
  static final Duration IDLE_TIMEOUT = Duration.ofMinutes(5);

  /** The largest message and frame a client may send ({@code bind-with-token} needs little). */
  static final int MAX_CLIENT_MESSAGE = 4096;

  /** The largest frame either way; longer messages are sent in fragments. */
  static final int MAX_FRAME = 64 * 1024;

  /** Frames waiting to be written to one socket; past it the client is too slow and cut off. */
  static final int MAX_OUTGOING_FRAMES = 1000;

  private static final Logger LOG = LoggerFactory.getLogger(SubscriptionSockets.class);
  private static final Duration POLL = Duration.ofMillis(100);

  /** One subscription bound on one socket; touched by the delivery thread once added. */
  static final class Binding {
    final SubscriptionSocket socket;
    final String id;
    @Nullable TopicPartition partition;
    long fromOffset;
    long lastNumber;
    Instant lastSent;

    Binding(SubscriptionSocket socket, String id, long lastNumber, Instant now) {
      this.socket = socket;
      this.id = id;
      this.lastNumber = lastNumber;
      this.lastSent = now;
    }
  }

  private final String topic;
  private final SubscriptionRegistry registry;
  private final NotificationLog log;
  private final BindingTokens tokens;
  private final Supplier<String> base;
  private final Clock clock;
  private final Duration pingEvery;
  private final KafkaConsumer<String, byte[]> consumer;
  private final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
  private final Map<String, List<Binding>> bound = new HashMap<>();
  private final Set<SubscriptionSocket> sockets = ConcurrentHashMap.newKeySet();
  private final Thread thread;
  private volatile boolean running = true;
  private int partitions;
  private Instant lastPing = Instant.EPOCH;

  SubscriptionSockets(
      String bootstrapServers,
      SubscriptionRegistry registry,
      NotificationLog log,
      BindingTokens tokens,
      Supplier<String> base,
      Duration pingEvery,
      Clock clock) {
    this.topic = Topics.AUDIT_NOTIFICATIONS.name();
    this.pingEvery = pingEvery;
    this.registry = registry;
    this.log = log;
    this.tokens = tokens;
    this.base = base;
    this.clock = clock;
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, "subscription-sockets");
    // the matcher writes with exactly-once: never send an aborted notification
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
    this.consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
    this.thread = Thread.ofPlatform().name("subscription-sockets").daemon().unstarted(this::run);
  }

  SubscriptionSockets start() {
    thread.start();
    return this;
  }

  /** Whether the thread tailing the bound subscriptions runs (readiness). */
  public boolean running() {
    return thread.isAlive();
  }

  /** The servlet to mount at {@link #PATH} (outside the bearer-token filter: the token binds). */
  public jakarta.servlet.http.HttpServlet servlet() {
    return new SubscriptionSocketServlet(this);
  }

  void opened(SubscriptionSocket socket) {
    sockets.add(socket);
  }

  void closed(SubscriptionSocket socket) {
    if (sockets.remove(socket)) {
      commands.add(() -> unbindAll(socket));
    }
  }

  /**
   * {@code bind-with-token <token>}: on a valid token, the handshake is sent and the subscription
   * is tailed for this socket from the topic's current end; otherwise an OperationOutcome says why
   * and nothing is bound.
   */
  void bind(SubscriptionSocket socket, String token) {
    Optional<String> id = BindingTokens.subscriptionId(token);
    if (id.isEmpty()) {
      socket.send(outcome(OperationOutcome.IssueType.SECURITY, "malformed token"));
      return;
    }
    Optional<Subscription> found = registry.get(id.get());
    if (found.isEmpty()) {
      socket.send(outcome(OperationOutcome.IssueType.SECURITY, "unknown or deleted subscription"));
      return;
    }
    Subscription s = found.get();
    if (!SubscriptionValidator.WEBSOCKET.equals(s.getChannelType().getCode())) {
      socket.send(outcome(OperationOutcome.IssueType.SECURITY, "not a websocket subscription"));
      return;
    }
    BindingTokens.Checked checked = tokens.check(token, s);
    if (checked.subscriptionId().isEmpty()) {
      socket.send(outcome(OperationOutcome.IssueType.SECURITY, checked.refusal()));
      return;
    }
    if (s.getStatus() == SubscriptionStatusCodes.OFF
        || SubscriberAccess.readFrom(s).isEmpty()
        || (s.hasEnd() && !s.getEnd().toInstant().isAfter(clock.instant()))) {
      socket.send(outcome(OperationOutcome.IssueType.BUSINESSRULE, "the subscription is off"));
      return;
    }
    NotificationLog.Scan scanned;
    try {
      scanned = log.scan(s.getIdPart(), 1, 0);
    } catch (RuntimeException e) {
      socket.send(
          outcome(
              OperationOutcome.IssueType.TRANSIENT,
              "notifications are unavailable: the broker did not answer; bind again"));
      return;
    }
    Instant now = clock.instant();
    String handshake =
        encode(
            NotificationBundles.notification(
                base.get(),
                s,
                SubscriptionNotificationType.HANDSHAKE,
                SubscriptionStatusCodes.REQUESTED,
                scanned.highest(),
                List.of(),
                NotificationBundles.content(s),
                now));
    if (s.getStatus() != SubscriptionStatusCodes.ACTIVE) {
      activate(s);
    }
    Binding b = new Binding(socket, s.getIdPart(), scanned.highest(), now);
    // the tail starts where the handshake's count ended: nothing numbered in between is skipped
    b.fromOffset = scanned.end();
    // the handshake goes out once the tail starts: what the client is sent after it is complete
    commands.add(
        () -> {
          try {
            add(b, handshake);
          } catch (RuntimeException e) {
            LOG.warn("websocket binding of {} not started: {}", b.id, e.toString());
            socket.send(
                outcome(
                    OperationOutcome.IssueType.TRANSIENT,
                    "notifications are unavailable: the broker did not answer; bind again"));
          }
        });
  }

  /** requested (or error) becomes active once a client bound it. */
  private void activate(Subscription seen) {
    Subscription s = seen.copy();
    s.setStatus(SubscriptionStatusCodes.ACTIVE);
    s.getMeta().setLastUpdated(java.util.Date.from(clock.instant()));
    try {
      if (registry.putIfUnchanged(seen, s)) {
        LOG.info("subscription {} is now active (websocket bound)", s.getIdPart());
      }
    } catch (IllegalStateException e) {
      LOG.warn("subscription {}: status active not written: {}", s.getIdPart(), e.getMessage());
    }
  }

  private void run() {
    try {
      while (running) {
        try {
          step();
        } catch (RuntimeException e) {
          // the delivery thread outlives a failure: the sockets bound so far are closed (their
          // clients bind again and catch up with $events), and new bindings are served
          LOG.warn("websocket delivery failed, its sockets closed: {}", e.toString(), e);
          bound.clear();
          consumer.assign(List.of());
          sockets.forEach(SubscriptionSocket::closeUnavailable);
          Thread.sleep(POLL.toMillis());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  private void step() throws InterruptedException {
    for (Runnable c; (c = commands.poll()) != null; ) {
      c.run();
    }
    if (consumer.assignment().isEmpty()) {
      Thread.sleep(POLL.toMillis());
    } else {
      for (ConsumerRecord<String, byte[]> r : consumer.poll(POLL)) {
        deliver(r);
      }
    }
    Instant now = clock.instant();
    heartbeats(now);
    if (!now.isBefore(lastPing.plus(pingEvery))) {
      lastPing = now;
      sockets.forEach(SubscriptionSocket::ping);
    }
  }

  /**
   * Starts tailing {@code b}'s partition from where its handshake's scan ended (if the partition is
   * already tailed further on, it goes back there: the other bindings skip the repeats by
   * eventNumber), sends the handshake, then what comes after.
   */
  private void add(Binding b, String handshake) {
    if (!b.socket.isOpen()) {
      return;
    }
    if (partitions == 0) {
      partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).size();
    }
    TopicPartition tp = new TopicPartition(topic, NotificationLog.partitionOf(b.id, partitions));
    b.partition = tp;
    Set<TopicPartition> assigned = new HashSet<>(consumer.assignment());
    if (assigned.add(tp)) {
      consumer.assign(assigned);
      consumer.seek(tp, b.fromOffset);
    } else if (consumer.position(tp, Duration.ofSeconds(10)) > b.fromOffset) {
      consumer.seek(tp, b.fromOffset);
    }
    List<Binding> of = bound.computeIfAbsent(b.id, k -> new ArrayList<>());
    of.removeIf(old -> old.socket == b.socket); // bound again on the same socket
    of.add(b);
    b.socket.send(handshake);
  }

  private void unbindAll(SubscriptionSocket socket) {
    bound.values().forEach(list -> list.removeIf(b -> b.socket == socket));
    bound.values().removeIf(List::isEmpty);
    reassign();
  }

  /** Tails only the partitions some binding still needs. */
  private void reassign() {
    Set<TopicPartition> needed = new HashSet<>();
    bound.values().forEach(list -> list.forEach(b -> needed.add(b.partition)));
    if (!needed.equals(consumer.assignment())) {
      consumer.assign(needed);
    }
  }

  private void deliver(ConsumerRecord<String, byte[]> r) {
    List<Binding> bindings = r.key() == null ? null : bound.get(r.key());
    if (bindings == null || r.value() == null) {
      return;
    }
    SubscriptionNotification n;
    try {
      n = SubscriptionNotificationJson.read(r.value());
    } catch (IllegalArgumentException e) {
      LOG.warn("skipping unreadable notification at {}@{}", r.partition(), r.offset());
      return;
    }
    Optional<Subscription> found = registry.peek(r.key());
    if (found.isEmpty()
        || found.get().getStatus() == SubscriptionStatusCodes.OFF
        || !SubscriptionValidator.WEBSOCKET.equals(found.get().getChannelType().getCode())) {
      unbindGone(r.key());
      return;
    }
    Subscription s = found.get().copy(); // the view's instance is shared with the HTTP threads
    Optional<AuditEvent> shown = SubscriberView.of(SubscriberAccess.readFrom(s)).shown(n.event());
    Instant now = clock.instant();
    String json = null;
    for (Binding b : bindings) {
      if (r.offset() < b.fromOffset || n.eventNumber() <= b.lastNumber) {
        continue; // before it was bound, or a repeat
      }
      b.lastNumber = n.eventNumber();
      if (shown.isEmpty()) {
        continue; // not the subscriber's to read
      }
      if (json == null) {
        json =
            encode(
                NotificationBundles.notification(
                    base.get(),
                    s,
                    SubscriptionNotificationType.EVENTNOTIFICATION,
                    s.getStatus(),
                    n.eventNumber(),
                    List.of(NotificationBundles.Event.of(n, shown.get())),
                    NotificationBundles.content(s),
                    now));
      }
      b.socket.send(json);
      b.lastSent = now;
    }
  }

  private void heartbeats(Instant now) {
    List<String> gone = new ArrayList<>();
    for (Map.Entry<String, List<Binding>> e : bound.entrySet()) {
      Optional<Subscription> found = registry.peek(e.getKey());
      if (found.isEmpty() || found.get().getStatus() == SubscriptionStatusCodes.OFF) {
        if (found.isPresent() || registry.deleted(e.getKey())) {
          gone.add(e.getKey());
        }
        continue;
      }
      Subscription s = found.get();
      if (!s.hasHeartbeatPeriod()) {
        continue;
      }
      for (Binding b : e.getValue()) {
        if (!b.lastSent.plusSeconds(s.getHeartbeatPeriod()).isAfter(now)) {
          b.socket.send(
              encode(
                  NotificationBundles.notification(
                      base.get(),
                      s,
                      SubscriptionNotificationType.HEARTBEAT,
                      s.getStatus(),
                      b.lastNumber,
                      List.of(),
                      NotificationBundles.content(s),
                      now)));
          b.lastSent = now;
        }
      }
    }
    gone.forEach(this::unbindGone);
  }

  /** A subscription deleted or turned off while bound: its clients are told, and it is unbound. */
  private void unbindGone(String id) {
    List<Binding> bindings = bound.remove(id);
    if (bindings == null) {
      return;
    }
    for (Binding b : bindings) {
      b.socket.send(
          outcome(
              OperationOutcome.IssueType.NOTFOUND,
              "subscription " + id + " was deleted or turned off: unbound"));
    }
    reassign();
  }

  static String encode(Bundle bundle) {
    return Integer64JsonWriter.quote(Fhir.jsonParser().encodeResourceToString(bundle));
  }

  /** An OperationOutcome text frame: why a message was refused. */
  static String outcome(OperationOutcome.IssueType code, String why) {
    OperationOutcome oo = new OperationOutcome();
    oo.addIssue()
        .setSeverity(OperationOutcome.IssueSeverity.ERROR)
        .setCode(code)
        .setDiagnostics(why);
    return Fhir.jsonParser().encodeResourceToString(oo);
  }

  @Override
  public void close() {
    running = false;
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.getState() == Thread.State.NEW) {
      consumer.close(Duration.ofSeconds(5));
    }
    sockets.forEach(SubscriptionSocket::closeUnavailable);
  }
}
