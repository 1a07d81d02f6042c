package org.atnabridge.streams.alert;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueStore;
import org.atnabridge.streams.alert.rules.AlertRule;
import org.atnabridge.streams.alert.rules.AlertRules;
import org.atnabridge.streams.alert.rules.KindSpec;
import org.jspecify.annotations.Nullable;

/**
 * First-seen rules: each tuple of the rule's fields (e.g. user and patient) with the event time it
 * was last seen. A tuple fires when it was never seen, or last seen more than the look-back before
 * this event: one firing per new tuple. There is no learning period, so the first tuples a rule
 * ever sees fire too. Late events neither fire nor refresh a tuple. A tuple is forgotten once it
 * can no longer keep an event that is not late from firing (last seen before watermark − grace −
 * look-back), which bounds the store to the tuples of one look-back period.
 */
final class FirstSeenTuples {

  private static final int SWEEP_BUDGET = 10_000;

  private final KeyValueStore<String, Long> store;
  private final StoreSweep<Long> sweep;

  FirstSeenTuples(KeyValueStore<String, Long> store) {
    this.store = store;
    this.sweep = new StoreSweep<>(store, SWEEP_BUDGET);
  }

  List<Firing> observe(AlertRule rule, KindSpec.FirstSeen spec, Observation o) {
    long t = o.recorded().toEpochMilli();
    Duration lookBack = spec.lookBack();
    List<Firing> firings = new ArrayList<>();
    for (String tuple : new LinkedHashSet<>(o.values())) {
      String key = o.key() + '\u0000' + tuple;
      @Nullable Long last = store.get(key);
      if (last == null || t - last > lookBack.toMillis()) {
        firings.add(
            Firings.ofEvent(
                rule.id(),
                o,
                o.recorded().minus(lookBack),
                o.recorded(),
                false,
                "first "
                    + tuple.replace(Observation.TUPLE_SEPARATOR, '/')
                    + " within "
                    + Durations.text(lookBack)));
      }
      if (last == null || t > last) {
        store.put(key, t);
      }
    }
    return firings;
  }

  void sweep(AlertRules rules, long watermark) {
    long horizon = watermark - rules.grace().toMillis();
    sweep.run(
        (key, last) -> {
          AlertRule rule = rules.rule(AlertStateStores.ruleOf(key)).orElse(null);
          if (rule == null
              || !rule.enabled()
              || !(rule.spec() instanceof KindSpec.FirstSeen spec)
              || last < horizon - spec.lookBack().toMillis()) {
            return null;
          }
          return last;
        });
  }
}
