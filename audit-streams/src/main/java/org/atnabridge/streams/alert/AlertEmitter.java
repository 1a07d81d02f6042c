package org.atnabridge.streams.alert;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.atnabridge.schemas.alert.Alert;
import org.atnabridge.streams.alert.rules.AlertRule;
import org.atnabridge.streams.alert.rules.AlertRules;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage 3 of the alert engine: a {@link Firing} and its rule (title, severity, channels, as they
 * are now) become an {@link Alert} with a deterministic id ({@link AlertIds}), detected now by the
 * clock, and its Security Alert AuditEvent ({@link SecurityAlertEvent}); forwarded keyed by the
 * alert id. A firing whose rule was removed by a reload since is dropped (nobody would be told).
 */
public final class AlertEmitter implements Processor<String, Firing, String, EmittedAlert> {

  private static final Logger LOG = LoggerFactory.getLogger(AlertEmitter.class);

  private final Supplier<AlertRules> rules;
  private final Clock clock;
  private final AlertMeters meters;
  private @Nullable ProcessorContext<String, EmittedAlert> context;

  public AlertEmitter(Supplier<AlertRules> rules, Clock clock, AlertMeters meters) {
    this.rules = rules;
    this.clock = clock;
    this.meters = meters;
  }

  @Override
  public void init(ProcessorContext<String, EmittedAlert> context) {
    this.context = context;
  }

  @Override
  public void process(Record<String, Firing> record) {
    ProcessorContext<String, EmittedAlert> ctx = Objects.requireNonNull(context, "init not called");
    Firing f = record.value();
    if (f == null) {
      return;
    }
    AlertRule rule = rules.get().rule(f.ruleId()).orElse(null);
    if (rule == null) {
      LOG.warn("alert of rule {} dropped: the rule is no longer in the rules file", f.ruleId());
      return;
    }
    Instant now = clock.instant();
    EmittedAlert emitted = emit(f, rule, now);
    meters.fired(rule.id());
    // stamped with the detection time, not the event time: an old event's alert must not fall
    // under the time-based retention of audit.posted before the chain has read it
    ctx.forward(new Record<>(emitted.alert().id(), emitted, now.toEpochMilli()));
  }

  /** The alert and its AuditEvent for a firing of {@code rule} detected at {@code detectedAt}. */
  static EmittedAlert emit(Firing f, AlertRule rule, Instant detectedAt) {
    String id = AlertIds.alert(f);
    Alert alert =
        new Alert(
            id,
            new Alert.RuleRef(
                rule.id(),
                rule.title(),
                rule.kind().yamlName(),
                rule.severity().yamlName(),
                rule.description()),
            f.group().isEmpty() ? null : f.group(),
            f.firedAt(),
            detectedAt,
            f.windowStart(),
            f.windowEnd(),
            f.late(),
            f.eventCount(),
            first(f.events()),
            first(f.agents()),
            first(f.patients()),
            f.summary(),
            rule.channels(),
            "AuditEvent/" + AlertIds.event(id));
    return new EmittedAlert(alert, SecurityAlertEvent.of(alert, rule));
  }

  /** The first {@link Alert#MAX_LISTED}, each once. */
  private static <T> List<T> first(List<T> items) {
    return new LinkedHashSet<>(items).stream().limit(Alert.MAX_LISTED).toList();
  }
}
