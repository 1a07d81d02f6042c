package org.atnabridge.streams.alert;

import java.util.List;
import org.atnabridge.schemas.alert.Alert;

/**
 * One observation as a window keeps it: its event time and id, what the rule's condition needs
 * (distinct values, sequence steps) and a few of its parties for the alert. Never the event.
 *
 * @param t event time, epoch milliseconds
 * @param id {@code AuditEvent/<id>}
 * @param v distinct: the field's values; otherwise empty
 * @param s sequence: the steps the event meets; otherwise empty
 * @param a at most {@link #MAX_PARTIES} agents
 * @param p at most {@link #MAX_PARTIES} patients
 */
record WindowEntry(
    long t, String id, List<String> v, List<Integer> s, List<Alert.Party> a, List<Alert.Party> p) {

  /** Parties kept per event: an event naming more is rare, and the alert lists at most 100. */
  static final int MAX_PARTIES = 10;

  WindowEntry {
    v = List.copyOf(v);
    s = List.copyOf(s);
    a = List.copyOf(a);
    p = List.copyOf(p);
  }

  static WindowEntry of(Observation o, boolean keepValues, boolean keepSteps) {
    return new WindowEntry(
        o.recorded().toEpochMilli(),
        o.eventId(),
        keepValues ? o.values().stream().distinct().toList() : List.of(),
        keepSteps ? o.steps().stream().distinct().toList() : List.of(),
        first(o.agents()),
        first(o.patients()));
  }

  private static List<Alert.Party> first(List<Alert.Party> parties) {
    return parties.size() <= MAX_PARTIES ? parties : parties.subList(0, MAX_PARTIES);
  }
}
