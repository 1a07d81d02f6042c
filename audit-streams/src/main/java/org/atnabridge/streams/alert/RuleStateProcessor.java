package org.atnabridge.streams.alert;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.StoreBuilder;
import org.atnabridge.streams.alert.rules.AlertRule;
import org.atnabridge.streams.alert.rules.AlertRules;
import org.jspecify.annotations.Nullable;

/**
 * Stage 2 of the alert engine: the observations of one rule and group (brought together by the
 * repartition topic) against the rule's state, emitting a {@link Firing} when the rule's condition
 * holds. This first version handles the per-event kinds (match, schedule, relationship: the
 * per-event stage already decided, so every observation fires); the windowed kinds, first-seen,
 * silence and suppression keep their state in the stores of {@link #storeBuilders()}.
 */
public final class RuleStateProcessor implements Processor<String, Observation, String, Firing> {

  private final Supplier<AlertRules> rules;
  private final Clock clock;
  private final MeterRegistry registry;
  private @Nullable ProcessorContext<String, Firing> context;

  public RuleStateProcessor(Supplier<AlertRules> rules, Clock clock, MeterRegistry registry) {
    this.rules = rules;
    this.clock = clock;
    this.registry = registry;
  }

  /** The state stores this processor uses; the topology adds and connects them. */
  public static List<StoreBuilder<?>> storeBuilders() {
    return List.of();
  }

  @Override
  public void init(ProcessorContext<String, Firing> context) {
    this.context = context;
  }

  @Override
  public void process(Record<String, Observation> record) {
    Observation o = record.value();
    ProcessorContext<String, Firing> ctx = context;
    if (o == null || ctx == null) {
      return;
    }
    AlertRule rule = rules.get().rule(o.ruleId()).orElse(null);
    if (rule == null || !rule.enabled()) {
      return; // the rule was removed or disabled by a reload since the event was observed
    }
    switch (rule.kind()) {
      case MATCH, SCHEDULE, RELATIONSHIP -> {
        Firing f =
            new Firing(
                o.ruleId(),
                o.group(),
                o.recorded(),
                null,
                null,
                false,
                1,
                List.of(o.eventId()),
                o.agents(),
                o.patients(),
                rule.title() + ": " + o.eventId());
        ctx.forward(record.withValue(f));
      }
      default -> {
        // windowed kinds, first-seen and silence: not evaluated by this version
      }
    }
  }

  Clock clock() {
    return clock;
  }

  MeterRegistry registry() {
    return registry;
  }
}
