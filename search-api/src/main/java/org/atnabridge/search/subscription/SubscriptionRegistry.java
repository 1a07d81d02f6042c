package org.atnabridge.search.subscription;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.schemas.Topics;
import org.atnabridge.search.AcknowledgedProducerConfig;
import org.atnabridge.search.CompactedTopicReader;
import org.hl7.fhir.r5.model.Resource;
import org.hl7.fhir.r5.model.Subscription;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every Subscription, as stored in the compacted {@code audit.subscriptions}: this node's live view
 * of the whole topic (read from the beginning, no consumer group, so every node sees every
 * subscription) and the writer. A write returns once the broker acknowledged it and is in this
 * node's view at once (read your write); the view ignores an older record of the same id that its
 * reader meets later. Resources handed out are copies.
 */
public final class SubscriptionRegistry implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SubscriptionRegistry.class);
  private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

  /** One id's latest known state: {@code subscription} null = deleted. */
  private record Entry(long offset, @Nullable Subscription subscription) {}

  private final String topic;
  private final KafkaProducer<String, Resource> producer;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final CompactedTopicReader reader;

  /**
   * @param bootstrapServers the Kafka cluster
   */
  public SubscriptionRegistry(String bootstrapServers) {
    this.topic = Topics.AUDIT_SUBSCRIPTIONS.name();
    Map<String, Object> p =
        AcknowledgedProducerConfig.of(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "subscription-registry");
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) ACK_TIMEOUT.toMillis() - 1000);
    this.producer =
        new KafkaProducer<>(
            p, new StringSerializer(), Topics.AUDIT_SUBSCRIPTIONS.valueSerde().serializer());
    this.reader =
        new CompactedTopicReader(
            bootstrapServers, topic, "subscription-registry-reader", this::read);
  }

  /** Starts reading the topic; waits up to {@code catchUp} until the view holds what is stored. */
  public SubscriptionRegistry start(Duration catchUp) {
    reader.start(catchUp);
    return this;
  }

  /** Whether the view has read the topic to the end it had at start. */
  public boolean caughtUp() {
    return reader.caughtUp();
  }

  private void read(ConsumerRecord<String, byte[]> r) {
    if (r.key() == null) {
      return;
    }
    Subscription s = null;
    if (r.value() != null) {
      s = parse(r);
      if (s == null) {
        return; // not a Subscription: never written by this API
      }
    }
    apply(r.key(), r.offset(), s);
  }

  private static @Nullable Subscription parse(ConsumerRecord<String, byte[]> r) {
    try {
      return Fhir.jsonParser().parseResource(new String(r.value(), StandardCharsets.UTF_8))
              instanceof Subscription s
          ? s
          : null;
    } catch (RuntimeException e) {
      LOG.warn("audit.subscriptions@{}: not a FHIR resource, skipped", r.offset());
      return null;
    }
  }

  private void apply(String id, long offset, @Nullable Subscription s) {
    entries.compute(
        id, (k, old) -> old != null && old.offset() > offset ? old : new Entry(offset, s));
  }

  /** The subscription as stored (with its subscriber's access), a copy; empty when none. */
  public Optional<Subscription> get(String id) {
    Entry e = entries.get(id);
    return e == null || e.subscription() == null
        ? Optional.empty()
        : Optional.of(e.subscription().copy());
  }

  /**
   * The subscription as stored, without a copy: for readers that never change it (delivery looks at
   * every subscription several times a second).
   */
  Optional<Subscription> peek(String id) {
    Entry e = entries.get(id);
    return e == null ? Optional.empty() : Optional.ofNullable(e.subscription());
  }

  /** Whether {@code id} was deleted (its tombstone is in the view); false when never seen. */
  public boolean deleted(String id) {
    Entry e = entries.get(id);
    return e != null && e.subscription() == null;
  }

  /** Every live subscription as stored, copies. */
  public List<Subscription> all() {
    List<Subscription> out = new ArrayList<>();
    for (Entry e : entries.values()) {
      if (e.subscription() != null) {
        out.add(e.subscription().copy());
      }
    }
    return out;
  }

  /** Ids of live subscriptions. */
  public Collection<String> ids() {
    List<String> out = new ArrayList<>();
    entries.forEach(
        (id, e) -> {
          if (e.subscription() != null) {
            out.add(id);
          }
        });
    return out;
  }

  /**
   * Stores {@code s} under its id and returns once the broker acknowledged it.
   *
   * @throws IllegalStateException when Kafka did not acknowledge in time
   */
  public synchronized void put(Subscription s) {
    Subscription stored = s.copy();
    write(stored.getIdPart(), stored);
  }

  /**
   * Stores {@code after} only if the subscription is still as {@code before} was read (same
   * version, status and time of change) in this node's view: a status written back by delivery
   * never overwrites a client's change or resurrects a deleted subscription, and a client's change
   * never overwrites a status it did not see. Writes of this node are serialized.
   *
   * @return false when the subscription changed or was deleted meanwhile (nothing written)
   */
  public synchronized boolean putIfUnchanged(Subscription before, Subscription after) {
    Entry e = entries.get(before.getIdPart());
    Subscription current = e == null ? null : e.subscription();
    if (current == null || !sameState(current, before)) {
      return false;
    }
    put(after);
    return true;
  }

  private static boolean sameState(Subscription a, Subscription b) {
    return java.util.Objects.equals(a.getMeta().getVersionId(), b.getMeta().getVersionId())
        && a.getStatus() == b.getStatus()
        && java.util.Objects.equals(a.getMeta().getLastUpdated(), b.getMeta().getLastUpdated());
  }

  /** Deletes subscription {@code id} (a tombstone). */
  public synchronized void delete(String id) {
    write(id, null);
  }

  private void write(String id, @Nullable Subscription s) {
    try {
      RecordMetadata m =
          producer
              .send(new ProducerRecord<>(topic, id, s))
              .get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      apply(id, m.offset(), s == null ? null : s.copy());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted writing a subscription", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("audit.subscriptions did not acknowledge the write: " + e, e);
    }
  }

  @Override
  public void close() {
    reader.close();
    producer.close(Duration.ofSeconds(10));
  }
}
