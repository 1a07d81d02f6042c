package org.atnabridge.schemas.alert;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One alert an alert rule fired (version 1 of the {@code audit.alerts} record).
 *
 * @param id deterministic from the rule, the group and the triggering events, so a replay or a
 *     restart fires the same id; notification channels use it as their delivery id ({@code
 *     webhook-id}), so receivers can deduplicate
 * @param rule the rule that fired, as it was when it fired
 * @param group the value the rule grouped by (e.g. the user's {@code system|value}), or null for a
 *     rule without {@code group-by}
 * @param firedAt event time ({@code AuditEvent.recorded}) of the event that completed the condition
 * @param detectedAt wall-clock time the engine fired
 * @param windowStart start of the event-time window the condition held in, or null (match kinds)
 * @param windowEnd end of that window, or null
 * @param late whether an event of the alert arrived after the grace period (only match rules
 *     evaluate such events)
 * @param eventCount how many events the condition counted
 * @param events ids ({@code AuditEvent/<id>}) of the first 100 of those events, in event time
 * @param agents the users and systems of the triggering events (deduplicated, at most 100)
 * @param patients the patients of the triggering events (deduplicated, at most 100)
 * @param summary one line for people, e.g. "5 failed logins of jdoe within 5m"
 * @param channels the channel ids of the rule ({@code notify} in the rule and the JSON)
 * @param auditEventId id ({@code AuditEvent/<id>}) of the Security Alert AuditEvent written for it
 */
public record Alert(
    String id,
    RuleRef rule,
    @Nullable String group,
    Instant firedAt,
    Instant detectedAt,
    @Nullable Instant windowStart,
    @Nullable Instant windowEnd,
    boolean late,
    int eventCount,
    List<String> events,
    List<Party> agents,
    List<Party> patients,
    String summary,
    List<String> channels,
    String auditEventId) {

  /** Most event ids, agents and patients an alert lists (the count says how many there were). */
  public static final int MAX_LISTED = 100;

  public Alert {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(firedAt, "firedAt");
    Objects.requireNonNull(detectedAt, "detectedAt");
    Objects.requireNonNull(summary, "summary");
    Objects.requireNonNull(auditEventId, "auditEventId");
    events = List.copyOf(events);
    agents = List.copyOf(agents);
    patients = List.copyOf(patients);
    channels = List.copyOf(channels);
  }

  /**
   * The rule that fired.
   *
   * @param kind the rule kind as written in the rules file ({@code match}, {@code threshold}, ...)
   * @param severity the rule severity as written ({@code informational}, {@code low}, {@code
   *     medium}, {@code high}, {@code critical})
   */
  public record RuleRef(
      String id, String title, String kind, String severity, @Nullable String description) {
    public RuleRef {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(title, "title");
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(severity, "severity");
    }
  }

  /**
   * A user, system or patient of the triggering events, as the events name it.
   *
   * @param reference a literal reference ({@code Patient/123}), or null
   * @param system the identifier system, or null
   * @param value the identifier value, or null
   * @param display the name (a patient's name is personal data: channels leave it out unless told)
   */
  public record Party(
      @Nullable String reference,
      @Nullable String system,
      @Nullable String value,
      @Nullable String display) {}
}
