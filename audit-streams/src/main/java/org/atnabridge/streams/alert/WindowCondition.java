package org.atnabridge.streams.alert;

import java.time.Duration;
import java.util.List;
import org.atnabridge.streams.alert.rules.KindSpec;
import org.jspecify.annotations.Nullable;

/**
 * The condition of a windowed kind, over the unconsumed events of one group in event time order.
 * Spans are inclusive: events at {@code t} and {@code t + window} lie in one window.
 */
sealed interface WindowCondition permits ThresholdCondition, DistinctCondition, SequenceCondition {

  Duration window();

  /** Fewest events that can satisfy the condition (sizes the per-group cap). */
  int required();

  /** The earliest window in which the condition holds, or null. */
  @Nullable HeldWindow find(List<WindowEntry> entries);

  /** Whether an event takes part at all (distinct: has a value; sequence: meets a step). */
  boolean counts(WindowEntry entry);

  /** The entries worth keeping (distinct keeps each value's latest event only). */
  default List<WindowEntry> compact(List<WindowEntry> entries) {
    return entries;
  }

  /** The condition of a windowed kind, or null for the other kinds. */
  static @Nullable WindowCondition of(KindSpec spec) {
    return switch (spec) {
      case KindSpec.Threshold t -> new ThresholdCondition(t.count(), t.window());
      case KindSpec.Distinct d -> new DistinctCondition(d.field().text(), d.count(), d.window());
      case KindSpec.Sequence s -> new SequenceCondition(s);
      default -> null;
    };
  }
}
