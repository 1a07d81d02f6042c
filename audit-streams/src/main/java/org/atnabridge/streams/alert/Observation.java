package org.atnabridge.streams.alert;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.atnabridge.schemas.alert.Alert;

/**
 * One event that met one rule's per-event condition, as the rule's state needs it: the record the
 * per-event stage ({@code where}, schedule, relationship, sequence step) sends through the
 * repartition topic, keyed by {@link #key()}, so that every event of one group, from whichever
 * partition, reaches the same task and state store.
 *
 * @param ruleId the rule
 * @param group the group-by value ("" for a rule without group-by; the source for silence)
 * @param eventId {@code AuditEvent/<id>}
 * @param recorded the event's {@code recorded}: its event time
 * @param values DISTINCT: the field's values; FIRST_SEEN: each tuple of the fields' values, parts
 *     joined by U+001F; other kinds: empty
 * @param steps SEQUENCE: the indexes of the steps the event meets; other kinds: empty
 * @param agents the event's users and systems
 * @param patients the event's patients
 */
public record Observation(
    String ruleId,
    String group,
    String eventId,
    Instant recorded,
    List<String> values,
    List<Integer> steps,
    List<Alert.Party> agents,
    List<Alert.Party> patients) {

  /** Separates the parts of a first-seen tuple in {@link #values()}. */
  public static final char TUPLE_SEPARATOR = '\u001f';

  public Observation {
    Objects.requireNonNull(ruleId, "ruleId");
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(recorded, "recorded");
    values = List.copyOf(values);
    steps = List.copyOf(steps);
    agents = List.copyOf(agents);
    patients = List.copyOf(patients);
  }

  /** The repartition key: rule id, NUL, group. */
  public String key() {
    return key(ruleId, group);
  }

  public static String key(String ruleId, String group) {
    return ruleId + '\u0000' + group;
  }
}
