package org.atnabridge.store.indexer;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.atnabridge.schemas.DeadLetterHeaders;
import org.atnabridge.schemas.Topics;
import org.atnabridge.store.AuditStore;
import org.atnabridge.store.StoreHealth;
import org.atnabridge.store.WriteResult;
import org.atnabridge.store.internal.ConsumerWorker;
import org.atnabridge.store.relabel.PatientLabelTable;
import org.atnabridge.store.relabel.PatientRelabeler;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes AuditEvents from a topic (default {@code audit.events}) into an {@link AuditStore}, on
 * its own thread. Shaped like Zipkin's {@code KafkaCollectorWorker}: poll, decode, index; then, at
 * most every {@code commitInterval}, {@link org.atnabridge.store.AuditEventWriter#flush() flush}
 * the store and only then commit the offsets. An offset is therefore committed only once the events
 * before it are durable in the store: after a crash (kill -9) the store reopens at its last durable
 * point, which is at or after the committed offsets, the indexer re-reads from the committed
 * offsets, and upserts by id make the replay idempotent: no loss, no duplicates.
 *
 * <ul>
 *   <li>A record that is not an AuditEvent (or has no id or {@code recorded}) and an event the
 *       store can never index (a {@link WriteResult.Rejection}, e.g. an Elasticsearch mapping
 *       conflict) go to {@code audit.dlq} with the original key, value and headers plus {@link
 *       DeadLetterHeaders} (stage {@value #DLQ_STAGE}, reason {@code NOT_AUDIT_EVENT}, {@code
 *       MAPPING_CONFLICT} or {@code INDEX_REJECTED}): one bad record must not stall its partition.
 *   <li>When the store fails (it is down), nothing is committed: the consumer seeks back to the
 *       first record not yet flushed, pauses its partitions (it keeps polling so it stays in the
 *       group) and retries after a backoff doubling from 100 ms to {@code maxBackoff} (default
 *       {@value #DEFAULT_MAX_BACKOFF_SECONDS} s), and sooner as soon as the store's own health
 *       check ({@link AuditStore#check()}, asked every second while paused) passes, for as long as
 *       the store stays down; then it resumes where it left off. The outage is logged in three
 *       lines ({@link IndexerOutage}): its start, its end, and the backlog drained.
 *   <li>Consumer defaults: group {@value #DEFAULT_GROUP}, {@code enable.auto.commit=false}, {@code
 *       isolation.level=read_committed}, {@code auto.offset.reset=earliest}, {@code
 *       max.poll.records=2000} (big batches make big bulks).
 * </ul>
 *
 * <p>Metrics, when a registry is given: {@code audit.indexer.records{result=indexed|malformed|
 * rejected}}, {@code audit.indexer.write.failures}, timer {@code audit.indexer.write}. Alert on
 * malformed or rejected growing, or on failures growing while indexed stands still.
 */
public final class AuditIndexer implements AutoCloseable {

  public static final String DEFAULT_GROUP = "audit-indexer";
  public static final String DLQ_STAGE = "audit-indexer";
  static final int LOG_EVERY = 1000;
  private static final Logger LOG = LoggerFactory.getLogger(AuditIndexer.class);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration MIN_BACKOFF = Duration.ofMillis(100);

  /** While paused, how often the store's health check is asked whether it is back. */
  private static final Duration PROBE_EVERY = Duration.ofSeconds(1);

  private static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofSeconds(1);

  /** The longest pause between two tries of a failing store, by default. */
  public static final int DEFAULT_MAX_BACKOFF_SECONDS = 5;

  private final Map<String, Object> consumerConfig;
  private final String topic;
  private final AuditStore store;
  private final Duration maxBackoff;
  private final IndexerDeadLetters deadLetters;
  private final IndexerMetrics metrics;
  private final ConsumerWorker worker = new ConsumerWorker();

  /** What was indexed since the last flush: the offsets to commit, and where to restart. */
  private final PendingOffsets pending = new PendingOffsets();

  private final IndexerCommits commits;
  private final IndexerBatchWriter batches;
  private final IndexerOutage outage;

  private volatile @Nullable PatientLabelTable patientLabels;
  private volatile @Nullable String lastError;
  private volatile boolean paused;

  /**
   * @param consumerConfig Kafka consumer settings; {@code bootstrap.servers} is required, the
   *     defaults above apply where a key is absent, deserializers are always byte arrays
   * @param topic the topic to index, e.g. {@code Topics.AUDIT_EVENTS.name()}
   * @param meters where to register metrics, or null for none
   */
  public AuditIndexer(
      Map<String, Object> consumerConfig,
      String topic,
      AuditStore store,
      @Nullable MeterRegistry meters) {
    this(consumerConfig, topic, store, meters, Duration.ofSeconds(DEFAULT_MAX_BACKOFF_SECONDS));
  }

  /** As above, with the longest wait between retries of a failing store. */
  public AuditIndexer(
      Map<String, Object> consumerConfig,
      String topic,
      AuditStore store,
      @Nullable MeterRegistry meters,
      Duration maxBackoff) {
    this(
        consumerConfig,
        topic,
        store,
        meters,
        maxBackoff,
        DEFAULT_COMMIT_INTERVAL,
        Topics.AUDIT_DLQ.name());
  }

  /**
   * @param commitInterval how often the store is flushed and offsets committed (a flush is a Lucene
   *     commit with fsync: not per batch); also on revocation and close
   * @param dlqTopic where undecodable and unindexable records go
   */
  public AuditIndexer(
      Map<String, Object> consumerConfig,
      String topic,
      AuditStore store,
      @Nullable MeterRegistry meters,
      Duration maxBackoff,
      Duration commitInterval,
      String dlqTopic) {
    if (!consumerConfig.containsKey(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG)) {
      throw new IllegalArgumentException(
          "consumerConfig without " + ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG);
    }
    if (topic.isBlank()) {
      throw new IllegalArgumentException("topic is blank");
    }
    if (dlqTopic.isBlank() || dlqTopic.equals(topic)) {
      throw new IllegalArgumentException("dlqTopic is blank or the indexed topic: " + dlqTopic);
    }
    if (maxBackoff.compareTo(MIN_BACKOFF) < 0) {
      throw new IllegalArgumentException(
          "maxBackoff < " + MIN_BACKOFF.toMillis() + " ms: " + maxBackoff);
    }
    if (commitInterval.isNegative()) {
      throw new IllegalArgumentException("commitInterval < 0: " + commitInterval);
    }
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.GROUP_ID_CONFIG, DEFAULT_GROUP);
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
    c.putAll(consumerConfig);
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false); // commit only after the store flushed
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    this.consumerConfig = Map.copyOf(c);
    this.topic = topic;
    this.store = Objects.requireNonNull(store, "store");
    this.maxBackoff = maxBackoff;
    this.deadLetters =
        new IndexerDeadLetters(
            dlqTopic, consumerConfig.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG));
    this.metrics = new IndexerMetrics(topic, meters);
    this.commits = new IndexerCommits(this.store, metrics, pending, commitInterval);
    this.batches = new IndexerBatchWriter(this.store, deadLetters, metrics, pending);
    this.outage = new IndexerOutage(topic, maxBackoff);
  }

  /** Indexes {@link Topics#AUDIT_EVENTS} with the default group. */
  public static AuditIndexer create(String bootstrapServers, AuditStore store) {
    return new AuditIndexer(
        Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
        Topics.AUDIT_EVENTS.name(),
        store,
        null);
  }

  /**
   * Indexes every event with the labels reference data now gives the patients it names, beside its
   * own (labels follow the patient: {@link PatientRelabeler}); call before {@link #start()}.
   */
  public AuditIndexer raiseLabelsFrom(PatientLabelTable table) {
    if (worker.started()) {
      throw new IllegalStateException("already started");
    }
    patientLabels = Objects.requireNonNull(table, "table");
    return this;
  }

  /** Subscribes and starts the consumer thread; returns at once. */
  public synchronized AuditIndexer start() {
    if (worker.started()) {
      throw new IllegalStateException("already started");
    }
    KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(consumerConfig);
    c.subscribe(
        List.of(topic),
        new ConsumerRebalanceListener() {
          @Override
          public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            commits.commitDurable(
                c); // hand over a durable position; on failure the new owner re-reads
          }

          @Override
          public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (paused) {
              c.pause(partitions);
            }
          }

          @Override
          public void onPartitionsLost(Collection<TopicPartition> partitions) {
            pending.forget();
          }
        });
    worker.start("audit-indexer-" + topic, c, this::run);
    return this;
  }

  /** Down when the loop died or the store is failing (the indexer is paused). */
  public StoreHealth check() {
    if (!worker.started()) {
      return StoreHealth.down("indexer not started");
    }
    String error = lastError;
    if (worker.died()) {
      return StoreHealth.down("indexer stopped: " + error);
    }
    return error == null ? StoreHealth.OK : StoreHealth.down(error);
  }

  /** True while the store is failing and consumption is paused. */
  public boolean isPaused() {
    return paused;
  }

  /** Events indexed and committed. */
  public long indexedCount() {
    return metrics.indexed.get();
  }

  public long malformedCount() {
    return metrics.malformed.get();
  }

  /** Events the store rejected for good and that went to the dead-letter topic. */
  public long rejectedCount() {
    return metrics.rejected.get();
  }

  public long writeFailureCount() {
    return metrics.writeFailures.get();
  }

  /**
   * Stops polling, flushes the store and commits what was indexed, then closes the consumer. A
   * batch waiting for a failed store to come back is abandoned uncommitted (it is redelivered).
   */
  @Override
  public void close() {
    worker.close(Duration.ofSeconds(60));
  }

  private void run(KafkaConsumer<byte[], byte[]> c) {
    Duration backoff = MIN_BACKOFF;
    long retryAt = 0;
    long probedAt = System.nanoTime();
    try {
      while (worker.running()) {
        if (paused) {
          long now = System.nanoTime();
          if (now - probedAt >= PROBE_EVERY.toNanos()) {
            probedAt = now;
            if (store.check().ok()) {
              retryAt = now; // back: do not sit out the rest of the backoff
            }
          }
          long wait = retryAt - now;
          if (wait > 0) {
            pollPaused(c, Duration.ofNanos(Math.min(wait, POLL.toNanos())));
            continue;
          }
          paused = false;
          c.resume(c.paused());
        }
        ConsumerRecords<byte[], byte[]> records;
        try {
          records = c.poll(POLL);
        } catch (WakeupException e) {
          break;
        }
        try {
          if (!records.isEmpty()) {
            batches.write(records, patientLabels);
          }
          if (commits.due()) {
            commits.flushAndCommit(c);
          }
          // after an outage an empty poll proves nothing (the fetch may still be on its way): the
          // store is back once a write succeeds or its health check passes
          if (!records.isEmpty() || !outage.down() || store.check().ok()) {
            backoff = MIN_BACKOFF;
            lastError = null;
            outage.succeeded(
                records.count(), records.isEmpty() && outage.draining() && caughtUp(c));
          }
        } catch (
            RuntimeException
                e) { // StoreException, DLQ failure, or a store bug: retrying never loses data
          metrics.writeFailures.incrementAndGet();
          lastError = "store write failed: " + e.getMessage();
          outage.failed(e, backoff);
          commits.rewind(c, records);
          paused = true;
          c.pause(c.assignment());
          retryAt = System.nanoTime() + backoff.toNanos();
          backoff =
              backoff.multipliedBy(2).compareTo(maxBackoff) > 0
                  ? maxBackoff
                  : backoff.multipliedBy(2);
        }
      }
      if (lastError == null) {
        try {
          commits.flushAndCommit(c);
        } catch (RuntimeException e) {
          LOG.info(
              "final flush on close failed, events after the last commit will be redelivered: {}",
              e.getMessage());
        }
      }
    } catch (RuntimeException e) {
      lastError = e.toString();
      LOG.error("audit indexer on {} stopped", topic, e);
    } finally {
      try {
        c.close(CloseOptions.timeout(Duration.ofSeconds(10)));
      } catch (RuntimeException e) {
        LOG.debug("closing the consumer", e);
      }
      deadLetters.close();
    }
  }

  /** No record left to read on any assigned partition, as far as the consumer knows. */
  private static boolean caughtUp(KafkaConsumer<byte[], byte[]> c) {
    for (TopicPartition tp : c.assignment()) {
      java.util.OptionalLong lag = c.currentLag(tp);
      if (lag.isEmpty() || lag.getAsLong() > 0) {
        return false;
      }
    }
    return true;
  }

  private void pollPaused(KafkaConsumer<byte[], byte[]> c, Duration d) {
    try {
      if (worker.awaitClosing(Duration.ZERO)) {
        if (Thread.currentThread().isInterrupted()) {
          worker.stop();
        }
        return;
      }
      c.poll(d); // partitions paused: returns nothing, keeps the group membership alive
    } catch (WakeupException e) {
      // close() asked; the loop sees running == false
    }
  }
}
