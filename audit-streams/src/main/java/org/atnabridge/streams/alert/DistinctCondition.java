package org.atnabridge.streams.alert;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * At least {@code count} distinct values of a field within one span of {@code window}. A value
 * counts at its latest event: earlier events of a value are dropped ({@link #compact}), which keeps
 * a group's state to one entry per value. For events arriving in event time order this is exact
 * (every window is checked when its last event arrives); a late event can only complete a window
 * whose values have not occurred again since.
 */
record DistinctCondition(String field, int count, Duration window) implements WindowCondition {

  @Override
  public int required() {
    return count;
  }

  @Override
  public boolean counts(WindowEntry entry) {
    return !entry.v().isEmpty();
  }

  @Override
  public List<WindowEntry> compact(List<WindowEntry> entries) {
    Set<String> later = new HashSet<>();
    List<WindowEntry> kept = new ArrayList<>();
    for (int i = entries.size() - 1; i >= 0; i--) {
      WindowEntry e = entries.get(i);
      boolean latestOfSome = false;
      for (String v : e.v()) {
        latestOfSome |= later.add(v);
      }
      if (latestOfSome) {
        kept.add(e);
      }
    }
    return kept.size() == entries.size() ? entries : kept.reversed();
  }

  @Override
  public @Nullable HeldWindow find(List<WindowEntry> entries) {
    long w = window.toMillis();
    Map<String, Integer> inSpan = new HashMap<>();
    int j = 0;
    for (int i = 0; i < entries.size(); i++) {
      long end = entries.get(i).t() + w;
      while (j < entries.size() && entries.get(j).t() <= end) {
        entries.get(j).v().forEach(v -> inSpan.merge(v, 1, Integer::sum));
        j++;
      }
      if (inSpan.size() >= count) {
        return new HeldWindow(
            entries.get(i).t(),
            end,
            entries.subList(i, j),
            inSpan.size() + " distinct " + field + " within " + Durations.text(window));
      }
      entries.get(i).v().forEach(v -> inSpan.computeIfPresent(v, (k, n) -> n == 1 ? null : n - 1));
    }
    return null;
  }
}
