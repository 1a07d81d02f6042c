package org.atnabridge.streams.subscription;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.atnabridge.schemas.Fhir;
import org.hl7.fhir.r5.model.Subscription;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the global store of {@code audit.subscriptions} (the bytes as they came) and the {@link
 * SubscriptionIndex} of their compiled forms. Runs on the global thread of every instance, so every
 * instance matches every subscription. At start the index is loaded from the store, whichever way
 * the store was restored; each later record replaces or (null value) deletes one subscription.
 */
final class SubscriptionsProcessor implements Processor<String, byte[], Void, Void> {

  private static final Logger LOG = LoggerFactory.getLogger(SubscriptionsProcessor.class);

  private final SubscriptionIndex index;
  private final String storeName;
  private @Nullable KeyValueStore<String, byte[]> store;

  SubscriptionsProcessor(SubscriptionIndex index, String storeName) {
    this.index = index;
    this.storeName = storeName;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    KeyValueStore<String, byte[]> s = context.getStateStore(storeName);
    store = s;
    index.clear();
    try (KeyValueIterator<String, byte[]> all = s.all()) {
      while (all.hasNext()) {
        KeyValue<String, byte[]> kv = all.next();
        index.put(kv.key, compile(kv.key, kv.value));
      }
    }
    LOG.info("subscriptions loaded: {} matched", index.active());
  }

  @Override
  public void process(Record<String, byte[]> record) {
    KeyValueStore<String, byte[]> s = Objects.requireNonNull(store, "init not called");
    String id = record.key();
    if (id == null) {
      return;
    }
    byte[] value = record.value();
    if (value == null) {
      s.delete(id);
      index.remove(id);
      return;
    }
    s.put(id, value);
    index.put(id, compile(id, value));
  }

  /** The compiled form, or null when the subscription is not to be matched (or not readable). */
  static @Nullable ActiveSubscription compile(String id, byte[] value) {
    Subscription s;
    try {
      s =
          Fhir.jsonParser()
              .parseResource(Subscription.class, new String(value, StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      LOG.warn("subscription {} is not a readable Subscription; not matched", id);
      return null;
    }
    try {
      return SubscriptionCompiler.compile(id, s).orElse(null);
    } catch (IllegalArgumentException e) {
      LOG.warn("subscription {} has filters that are not an AuditEvent search; not matched", id);
      return null;
    }
  }
}
