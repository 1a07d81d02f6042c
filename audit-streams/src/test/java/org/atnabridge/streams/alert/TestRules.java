package org.atnabridge.streams.alert;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.atnabridge.store.AuditEventMatcher;
import org.atnabridge.store.query.SearchParameters;
import org.atnabridge.streams.alert.rules.AlertRule;
import org.atnabridge.streams.alert.rules.AlertRules;
import org.atnabridge.streams.alert.rules.AlertSeverity;
import org.atnabridge.streams.alert.rules.EventCondition;
import org.atnabridge.streams.alert.rules.KindSpec;
import org.atnabridge.streams.alert.rules.ValueExpression;
import org.hl7.fhir.r5.model.AuditEvent;
import org.jspecify.annotations.Nullable;

/**
 * Compiled rules for the engine's tests, built directly (the rules file loader is tested on its
 * own): {@code where} compiled by the store's parser and matcher, as the loader does.
 */
final class TestRules {

  private TestRules() {}

  /** {@code where:} as the loader compiles it; null: every event. */
  static EventCondition where(@Nullable String query) {
    if (query == null) {
      return condition("", e -> true);
    }
    AuditEventMatcher m = AuditEventMatcher.of(SearchParameters.fromQueryString(query));
    return condition(query, m::test);
  }

  static EventCondition condition(String text, java.util.function.Predicate<AuditEvent> p) {
    return new EventCondition() {
      @Override
      public boolean test(AuditEvent e) {
        return p.test(e);
      }

      @Override
      public String text() {
        return text;
      }
    };
  }

  static ValueExpression value(String text, Function<AuditEvent, List<String>> f) {
    return new ValueExpression() {
      @Override
      public List<String> values(AuditEvent event) {
        return f.apply(event);
      }

      @Override
      public String text() {
        return text;
      }
    };
  }

  /** {@code agent.identifier}: {@code system|value} (or {@code value}) of each agent. */
  static final ValueExpression AGENT_IDENTIFIER =
      value(
          "agent.identifier",
          e -> {
            List<String> out = new ArrayList<>();
            for (AuditEvent.AuditEventAgentComponent a : e.getAgent()) {
              if (a.getWho().hasIdentifier() && a.getWho().getIdentifier().hasValue()) {
                var id = a.getWho().getIdentifier();
                out.add(id.hasSystem() ? id.getSystem() + "|" + id.getValue() : id.getValue());
              }
            }
            return out;
          });

  /** {@code patient.identifier}: {@code system|value} of the patients. */
  static final ValueExpression PATIENT_IDENTIFIER =
      value(
          "patient.identifier",
          e ->
              EventParties.patients(e).stream()
                  .filter(p -> p.value() != null)
                  .map(p -> p.system() + "|" + p.value())
                  .toList());

  static AlertRule rule(
      String id, @Nullable String where, @Nullable ValueExpression groupBy, KindSpec spec) {
    return new AlertRule(
        id,
        "Rule " + id,
        "test rule " + id,
        AlertSeverity.HIGH,
        true,
        where(where),
        groupBy,
        null,
        List.of("soc"),
        spec);
  }

  static AlertRule match(String id, @Nullable String where) {
    return rule(id, where, null, new KindSpec.Match());
  }

  static AlertRule disabled(AlertRule r) {
    return new AlertRule(
        r.id(),
        r.title(),
        r.description(),
        r.severity(),
        false,
        r.where(),
        r.groupBy(),
        r.suppress(),
        r.channels(),
        r.spec());
  }

  /** Monday to Friday, 07:00 to 19:00 in {@code zone}. */
  static KindSpec.Schedule officeHours(String zone) {
    return new KindSpec.Schedule(
        Set.of(
            DayOfWeek.MONDAY,
            DayOfWeek.TUESDAY,
            DayOfWeek.WEDNESDAY,
            DayOfWeek.THURSDAY,
            DayOfWeek.FRIDAY),
        LocalTime.of(7, 0),
        LocalTime.of(19, 0),
        ZoneId.of(zone));
  }

  static AlertRules of(AlertRule... rules) {
    return new AlertRules(List.of(), List.of(rules), AlertRules.DEFAULT_GRACE);
  }
}
