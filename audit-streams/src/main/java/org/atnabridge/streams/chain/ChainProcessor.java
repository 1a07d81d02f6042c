package org.atnabridge.streams.chain;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.schemas.chain.ChainHash;
import org.atnabridge.schemas.chain.ChainLink;
import org.atnabridge.schemas.chain.Checkpoint;
import org.atnabridge.streams.outcome.DeadLetters;
import org.atnabridge.streams.outcome.StreamsMeters;
import org.hl7.fhir.r5.model.AuditEvent;
import org.jspecify.annotations.Nullable;

/**
 * Chains the events of one task (= partition p of {@code atna.raw} and of {@code audit.posted}):
 * sets the chain extension and {@code meta.lastUpdated} ({@link StoredTime}) on each event and
 * forwards it, encoded, as a {@link ChainedEvent} to {@code eventsSink}; after every {@code
 * checkpointEvery} events, and every {@code checkpointInterval} of wall-clock time while the chain
 * moved, forwards a signed {@link Checkpoint} to {@code checkpointsSink}.
 *
 * <p>Both state stores are changelogged and, under exactly-once, committed in the same transaction
 * as the output: after a crash the head is exactly the last committed event, so the chain continues
 * without gap or repeat. Store {@value #HEAD_STORE} holds one {@link ChainHead} (key {@code head});
 * {@value #IDS_STORE} maps each chained resource id to {@code seq|hash|source} ({@link
 * FirstReceipts}): convert and posted drop a later receipt of an id before it gets here, so an id
 * chained before arrives only as an operator's re-conversion of the same input record, and carries
 * {@code replaces-seq}/{@code replaces-hash}.
 *
 * <p>{@value #IDS_STORE} is bounded: a window store keyed by id at the record's time, whose
 * segments older than the retention ({@link
 * org.atnabridge.streams.enrich.EnrichmentConfig#idRetention}, by record time) are dropped, on disk
 * and in its changelog. An id that comes again after that is not recognised as a later receipt: it
 * is chained as a new event without {@code replaces-seq} (and when a store then keeps only the
 * newer document, {@code verify} reports the older sequence number as missing).
 */
public final class ChainProcessor implements Processor<String, AuditEvent, Object, Object> {

  public static final String HEAD_STORE = "chain-head";

  /**
   * Reason code: the enriched, chained event is over {@code audit.enriched}'s record limit; the
   * event (without chain link) goes to {@code audit.dlq} and the chain does not advance.
   */
  public static final String ENRICHED_EVENT_TOO_LARGE = "ENRICHED_EVENT_TOO_LARGE";

  /**
   * Renamed from {@code chain-ids} (a key-value store without retention) when it became a window
   * store.
   */
  public static final String IDS_STORE = "chain-recent-ids";

  private static final String HEAD = "head";

