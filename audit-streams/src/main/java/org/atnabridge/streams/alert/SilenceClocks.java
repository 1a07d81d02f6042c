package org.atnabridge.streams.alert;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.atnabridge.schemas.alert.Alert;
import org.atnabridge.streams.alert.rules.AlertRule;
import org.atnabridge.streams.alert.rules.AlertRules;
import org.atnabridge.streams.alert.rules.KindSpec;
import org.jspecify.annotations.Nullable;

/**
 * Silence rules: per source, the last event time heard. The wall-clock check fires when the wall
 * clock is more than {@code after} past it, once per silence. Any event of the source counts as
 * hearing from it, a late one too (it moves the clock only if it is newer). A source is known once
 * it was heard from, or from the moment it is listed in reference data ({@link KnownSources}): its
 * clock starts then, as if heard from. A source removed from reference data and never heard from is
 * forgotten; one heard from stays watched.
 */
final class SilenceClocks {

  private final KeyValueStore<String, SilenceClock> store;

  SilenceClocks(KeyValueStore<String, SilenceClock> store) {
    this.store = store;
  }

  void heard(Observation o) {
    long t = o.recorded().toEpochMilli();
    @Nullable SilenceClock clock = store.get(o.key());
    if (clock == null || t > clock.lastSeen() || clock.neverHeard()) {
      List<Alert.Party> agents = WindowEntry.of(o, false, false).a();
      store.put(
          o.key(),
          new SilenceClock(
              clock == null ? t : Math.max(t, clock.lastSeen()),
              o.eventId(),
              agents,
              clock == null ? Long.MIN_VALUE : clock.firedFor()));
    }
  }

  /** A source listed in reference data: watched from {@code now} unless already watched. */
  void known(String key, long now) {
    if (store.get(key) == null) {
      store.put(key, new SilenceClock(now, "", List.of(), Long.MIN_VALUE));
    }
  }

  /** A source removed from reference data: forgotten unless it was heard from. */
  void gone(String key) {
    @Nullable SilenceClock clock = store.get(key);
    if (clock != null && clock.neverHeard()) {
      store.delete(key);
    }
  }

  /**
   * The silences that began by {@code now} (the watermark); forgets the sources of removed rules.
   */
  List<Firing> check(AlertRules rules, long now) {
    List<Firing> firings = new ArrayList<>();
    List<KeyValue<String, @Nullable SilenceClock>> changes = new ArrayList<>();
    try (KeyValueIterator<String, SilenceClock> it = store.all()) {
      while (it.hasNext()) {
        KeyValue<String, SilenceClock> kv = it.next();
        AlertRule rule = rules.rule(AlertStateStores.ruleOf(kv.key)).orElse(null);
        if (rule == null || !rule.enabled() || !(rule.spec() instanceof KindSpec.Silence s)) {
          changes.add(KeyValue.pair(kv.key, null));
          continue;
        }
        SilenceClock c = kv.value;
        Duration after = s.after();
        if (c.fired() || now - c.lastSeen() <= after.toMillis()) {
          continue;
        }
        String source = kv.key.substring(rule.id().length() + 1);
        Instant since = Instant.ofEpochMilli(c.lastSeen());
        firings.add(
            Firings.of(
                rule.id(),
                source,
                since.plus(after),
                since,
                Instant.ofEpochMilli(now),
                false,
                c.neverHeard()
                    ? List.of()
                    : List.of(
                        new WindowEntry(
                            c.lastSeen(),
                            c.lastEvent(),
                            List.of(),
                            List.of(),
                            c.agents(),
                            List.of())),
                (c.neverHeard()
                        ? "known from reference data since " + since + ", never heard from"
                        : "silent since " + since)
                    + " (longer than "
                    + Durations.text(after)
                    + ")"));
        changes.add(
            KeyValue.pair(
                kv.key, new SilenceClock(c.lastSeen(), c.lastEvent(), c.agents(), c.lastSeen())));
      }
    }
    for (KeyValue<String, @Nullable SilenceClock> change : changes) {
      if (change.value == null) {
        store.delete(change.key);
      } else {
        store.put(change.key, change.value);
      }
    }
    return firings;
  }
}
