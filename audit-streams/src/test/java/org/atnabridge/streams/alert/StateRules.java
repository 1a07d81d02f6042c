package org.atnabridge.streams.alert;

import java.time.Duration;
import java.util.List;
import org.atnabridge.store.ProjectionScope;
import org.atnabridge.streams.alert.rules.AlertRule;
import org.atnabridge.streams.alert.rules.AlertRules;
import org.atnabridge.streams.alert.rules.AlertSeverity;
import org.atnabridge.streams.alert.rules.EventCondition;
import org.atnabridge.streams.alert.rules.KindSpec;
import org.atnabridge.streams.alert.rules.ValueExpression;
import org.hl7.fhir.r5.model.AuditEvent;
import org.jspecify.annotations.Nullable;

/**
 * Builds rules for the stateful stage directly: stage 1 already applied {@code where}, group-by and
 * the fields, so here conditions and expressions are only named.
 */
final class StateRules {

  private StateRules() {}

  static AlertRules of(AlertRule... rules) {
    return new AlertRules(List.of(), List.of(rules), AlertRules.DEFAULT_GRACE);
  }

  static AlertRule rule(String id, KindSpec spec) {
    return rule(id, spec, null, true);
  }

  static AlertRule rule(String id, KindSpec spec, @Nullable Duration suppress, boolean enabled) {
    return new AlertRule(
        id,
        "Rule " + id,
        null,
        AlertSeverity.values()[0],
        enabled,
        new Named("code=110122"),
        new Named("agent.identifier"),
        suppress,
        List.of(),
        spec);
  }

  static KindSpec.Threshold threshold(int count, Duration window) {
    return new KindSpec.Threshold(count, window);
  }

  static KindSpec.Distinct distinct(int count, Duration window) {
    return new KindSpec.Distinct(new Named("patient"), count, window);
  }

  static KindSpec.Sequence sequence(Duration window, int... counts) {
    return new KindSpec.Sequence(
        java.util.Arrays.stream(counts)
            .mapToObj(c -> new KindSpec.Step(new Named("step"), c))
            .toList(),
        window);
  }

  static KindSpec.FirstSeen firstSeen(Duration lookBack) {
    return new KindSpec.FirstSeen(
        List.of(new Named("agent.identifier"), new Named("patient")), lookBack);
  }

  static KindSpec.Silence silence(Duration after) {
    return new KindSpec.Silence(after);
  }

  static KindSpec.Match match() {
    return new KindSpec.Match();
  }

  /** A condition or expression known by its text only (stage 1 evaluates them, not stage 2). */
  record Named(String text) implements EventCondition, ValueExpression {
    @Override
    public boolean test(AuditEvent event) {
      throw new UnsupportedOperationException("stage 1 decides");
    }

    @Override
    public List<String> values(AuditEvent event) {
      throw new UnsupportedOperationException("stage 1 decides");
    }

    @Override
    public void reads(ProjectionScope.Builder scope) {
      scope.all();
    }
  }
}
