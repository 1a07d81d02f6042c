package org.atnabridge.streams.alert;

import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The persistent key-value stores of {@link RuleStateProcessor}. Each is changelogged (Kafka
 * Streams' default), so under exactly-once a task restored on another instance, or after a crash,
 * has exactly the state of its last committed transaction: the transaction that wrote a firing also
 * wrote the state that says it fired.
 */
final class AlertStateStores {

  /** Per task: the highest event time seen (key {@link Watermark#KEY}). */
  static final String WATERMARK = "alert-watermark";

  /** Rule NUL group → {@link GroupWindow}: threshold, distinct and sequence. */
  static final String WINDOWS = "alert-windows";

  /** Rule NUL group NUL tuple → event time (ms) the tuple was last seen. */
  static final String FIRST_SEEN = "alert-first-seen";

  /** Rule NUL source → {@link SilenceClock}. */
  static final String SILENCE = "alert-silence";

  /** Rule NUL group → event time (ms) of the last alert sent. */
  static final String SUPPRESSION = "alert-suppression";

  static final List<String> NAMES = List.of(WATERMARK, WINDOWS, FIRST_SEEN, SILENCE, SUPPRESSION);

  private AlertStateStores() {}

  static List<StoreBuilder<?>> builders() {
    return List.of(
        longs(WATERMARK),
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(WINDOWS),
            Serdes.String(),
            new StateJson<>(GroupWindow.class)),
        longs(FIRST_SEEN),
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(SILENCE),
            Serdes.String(),
            new StateJson<>(SilenceClock.class)),
        longs(SUPPRESSION));
  }

  private static StoreBuilder<KeyValueStore<String, Long>> longs(String name) {
    return Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(name), Serdes.String(), Serdes.Long());
  }

  /** The rule id of a store key (rule id NUL ...). */
  static String ruleOf(String key) {
    int nul = key.indexOf('\u0000');
    return nul < 0 ? key : key.substring(0, nul);
  }
}
