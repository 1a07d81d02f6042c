package org.atnabridge.streams.alert;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.atnabridge.schemas.alert.Alert;
import org.jspecify.annotations.Nullable;

/** Builds {@link Firing}s within the alert's limits: at most 100 event ids, agents, patients. */
final class Firings {

  private Firings() {}

  /** A firing of the counted events (in event time order) of a window or a single event. */
  static Firing of(
      String ruleId,
      String group,
      Instant firedAt,
      @Nullable Instant windowStart,
      @Nullable Instant windowEnd,
      boolean late,
      List<WindowEntry> counted,
      String what) {
    List<String> ids = new ArrayList<>();
    Set<Alert.Party> agents = new LinkedHashSet<>();
    Set<Alert.Party> patients = new LinkedHashSet<>();
    for (WindowEntry e : counted) {
      if (ids.size() < Alert.MAX_LISTED) {
        ids.add(e.id());
      }
      addUpTo(agents, e.a());
      addUpTo(patients, e.p());
    }
    return new Firing(
        ruleId,
        group,
        firedAt,
        windowStart,
        windowEnd,
        late,
        counted.size(),
        ids,
        List.copyOf(agents),
        List.copyOf(patients),
        summary(what, group));
  }

  /** A firing of one event (match, schedule, relationship, first-seen), with all its parties. */
  static Firing ofEvent(
      String ruleId,
      Observation o,
      @Nullable Instant windowStart,
      @Nullable Instant windowEnd,
      boolean late,
      String what) {
    return new Firing(
        ruleId,
        o.group(),
        o.recorded(),
        windowStart,
        windowEnd,
        late,
        1,
        List.of(o.eventId()),
        first(o.agents()),
        first(o.patients()),
        summary(what, o.group()));
  }

  private static List<Alert.Party> first(List<Alert.Party> parties) {
    List<Alert.Party> distinct = parties.stream().distinct().toList();
    return distinct.size() <= Alert.MAX_LISTED ? distinct : distinct.subList(0, Alert.MAX_LISTED);
  }

  /** The one-line summary: the condition, then the group if the rule has one. */
  static String summary(String what, String group) {
    return group.isEmpty() ? what : what + " for group " + group;
  }

  private static void addUpTo(Set<Alert.Party> into, List<Alert.Party> parties) {
    for (Alert.Party p : parties) {
      if (into.size() >= Alert.MAX_LISTED) {
        return;
      }
      into.add(p);
    }
  }
}
