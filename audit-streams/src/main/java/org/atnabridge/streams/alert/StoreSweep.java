package org.atnabridge.streams.alert;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jspecify.annotations.Nullable;

/**
 * Walks a store a bounded number of entries per call, resuming where the last call stopped, so a
 * large store (first-seen pairs over 90 days) is swept over several punctuations instead of
 * stalling one. Changes are applied after the iterator is closed.
 */
final class StoreSweep<V> {

  /** What to do with one entry: the same value keeps it, another replaces it, null deletes it. */
  interface Decision<V> {
    @Nullable V decide(String key, V value);
  }

  private final KeyValueStore<String, V> store;
  private final int budget;
  private @Nullable String resumeAfter;

  StoreSweep(KeyValueStore<String, V> store, int budget) {
    this.store = store;
    this.budget = budget;
  }

  void run(Decision<V> decision) {
    List<KeyValue<String, @Nullable V>> changes = new ArrayList<>();
    String from = resumeAfter;
    String last = null;
    int seen = 0;
    try (KeyValueIterator<String, V> it = from == null ? store.all() : store.range(from, null)) {
      while (it.hasNext() && seen < budget) {
        KeyValue<String, V> kv = it.next();
        if (kv.key.equals(from)) {
          continue;
        }
        seen++;
        last = kv.key;
        V decided = decision.decide(kv.key, kv.value);
        if (decided != kv.value) {
          changes.add(KeyValue.pair(kv.key, decided));
        }
      }
      resumeAfter = it.hasNext() ? last : null;
    }
    for (KeyValue<String, @Nullable V> change : changes) {
      if (change.value == null) {
        store.delete(change.key);
      } else {
        store.put(change.key, change.value);
      }
    }
  }
}
