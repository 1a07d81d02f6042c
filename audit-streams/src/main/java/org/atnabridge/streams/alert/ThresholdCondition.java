package org.atnabridge.streams.alert;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** At least {@code count} events within one span of {@code window}. */
record ThresholdCondition(int count, Duration window) implements WindowCondition {

  @Override
  public int required() {
    return count;
  }

  @Override
  public boolean counts(WindowEntry entry) {
    return true;
  }

  @Override
  public @Nullable HeldWindow find(List<WindowEntry> entries) {
    long w = window.toMillis();
    int j = 0;
    for (int i = 0; i < entries.size(); i++) {
      long end = entries.get(i).t() + w;
      while (j < entries.size() && entries.get(j).t() <= end) {
        j++;
      }
      if (j - i >= count) {
        return new HeldWindow(
            entries.get(i).t(), end, entries.subList(i, j), (j - i) + " events within " + window);
      }
    }
    return null;
  }
}
