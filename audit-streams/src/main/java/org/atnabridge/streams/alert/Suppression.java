package org.atnabridge.streams.alert;

import java.time.Duration;
import org.apache.kafka.streams.state.KeyValueStore;
import org.atnabridge.streams.alert.rules.AlertRule;
import org.atnabridge.streams.alert.rules.AlertRules;
import org.jspecify.annotations.Nullable;

/**
 * At most one alert per rule and group per the rule's {@code suppress} period, on event time: a
 * firing whose {@code firedAt} lies less than the period from the last alert sent for the group
 * (before or after it: events may arrive out of order) is dropped and counted. A suppressed firing
 * still consumed its window, so the events behind it do not fire again.
 */
final class Suppression {

  private static final int SWEEP_BUDGET = 10_000;

  private final KeyValueStore<String, Long> store;
  private final AlertStateMeters meters;
  private final StoreSweep<Long> sweep;

  Suppression(KeyValueStore<String, Long> store, AlertStateMeters meters) {
    this.store = store;
    this.meters = meters;
    this.sweep = new StoreSweep<>(store, SWEEP_BUDGET);
  }

  /** Whether the firing is sent; records it as the group's last alert if so. */
  boolean admit(AlertRule rule, Firing firing) {
    Duration period = rule.suppress();
    if (period == null) {
      return true;
    }
    String key = Observation.key(rule.id(), firing.group());
    long at = firing.firedAt().toEpochMilli();
    @Nullable Long last = store.get(key);
    if (last != null && Math.abs(at - last) < period.toMillis()) {
      meters.suppressed(rule.id());
      return false;
    }
    store.put(key, last == null ? at : Math.max(last, at));
    return true;
  }

  /** Forgets groups whose period ended before any firing that is not late could happen. */
  void sweep(AlertRules rules, long watermark) {
    long grace = rules.grace().toMillis();
    sweep.run(
        (key, last) -> {
          AlertRule rule = rules.rule(AlertStateStores.ruleOf(key)).orElse(null);
          Duration period = rule == null || !rule.enabled() ? null : rule.suppress();
          return period == null || last < watermark - grace - period.toMillis() ? null : last;
        });
  }
}
