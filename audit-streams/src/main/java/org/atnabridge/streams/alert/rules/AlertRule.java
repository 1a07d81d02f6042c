package org.atnabridge.streams.alert.rules;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One compiled rule of the rules file.
 *
 * @param id the rule id: the alert AuditEvent's {@code code}; unique in the file
 * @param where the condition every counted event meets ({@code where:} and/or {@code fhirpath:})
 * @param groupBy what the rule counts per ({@code group-by:}), or null: one group for all events;
 *     suppression is per group too
 * @param suppress at most one alert per group per this period, or null: no suppression beyond the
 *     kind's own "once per window"
 * @param channels the channel ids of {@code notify:} ({@link AlertRules#channels()}); each exists
 */
public record AlertRule(
    String id,
    String title,
    @Nullable String description,
    AlertSeverity severity,
    boolean enabled,
    EventCondition where,
    @Nullable ValueExpression groupBy,
    @Nullable Duration suppress,
    List<String> channels,
    KindSpec spec) {

  public AlertRule {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(where, "where");
    Objects.requireNonNull(spec, "spec");
    channels = List.copyOf(channels);
  }

  public RuleKind kind() {
    return spec.kind();
  }
}
