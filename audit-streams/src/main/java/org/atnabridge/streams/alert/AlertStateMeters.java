package org.atnabridge.streams.alert;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** The counters of the stateful stage, each tagged with the rule id. */
final class AlertStateMeters {

  /** Observations older than the watermark minus the grace period. */
  static final String LATE = "atna.alerts.events.late";

  /** Firings not sent because the rule's group alerted within its suppression period. */
  static final String SUPPRESSED = "atna.alerts.suppressed";

  /** Events a group's window state dropped (oldest first) because it reached its cap. */
  static final String OVERFLOW = "atna.alerts.state.overflow";

  private final MeterRegistry registry;

  AlertStateMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  void late(String ruleId) {
    counter(LATE, "Alert rule observations that arrived after the grace period", ruleId)
        .increment();
  }

  void suppressed(String ruleId) {
    counter(SUPPRESSED, "Alerts suppressed by the rule's suppression period", ruleId).increment();
  }

  void overflow(String ruleId, int dropped) {
    counter(OVERFLOW, "Events dropped from a full alert window state", ruleId).increment(dropped);
  }

  private Counter counter(String name, String description, String ruleId) {
    return Counter.builder(name).description(description).tag("rule", ruleId).register(registry);
  }
}
