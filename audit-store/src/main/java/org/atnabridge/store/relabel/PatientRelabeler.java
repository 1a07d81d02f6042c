package org.atnabridge.store.relabel;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.atnabridge.schemas.ResourceSerde;
import org.atnabridge.schemas.Topics;
import org.atnabridge.store.AuditQuery;
import org.atnabridge.store.AuditStore;
import org.atnabridge.store.Criterion;
import org.atnabridge.store.IdentifierToken;
import org.atnabridge.store.SearchField;
import org.atnabridge.store.internal.ConsumerWorker;
import org.hl7.fhir.r5.model.Patient;
import org.hl7.fhir.r5.model.Resource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background job that makes labels follow the patient. It reads the whole reference patient
 * topic into a {@link PatientLabelTable} (which the indexer applies to every event it indexes) and,
 * for each reference record not yet handled, sweeps the store: every stored event that names the
 * patient ({@code AuditEvent.patient} or an {@code entity.what}, by identifier {@code system|value}
 * or by {@code Patient/id}, never by a value alone) and lacks one of the patient's labels is
 * re-indexed with them ({@link AuditStore#raiseLabels}); the chained JSON is untouched.
 *
 * <ul>
 *   <li>Bounded: batches of {@code batchSize} events, paced to at most {@code maxEventsPerSecond}.
 *   <li>Restart-safe: its own consumer group ({@value #DEFAULT_GROUP}) remembers the records whose
 *       sweep finished (committed only after it); records before that are loaded into the table
 *       only, later ones are swept again after a crash. A sweep selects only events that lack a
 *       label, so repeating it changes nothing.
 *   <li>Ordered against the indexer: see {@link PatientLabelTable}; the store makes earlier writes
 *       visible before each batch.
 *   <li>Only raises: a label removed from a patient is not taken off events already labelled.
 *   <li>A store failure is counted, logged and retried with a backoff up to 30 s; the job never
 *       skips a record.
 * </ul>
 *
 * <p>Metrics, when a registry is given: {@code audit.relabel.events} (events re-indexed with a
 * raised label), {@code audit.relabel.sweeps} (reference records swept), {@code
 * audit.relabel.failures}, gauge {@code audit.relabel.patients} (reference patient records known).
 */
public final class PatientRelabeler implements AutoCloseable {

  public static final String DEFAULT_GROUP = "audit-relabel";
  public static final int DEFAULT_BATCH_SIZE = 500;
  public static final int DEFAULT_MAX_EVENTS_PER_SECOND = 2000;
  private static final Logger LOG = LoggerFactory.getLogger(PatientRelabeler.class);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
  private static final SearchField[] NAMING_FIELDS = {SearchField.PATIENT, SearchField.ENTITY};

  private final Map<String, Object> consumerConfig;
  private final String topic;
  private final AuditStore store;
  private final PatientLabelTable table;
  private final int batchSize;
  private final int maxEventsPerSecond;
  private final AtomicLong events = new AtomicLong();
  private final AtomicLong sweeps = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final CountDownLatch loaded = new CountDownLatch(1);
  private final ResourceSerde serde = new ResourceSerde();
  private final ConsumerWorker worker = new ConsumerWorker();

  /**
   * @param consumerConfig needs {@code bootstrap.servers}; group {@value #DEFAULT_GROUP} unless
   *     given
   * @param batchSize events per store batch, 1 .. {@link AuditQuery#MAX_LIMIT}
   * @param maxEventsPerSecond pace of the sweeps, at least 1
   */
  public PatientRelabeler(
      Map<String, Object> consumerConfig,
      String topic,
      AuditStore store,
      PatientLabelTable table,
      @Nullable MeterRegistry meters,
      int batchSize,
      int maxEventsPerSecond) {
    if (!consumerConfig.containsKey(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG)) {
      throw new IllegalArgumentException(
          "consumerConfig without " + ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG);
    }
    if (batchSize < 1 || batchSize > AuditQuery.MAX_LIMIT) {
      throw new IllegalArgumentException(
          "batchSize must be 1.." + AuditQuery.MAX_LIMIT + ": " + batchSize);
    }
    if (maxEventsPerSecond < 1) {
      throw new IllegalArgumentException("maxEventsPerSecond < 1: " + maxEventsPerSecond);
    }
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.GROUP_ID_CONFIG, DEFAULT_GROUP);
    c.putAll(consumerConfig);
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false); // committed only once a sweep finished
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    this.consumerConfig = Map.copyOf(c);
    this.topic = topic;
    this.store = Objects.requireNonNull(store, "store");
    this.table = Objects.requireNonNull(table, "table");
    this.batchSize = batchSize;
    this.maxEventsPerSecond = maxEventsPerSecond;
    if (meters != null) {
      FunctionCounter.builder("audit.relabel.events", events, AtomicLong::get)
          .baseUnit("events")
          .register(meters);
      FunctionCounter.builder("audit.relabel.sweeps", sweeps, AtomicLong::get).register(meters);
      FunctionCounter.builder("audit.relabel.failures", failures, AtomicLong::get).register(meters);
      Gauge.builder("audit.relabel.patients", table, PatientLabelTable::size).register(meters);
    }
  }

  /** On {@link Topics#REFERENCE_PATIENTS} with the defaults. */
  public static PatientRelabeler create(
      String bootstrapServers,
      AuditStore store,
      PatientLabelTable table,
      @Nullable MeterRegistry meters) {
    return new PatientRelabeler(
        Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
        Topics.REFERENCE_PATIENTS.name(),
        store,
        table,
        meters,
        DEFAULT_BATCH_SIZE,
        DEFAULT_MAX_EVENTS_PER_SECOND);
  }

  public PatientRelabeler start() {
    worker.start("audit-relabel", new KafkaConsumer<>(consumerConfig), this::run);
    return this;
  }

  /**
   * Waits until the table holds every reference record that existed at {@link #start()}: start the
   * indexer after this, so that it never indexes with a partial table.
   *
   * @return false on timeout
   */
  public boolean awaitLoaded(Duration timeout) throws InterruptedException {
    return loaded.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Events re-indexed with a raised label so far. */
  public long relabelledCount() {
    return events.get();
  }

  /** Reference records whose sweep finished. */
  public long sweepCount() {
    return sweeps.get();
  }

  public long failureCount() {
    return failures.get();
  }

  @Override
  public void close() {
    worker.close(Duration.ofSeconds(60));
  }

  private void run(KafkaConsumer<byte[], byte[]> c) {
    try {
      List<TopicPartition> partitions = new ArrayList<>();
      c.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      c.assign(partitions); // every process reads every record: its table must be complete
      Map<TopicPartition, Long> done = new HashMap<>();
      c.committed(Set.copyOf(partitions))
          .forEach((tp, o) -> done.put(tp, o == null ? 0L : o.offset()));
      c.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = c.endOffsets(partitions);
      while (worker.running()) {
        if (loaded.getCount() > 0
            && partitions.stream().allMatch(tp -> c.position(tp) >= end.getOrDefault(tp, 0L))) {
          LOG.info("relabel: {} reference patient records loaded", table.size());
          loaded.countDown();
        }
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : c.poll(POLL)) {
          TopicPartition tp = new TopicPartition(r.topic(), r.partition());
          boolean handled = r.offset() < done.getOrDefault(tp, 0L);
          if (!apply(r, !handled)) {
            return; // closing
          }
          if (!handled) {
            commit.put(tp, new OffsetAndMetadata(r.offset() + 1));
            done.put(tp, r.offset() + 1);
          }
        }
        if (!commit.isEmpty()) {
          try {
            c.commitSync(commit);
          } catch (WakeupException e) {
            c.commitSync(commit);
          }
        }
      }
    } catch (WakeupException e) {
      // close() asked
    } catch (RuntimeException e) {
      LOG.error("relabel job on {} stopped", topic, e);
    } finally {
      try {
        c.close(CloseOptions.timeout(Duration.ofSeconds(10)));
      } catch (RuntimeException e) {
        LOG.debug("closing the consumer", e);
      }
    }
  }

  /** Updates the table, then sweeps when asked; false when closing interrupted the sweep. */
  private boolean apply(ConsumerRecord<byte[], byte[]> r, boolean sweep) {
    String key = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
    Resource resource;
    try {
      resource = serde.deserializer().deserialize(r.topic(), r.value());
    } catch (RuntimeException e) {
      LOG.warn(
          "relabel: reference record {}-{}@{} is not a FHIR resource; ignored",
          r.topic(),
          r.partition(),
          r.offset());
      return true;
    }
    if (!(resource instanceof Patient p)) {
      table.remove(key);
      return true;
    }
    PatientLabelTable.Entry entry = PatientLabelTable.entryOf(p);
    table.put(key, entry);
    if (!sweep || entry.labels().isEmpty() || entry.keys().isEmpty()) {
      return true;
    }
    Duration backoff = Duration.ofMillis(100);
    while (worker.running()) {
      try {
        long n = sweep(entry);
        sweeps.incrementAndGet();
        if (n > 0) {
          LOG.info(
              "relabel: {} stored events of a reference patient now carry {}", n, entry.labels());
        }
        return true;
      } catch (RuntimeException e) { // store down: retry the same record, never skip it
        failures.incrementAndGet();
        LOG.warn("relabel sweep failed, retrying in {} ms: {}", backoff.toMillis(), e.getMessage());
        if (pause(backoff)) {
          return false;
        }
        backoff =
            backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
                ? MAX_BACKOFF
                : backoff.multipliedBy(2);
      }
    }
    return false;
  }

  private long sweep(PatientLabelTable.Entry entry) {
    List<Criterion.ReferenceValue> names =
        entry.keys().stream().map(PatientRelabeler::referenceValue).toList();
    long total = 0;
    for (SearchField field : NAMING_FIELDS) {
      for (String label : entry.labels()) {
        int bar = label.indexOf('|');
        AuditQuery q =
            AuditQuery.builder()
                .limit(batchSize)
                .reference(field, names.toArray(Criterion.ReferenceValue[]::new))
                .notToken(
                    SearchField.SECURITY,
                    new IdentifierToken(label.substring(0, bar), label.substring(bar + 1)))
                .build();
        while (worker.running()) {
          int n = store.raiseLabels(q, table);
          total += n;
          events.addAndGet(n);
          if (n == 0 || pause(Duration.ofMillis(1000L * n / maxEventsPerSecond))) {
            break;
          }
        }
      }
    }
    return total;
  }

  static Criterion.ReferenceValue referenceValue(String key) {
    if (key.startsWith("Patient/")) {
      return Criterion.ReferenceValue.literal(key);
    }
    int bar = key.indexOf('|');
    return Criterion.ReferenceValue.identifier(
        new IdentifierToken(key.substring(0, bar), key.substring(bar + 1)));
  }

  /** Sleeps; true when closing. */
  private boolean pause(Duration d) {
    return worker.awaitClosing(d);
  }
}