  /**
   * The store of the chain head: one key rewritten per event, so the cache sends only its last
   * value per commit to RocksDB and the changelog (flushed before the transaction commits, so a
   * restart still sees the committed head).
   */
  public static StoreBuilder<KeyValueStore<String, String>> headStore() {
    return Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(HEAD_STORE), Serdes.String(), Serdes.String())
        .withCachingEnabled();
  }

  /**
   * The store of recently chained ids, bounded by record time: segments past the retention are
   * dropped whole.
   */
  public static StoreBuilder<WindowStore<String, String>> idStore(Duration retention) {
    return Stores.windowStoreBuilder(
        Stores.persistentWindowStore(IDS_STORE, retention, Duration.ofMillis(1), false),
        Serdes.String(),
        Serdes.String());
  }

  private final CheckpointKeys keys;
  private final int checkpointEvery;
  private final Duration checkpointInterval;
  private final Clock clock;
  private final String eventsSink;
  private final String checkpointsSink;
  private final StreamsMeters meters;
  private final DeadLetters deadLetters;
  private final int maxEventBytes;
  private @Nullable ProcessorContext<Object, Object> context;
  private @Nullable KeyValueStore<String, String> heads;
  private @Nullable WindowStore<String, String> ids;

  public ChainProcessor(
      CheckpointKeys keys,
      int checkpointEvery,
      Duration checkpointInterval,
      Clock clock,
      String eventsSink,
      String checkpointsSink,
      StreamsMeters meters,
      DeadLetters deadLetters,
      int maxEventBytes) {
    this.keys = keys;
    this.checkpointEvery = checkpointEvery;
    this.checkpointInterval = checkpointInterval;
    this.clock = clock;
    this.eventsSink = eventsSink;
    this.checkpointsSink = checkpointsSink;
    this.meters = meters;
    this.deadLetters = deadLetters;
    this.maxEventBytes = maxEventBytes;
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    this.context = context;
    this.heads = context.getStateStore(HEAD_STORE);
    this.ids = context.getStateStore(IDS_STORE);
    context.schedule(
        checkpointInterval,
        PunctuationType.WALL_CLOCK_TIME,
        now -> {
          ChainHead head = head();
          if (head.seq() > head.checkpointedSeq()) {
            checkpoint(head);
          }
        });
  }

  @Override
  public void process(Record<String, AuditEvent> record) {
    ProcessorContext<Object, Object> ctx = Objects.requireNonNull(context, "init not called");
    WindowStore<String, String> idStore = Objects.requireNonNull(ids);
    int partition = ctx.taskId().partition();
    AuditEvent event = record.value();
    String id = event.getIdElement().getIdPart();
    ChainHead head = head();
    long seq = head.seq() + 1;
    // convert and posted let an id chained before through only as a re-conversion (FirstReceipts)
    FirstReceipts.Entry earlier = FirstReceipts.latest(idStore, id);
    Long replacesSeq = earlier == null ? null : earlier.seq();
    String replacesHash = earlier == null ? null : earlier.hash();
    // meta.lastUpdated = when the repository took the event into its record (StoredTime); not
    // hashed
    Instant storedAt = clock.instant();
    boolean hadLastUpdated = StoredTime.replace(event, storedAt);
    ChainHash.Chained encoded =
        ChainHash.chainAndEncode(
            event, partition, seq, head.hash(), head.id(), replacesSeq, replacesHash);
    ChainHash.Chained chained =
        hadLastUpdated
            ? encoded
            : new ChainHash.Chained(
                encoded.hash(), StoredTime.add(event, encoded.json(), storedAt));
    if (chained.json().length > maxEventBytes) {
      // not chained (the head stays): audit.enriched would refuse it and stop the partition
      ChainLink.remove(event);
      deadLetters.send(
          ctx,
          new Record<>(
              id.getBytes(StandardCharsets.UTF_8),
              Fhir.toJsonBytes(event),
              record.timestamp(),
              record.headers()),
          ENRICHED_EVENT_TOO_LARGE,
          "the enriched AuditEvent has "
              + chained.json().length
              + " bytes of JSON, the limit is "
              + maxEventBytes);
      return;
    }
    String hash = chained.hash();
    idStore.put(
        id,
        new FirstReceipts.Entry(seq, hash, FirstReceipts.source(ctx.recordMetadata().orElse(null)))
            .encode(),
        record.timestamp());
    ChainHead next = head.next(seq, hash, id);
    Objects.requireNonNull(heads).put(HEAD, next.encode());
    ctx.forward(
        new Record<Object, Object>(
            id, new ChainedEvent(partition, chained.json()), record.timestamp(), record.headers()),
        eventsSink);
    meters.chained(replacesSeq != null);
    if (seq - next.checkpointedSeq() >= checkpointEvery) {
      checkpoint(next);
    }
  }

  private ChainHead head() {
    return ChainHead.decode(Objects.requireNonNull(heads).get(HEAD));
  }

  private void checkpoint(ChainHead head) {
    ProcessorContext<Object, Object> ctx = Objects.requireNonNull(context);
    int partition = ctx.taskId().partition();
    Checkpoint cp =
        Checkpoint.sign(
            partition,
            head.seq(),
            head.hash(),
            clock.instant(),
            keys.privateKey(),
            keys.publicKey());
    ctx.forward(
        new Record<Object, Object>(Integer.toString(partition), cp.toJson(), clock.millis()),
        checkpointsSink);
    meters.checkpoint();
    Objects.requireNonNull(heads).put(HEAD, head.checkpointed().encode());
  }
}
