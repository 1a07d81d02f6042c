package org.atnabridge.streams.alert;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueStore;
import org.atnabridge.streams.alert.rules.AlertRule;
import org.atnabridge.streams.alert.rules.AlertRules;
import org.atnabridge.streams.alert.rules.RuleKind;
import org.jspecify.annotations.Nullable;

/**
 * The sliding windows of threshold, distinct and sequence rules, one {@link GroupWindow} per rule
 * and group.
 *
 * <p>An event that is not late is inserted in event time order; events older than the horizon
 * (watermark − grace − window: no event that is not late can share a window with them) are dropped;
 * then the earliest window in which the condition holds fires at once. Its window is [first counted
 * event, first counted event + window], and every event up to the window's end is consumed: those
 * already held are dropped and any arriving later (within grace) is ignored. So a condition fires
 * once per group and window; the next firing needs a fresh condition after the fired window's end.
 *
 * <p>A group keeps at most {@code max(1000, 2 × required)} events; beyond that the oldest are
 * dropped and counted ({@link AlertStateMeters#OVERFLOW}).
 */
final class WindowedGroups {

  private static final int MIN_CAP = 1_000;
  private static final int SWEEP_BUDGET = 10_000;

  private final KeyValueStore<String, GroupWindow> store;
  private final AlertStateMeters meters;
  private final StoreSweep<GroupWindow> sweep;

  WindowedGroups(KeyValueStore<String, GroupWindow> store, AlertStateMeters meters) {
    this.store = store;
    this.meters = meters;
    this.sweep = new StoreSweep<>(store, SWEEP_BUDGET);
  }

  /** Counts an observation that is not late; the firing it completes, if any. */
  @Nullable Firing observe(AlertRule rule, WindowCondition condition, Observation o, long horizon) {
    String key = o.key();
    @Nullable GroupWindow stored = store.get(key);
    GroupWindow g =
        stored == null || stored.kind() != rule.kind() ? GroupWindow.empty(rule.kind()) : stored;
    WindowEntry entry =
        WindowEntry.of(o, rule.kind() == RuleKind.DISTINCT, rule.kind() == RuleKind.SEQUENCE);
    if (entry.t() <= g.consumedUntil() || !condition.counts(entry)) {
      return null;
    }
    List<WindowEntry> entries = new ArrayList<>(g.entries().size() + 1);
    boolean inserted = false;
    for (WindowEntry e : g.entries()) {
      if (!inserted && e.t() > entry.t()) {
        entries.add(entry);
        inserted = true;
      }
      if (e.t() >= horizon - condition.window().toMillis()) {
        entries.add(e);
      }
    }
    if (!inserted) {
      entries.add(entry);
    }
    entries = capped(rule, condition, condition.compact(entries));
    HeldWindow held = condition.find(entries);
    if (held == null) {
      store.put(key, new GroupWindow(rule.kind(), g.consumedUntil(), entries));
      return null;
    }
    long consumedUntil = Math.max(g.consumedUntil(), held.end());
    store.put(
        key,
        new GroupWindow(
            rule.kind(),
            consumedUntil,
            entries.stream().filter(e -> e.t() > consumedUntil).toList()));
    return Firings.of(
        rule.id(),
        o.group(),
        o.recorded(),
        Instant.ofEpochMilli(held.start()),
        Instant.ofEpochMilli(held.end()),
        false,
        held.counted(),
        held.what());
  }

  /**
   * Drops events behind the horizon and the groups with nothing left to count or ignore, and the
   * state of rules that were removed, disabled or are no longer windowed.
   */
  void sweep(AlertRules rules, long watermark) {
    long horizon = watermark - rules.grace().toMillis();
    sweep.run(
        (key, g) -> {
          AlertRule rule = rules.rule(AlertStateStores.ruleOf(key)).orElse(null);
          WindowCondition condition = rule == null ? null : WindowCondition.of(rule.spec());
          if (rule == null || !rule.enabled() || condition == null || rule.kind() != g.kind()) {
            return null;
          }
          long oldest = horizon - condition.window().toMillis();
          List<WindowEntry> kept = g.entries().stream().filter(e -> e.t() >= oldest).toList();
          if (kept.isEmpty() && g.consumedUntil() < horizon) {
            return null;
          }
          return kept.size() == g.entries().size()
              ? g
              : new GroupWindow(g.kind(), g.consumedUntil(), kept);
        });
  }

  private List<WindowEntry> capped(
      AlertRule rule, WindowCondition condition, List<WindowEntry> entries) {
    int cap = Math.max(MIN_CAP, 2 * condition.required());
    if (entries.size() <= cap) {
      return entries;
    }
    meters.overflow(rule.id(), entries.size() - cap);
    return entries.subList(entries.size() - cap, entries.size());
  }
}
