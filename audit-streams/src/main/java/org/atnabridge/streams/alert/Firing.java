package org.atnabridge.streams.alert;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.atnabridge.schemas.alert.Alert;
import org.jspecify.annotations.Nullable;

/**
 * A rule's condition held for a group: what the stateful stage hands to the alert stage, which adds
 * the rule's title, severity and channels, the alert id and the Security Alert AuditEvent.
 *
 * @param group the group ("" none)
 * @param firedAt event time of the event that completed the condition
 * @param windowStart the event-time window the condition held in, or null (per-event kinds)
 * @param late whether an event of it arrived after the grace period
 * @param eventCount the events counted
 * @param events the first {@link Alert#MAX_LISTED} of their ids, in event time
 * @param summary one line for people ("5 events within 5m for urn:oid:1.2|jdoe")
 */
public record Firing(
    String ruleId,
    String group,
    Instant firedAt,
    @Nullable Instant windowStart,
    @Nullable Instant windowEnd,
    boolean late,
    int eventCount,
    List<String> events,
    List<Alert.Party> agents,
    List<Alert.Party> patients,
    String summary) {

  public Firing {
    Objects.requireNonNull(ruleId, "ruleId");
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(firedAt, "firedAt");
    Objects.requireNonNull(summary, "summary");
    events = List.copyOf(events);
    agents = List.copyOf(agents);
    patients = List.copyOf(patients);
  }
}
