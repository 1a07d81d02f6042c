package org.atnabridge.streams.alert;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.atnabridge.streams.alert.rules.RuleKind;

/**
 * The alert engine's per-event and per-alert meters (named in the README's "Metrics"). Counted as
 * records are processed: records of a transaction that aborts are counted again when processed
 * again.
 */
public final class AlertMeters {

  /** Events the rules were evaluated on. */
  public static final String EVALUATED = "atna.alerts.events.evaluated";

  /** Events not evaluated: alert AuditEvents and self-audit of alert handling. */
  public static final String SKIPPED = "atna.alerts.events.skipped";

  /** Observations stage 1 sent to the rules' state, tag {@code kind}. */
  public static final String OBSERVATIONS = "atna.alerts.observations";

  /** Alerts written to {@code audit.alerts}, tag {@code rule}. */
  public static final String FIRED = "atna.alerts.fired";

  private final MeterRegistry registry;
  private final Counter evaluated;
  private final Counter skipped;
  private final Map<RuleKind, Counter> observations = new EnumMap<>(RuleKind.class);
  private final Map<String, Counter> fired = new ConcurrentHashMap<>();

  public AlertMeters(MeterRegistry registry) {
    this.registry = registry;
    this.evaluated =
        Counter.builder(EVALUATED)
            .description("AuditEvents of audit.enriched the alert rules were evaluated on")
            .register(registry);
    this.skipped =
        Counter.builder(SKIPPED)
            .description("alert AuditEvents and self-audit of alert handling, never evaluated")
            .register(registry);
    for (RuleKind kind : RuleKind.values()) {
      observations.put(
          kind,
          Counter.builder(OBSERVATIONS)
              .description("events that met a rule's per-event condition, per rule kind")
              .tag("kind", kind.yamlName())
              .register(registry));
    }
  }

  void evaluated() {
    evaluated.increment();
  }

  void skipped() {
    skipped.increment();
  }

  void observation(RuleKind kind) {
    java.util.Objects.requireNonNull(observations.get(kind)).increment();
  }

  void fired(String ruleId) {
    fired
        .computeIfAbsent(
            ruleId,
            id ->
                Counter.builder(FIRED)
                    .description("alerts written to audit.alerts, per rule")
                    .tag("rule", id)
                    .register(registry))
        .increment();
  }
}
