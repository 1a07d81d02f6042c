package org.atnabridge.streams.subscription;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.schemas.Topics;
import org.atnabridge.schemas.subscription.SubscriptionNotification;
import org.atnabridge.schemas.subscription.SubscriptionNotificationJson;
import org.hl7.fhir.r5.model.AuditEvent;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage 2: numbers each subscription's matches. Every match of one subscription arrives at this one
 * task (the repartition is keyed by subscription id), which keeps {@code subscription id → last
 * eventNumber} in a persistent, changelogged store; the counter and the notification are committed
 * in one exactly-once transaction, so a number is given once, the next is the last plus one, and a
 * restart continues where the last commit left off (FHIR R5 {@code notificationEvent.eventNumber}:
 * contiguous per subscription).
 *
 * <p>A match of a subscription deleted meanwhile is not numbered. The counters of deleted
 * subscriptions are removed by a sweep every {@link #SWEEP}; a counter is never reset while its
 * subscription exists, so numbers never restart for a live subscription, whatever its status goes
 * through. A subscription id deleted and stored again before the sweep continues its numbers; after
 * the sweep it starts again at 1 (the API gives each created subscription a new id).
 */
final class NumberingProcessor implements Processor<String, Match, String, byte[]> {

  private static final Logger LOG = LoggerFactory.getLogger(NumberingProcessor.class);

  static final Duration SWEEP = Duration.ofMinutes(1);

  /** Room for the key, headers and batch framing beside the value in one record. */
  private static final int RECORD_OVERHEAD_BYTES = 4096;

  private final SubscriptionIndex index;
  private final String storeName;
  private final Clock clock;
  private final SubscriptionMeters meters;
  private @Nullable ProcessorContext<String, byte[]> context;
  private @Nullable KeyValueStore<String, Long> numbers;

  NumberingProcessor(
      SubscriptionIndex index, String storeName, Clock clock, SubscriptionMeters meters) {
    this.index = index;
    this.storeName = storeName;
    this.clock = clock;
    this.meters = meters;
  }

  static StoreBuilder<KeyValueStore<String, Long>> storeBuilder(String name) {
    return Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(name), Serdes.String(), Serdes.Long());
  }

  @Override
  public void init(ProcessorContext<String, byte[]> context) {
    this.context = context;
    KeyValueStore<String, Long> store = context.getStateStore(storeName);
    this.numbers = store;
    context.schedule(SWEEP, PunctuationType.WALL_CLOCK_TIME, now -> sweep(store));
  }

  @Override
  public void process(Record<String, Match> record) {
    ProcessorContext<String, byte[]> ctx = Objects.requireNonNull(context, "init not called");
    KeyValueStore<String, Long> store = Objects.requireNonNull(numbers, "init not called");
    String id = record.key();
    Match m = record.value();
    if (id == null || m == null) {
      return;
    }
    if (!index.known(id)) {
      meters.deleted();
      return;
    }
    AuditEvent event =
        Fhir.auditEventFromJson(new String(m.event(), StandardCharsets.UTF_8)); // read in stage 1
    Long last = store.get(id);
    long next = (last == null ? 0 : last) + 1;
    byte[] notification =
        SubscriptionNotificationJson.write(
            new SubscriptionNotification(id, next, m.topic(), clock.instant(), event));
    if (notification.length > Topics.MAX_EVENT_RECORD_BYTES - RECORD_OVERHEAD_BYTES) {
      // the topic would refuse it and stop the application: skip it before it takes a number
      LOG.warn(
          "subscription {}: notification of {} bytes exceeds the record limit; not numbered",
          id,
          notification.length);
      meters.oversized();
      return;
    }
    store.put(id, next);
    ctx.forward(new Record<>(id, notification, record.timestamp()));
    meters.notification();
  }

  /** Removes the counters of subscriptions that are no longer stored. */
  private void sweep(KeyValueStore<String, Long> store) {
    List<String> gone = new ArrayList<>();
    try (KeyValueIterator<String, Long> all = store.all()) {
      while (all.hasNext()) {
        KeyValue<String, Long> kv = all.next();
        if (!index.known(kv.key)) {
          gone.add(kv.key);
        }
      }
    }
    gone.forEach(store::delete);
  }
}
