package org.atnabridge.store.indexer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.atnabridge.schemas.Topics;
import org.atnabridge.store.AuditStore;
import org.atnabridge.store.StoreException;
import org.atnabridge.store.StoreHealth;
import org.atnabridge.store.internal.AuditEventDocument;
import org.hl7.fhir.r5.model.AuditEvent;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes AuditEvents from a topic (default {@code audit.events}) into an {@link AuditStore}, on
 * its own thread. Shaped like Zipkin's {@code KafkaCollectorWorker}: poll, decode, write, then
 * commit — never the other way round, so an event is acknowledged only once it is durable.
 *
 * <ul>
 *   <li>A record that is not an AuditEvent (or has no id or {@code recorded}) is counted and
 *       skipped: one bad record must not stall its partition. The first of them and every
 *       {@value #LOG_EVERY}th is logged at WARN with its coordinates, never its payload.
 *   <li>When the store fails ({@link StoreException}, or anything else it throws), nothing is committed; the consumer seeks
 *       back to the start of the batch and retries after a backoff doubling from 100 ms to {@code
 *       maxBackoff}, for as long as the store stays down.
 *   <li>Consumer defaults: group {@value #DEFAULT_GROUP}, {@code enable.auto.commit=false},
 *       {@code isolation.level=read_committed} (events of aborted Streams transactions are never
 *       indexed), {@code auto.offset.reset=earliest} (a new group indexes what is retained).
 * </ul>
 *
 * <p>Metrics, when a registry is given: {@code audit.indexer.records{result=indexed|malformed}},
 * {@code audit.indexer.write.failures}, timer {@code audit.indexer.write}. Alert on malformed
 * growing, or on failures growing while indexed stands still (the store is down).
 */
public final class AuditIndexer implements AutoCloseable {

  public static final String DEFAULT_GROUP = "audit-indexer";
  static final int LOG_EVERY = 1000;
  private static final Logger LOG = LoggerFactory.getLogger(AuditIndexer.class);
  private static final Duration POLL = Duration.ofMillis(500);
  private static final Duration MIN_BACKOFF = Duration.ofMillis(100);

  private final Map<String, Object> consumerConfig;
  private final String topic;
  private final AuditStore store;
  private final Duration maxBackoff;
  private final Deserializer<AuditEvent> deserializer = Topics.AUDIT_EVENTS.valueSerde().deserializer();
  private final AtomicLong indexed = new AtomicLong();
  private final AtomicLong malformed = new AtomicLong();
  private final AtomicLong writeFailures = new AtomicLong();
  /** Paces the WARN lines; unlike {@link #malformed} it also counts re-reads of a retried batch. */
  private final AtomicLong malformedSeen = new AtomicLong();
  private final @Nullable Timer writeTimer;
  private final CountDownLatch closing = new CountDownLatch(1);

  private volatile @Nullable KafkaConsumer<byte[], byte[]> consumer;
  private volatile @Nullable Thread thread;
  private volatile @Nullable String lastError;
  private volatile boolean running;

  /**
   * @param consumerConfig Kafka consumer settings; {@code bootstrap.servers} is required, the
   *     defaults above apply where a key is absent, deserializers are always byte arrays
   * @param topic the topic to index, e.g. {@code Topics.AUDIT_EVENTS.name()}
   * @param meters where to register metrics, or null for none
   */
  public AuditIndexer(Map<String, Object> consumerConfig, String topic, AuditStore store, @Nullable MeterRegistry meters) {
    this(consumerConfig, topic, store, meters, Duration.ofSeconds(30));
  }

  /** As above, with the longest wait between retries of a failing store. */
  public AuditIndexer(Map<String, Object> consumerConfig, String topic, AuditStore store, @Nullable MeterRegistry meters,
      Duration maxBackoff) {
    if (!consumerConfig.containsKey(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG)) {
      throw new IllegalArgumentException("consumerConfig without " + ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG);
    }
    if (topic.isBlank()) {
      throw new IllegalArgumentException("topic is blank");
    }
    if (maxBackoff.compareTo(MIN_BACKOFF) < 0) {
      throw new IllegalArgumentException("maxBackoff < " + MIN_BACKOFF.toMillis() + " ms: " + maxBackoff);
    }
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.GROUP_ID_CONFIG, DEFAULT_GROUP);
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.putAll(consumerConfig);
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false); // commit only after the store accepted
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    this.consumerConfig = Map.copyOf(c);
    this.topic = topic;
    this.store = Objects.requireNonNull(store, "store");
    this.maxBackoff = maxBackoff;
    if (meters != null) {
      FunctionCounter.builder("audit.indexer.records", indexed, AtomicLong::get).tag("result", "indexed")
          .tag("topic", topic).register(meters);
      FunctionCounter.builder("audit.indexer.records", malformed, AtomicLong::get).tag("result", "malformed")
          .tag("topic", topic).register(meters);
      FunctionCounter.builder("audit.indexer.write.failures", writeFailures, AtomicLong::get).tag("topic", topic)
          .register(meters);
      this.writeTimer = Timer.builder("audit.indexer.write").tag("topic", topic).register(meters);
    } else {
      this.writeTimer = null;
    }
  }

  /** Indexes {@link Topics#AUDIT_EVENTS} with the default group. */
  public static AuditIndexer create(String bootstrapServers, AuditStore store) {
    return new AuditIndexer(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
        Topics.AUDIT_EVENTS.name(), store, null);
  }

  /** Subscribes and starts the consumer thread; returns at once. */
  public synchronized AuditIndexer start() {
    if (thread != null) {
      throw new IllegalStateException("already started");
    }
    KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(consumerConfig);
    c.subscribe(List.of(topic));
    consumer = c;
    running = true;
    Thread t = new Thread(() -> run(c), "audit-indexer-" + topic);
    t.setDaemon(true);
    thread = t;
    t.start();
    return this;
  }

  /** Down when the loop died or the last write failed (the store is unavailable). */
  public StoreHealth check() {
    Thread t = thread;
    if (t == null) {
      return StoreHealth.down("indexer not started");
    }
    String error = lastError;
    if (!t.isAlive() && running) {
      return StoreHealth.down("indexer stopped: " + error);
    }
    return error == null ? StoreHealth.OK : StoreHealth.down(error);
  }

  public long indexedCount() {
    return indexed.get();
  }

  public long malformedCount() {
    return malformed.get();
  }

  public long writeFailureCount() {
    return writeFailures.get();
  }

  /**
   * Stops polling, lets a batch in flight finish its write and commit, then closes the consumer.
   * A batch waiting for a failed store to come back is abandoned uncommitted (it is redelivered).
   */
  @Override
  public void close() {
    Thread t;
    synchronized (this) {
      t = thread;
      if (t == null || !running) {
        return;
      }
      running = false;
    }
    closing.countDown();
    KafkaConsumer<byte[], byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    try {
      t.join(TimeUnit.SECONDS.toMillis(60));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run(KafkaConsumer<byte[], byte[]> c) {
    Duration backoff = MIN_BACKOFF;
    try {
      while (running) {
        ConsumerRecords<byte[], byte[]> records;
        try {
          records = c.poll(POLL);
        } catch (WakeupException e) {
          break;
        }
        if (records.isEmpty()) {
          continue;
        }
        Map<TopicPartition, Long> start = new HashMap<>();
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        List<AuditEvent> batch = new ArrayList<>(records.count());
        int bad = 0;
        for (ConsumerRecord<byte[], byte[]> r : records) {
          TopicPartition tp = new TopicPartition(r.topic(), r.partition());
          start.putIfAbsent(tp, r.offset());
          next.put(tp, new OffsetAndMetadata(r.offset() + 1));
          if (r.value() == null) {
            continue; // a tombstone: nothing to index
          }
          AuditEvent event = decode(r);
          if (event == null) {
            bad++;
          } else {
            batch.add(event);
          }
        }
        try {
          write(batch);
        } catch (RuntimeException e) { // StoreException, or a store bug: retrying never loses the batch
          writeFailures.incrementAndGet();
          lastError = "store write failed: " + e.getMessage();
          LOG.warn("indexing {} events from {} failed, retrying in {} ms: {}", batch.size(), topic, backoff.toMillis(),
              e.getMessage());
          start.forEach(c::seek); // redeliver the same batch
          if (closing.await(backoff.toMillis(), TimeUnit.MILLISECONDS)) {
            break;
          }
          backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
          continue;
        }
        backoff = MIN_BACKOFF;
        lastError = null;
        commit(c, next);
        // counted only now, so a retried batch is counted once
        indexed.addAndGet(batch.size());
        countMalformed(bad);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      lastError = e.toString();
      LOG.error("audit indexer on {} stopped", topic, e);
    } finally {
      try {
        c.close(CloseOptions.timeout(Duration.ofSeconds(10)));
      } catch (RuntimeException e) {
        LOG.debug("closing the consumer", e);
      }
    }
  }

  private void write(List<AuditEvent> batch) {
    if (batch.isEmpty()) {
      return;
    }
    long t0 = System.nanoTime();
    store.writer().write(batch);
    if (writeTimer != null) {
      writeTimer.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
    }
  }

  /** A close() that raced with the batch leaves a pending wakeup: commit regardless, then stop. */
  private static void commit(KafkaConsumer<byte[], byte[]> c, Map<TopicPartition, OffsetAndMetadata> offsets) {
    try {
      c.commitSync(offsets);
    } catch (WakeupException e) {
      c.commitSync(offsets);
    } catch (CommitFailedException e) {
      // the group rebalanced away from us; the new owner re-reads and the writes are idempotent
      LOG.info("commit after rebalance failed, events will be redelivered: {}", e.getMessage());
    }
  }

  private @Nullable AuditEvent decode(ConsumerRecord<byte[], byte[]> r) {
    try {
      return AuditEventDocument.requireIndexable(deserializer.deserialize(r.topic(), r.value()));
    } catch (RuntimeException e) {
      long n = malformedSeen.incrementAndGet();
      if (n == 1 || n % LOG_EVERY == 0) {
        // class only: parser messages quote the payload, which may hold patient data
        LOG.warn("skipped malformed record {}-{}@{} ({} so far): {}", r.topic(), r.partition(), r.offset(), n,
            e.getClass().getSimpleName());
      }
      return null;
    }
  }

  private void countMalformed(int n) {
    malformed.addAndGet(n);
  }
}
