package org.atnabridge.streams.alert;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.atnabridge.streams.alert.rules.KindSpec;
import org.jspecify.annotations.Nullable;

/**
 * The steps in event time order, each {@code count} times, all within {@code window} of the first
 * counted event of step 1. Events meeting no step in between do not break a sequence; an event that
 * meets several steps counts for the step being looked for. For each possible first event (earliest
 * first) the steps are taken greedily, which finds a sequence whenever one exists from that event.
 */
record SequenceCondition(List<KindSpec.Step> steps, Duration window) implements WindowCondition {

  SequenceCondition(KindSpec.Sequence spec) {
    this(spec.steps(), spec.window());
  }

  @Override
  public int required() {
    return steps.stream().mapToInt(KindSpec.Step::count).sum();
  }

  @Override
  public boolean counts(WindowEntry entry) {
    return entry.s().stream().anyMatch(s -> s >= 0 && s < steps.size());
  }

  @Override
  public @Nullable HeldWindow find(List<WindowEntry> entries) {
    long w = window.toMillis();
    for (int i = 0; i < entries.size(); i++) {
      if (!entries.get(i).s().contains(0)) {
        continue;
      }
      long end = entries.get(i).t() + w;
      List<WindowEntry> used = new ArrayList<>();
      int step = 0;
      int got = 0;
      for (int j = i; j < entries.size() && entries.get(j).t() <= end; j++) {
        if (!entries.get(j).s().contains(step)) {
          continue;
        }
        used.add(entries.get(j));
        if (++got == steps.get(step).count()) {
          step++;
          got = 0;
          if (step == steps.size()) {
            return new HeldWindow(entries.get(i).t(), end, used, what());
          }
        }
      }
    }
    return null;
  }

  private String what() {
    return "sequence of "
        + steps.stream().map(s -> String.valueOf(s.count())).collect(Collectors.joining(" then "))
        + " events within "
        + Durations.text(window);
  }
}
