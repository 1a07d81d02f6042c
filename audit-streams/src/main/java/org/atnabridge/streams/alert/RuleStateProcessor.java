package org.atnabridge.streams.alert;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.StoreBuilder;
import org.atnabridge.streams.alert.rules.AlertRule;
import org.atnabridge.streams.alert.rules.AlertRules;
import org.atnabridge.streams.alert.rules.KindSpec;
import org.jspecify.annotations.Nullable;

/**
 * Stage 2 of the alert engine: the observations of one rule and group (brought together by the
 * repartition topic) against the rule's state, emitting a {@link Firing} when the rule's condition
 * holds. All state lives in the changelogged stores of {@link #storeBuilders()}, so under
 * exactly-once a restart in the middle of a window neither loses nor repeats a firing.
 *
 * <h2>Event time, watermark, lateness</h2>
 *
 * Event time is {@link Observation#recorded()}. Each task's watermark ({@link Watermark}) is the
 * highest event time it has seen (counted at most a day past the wall clock: a sender's clock far
 * ahead must not make every later event late); once the task has seen nothing for {@link
 * Watermark#IDLE_AFTER}, event time passes with the wall clock. So a backlog (the pipeline behind,
 * or catching up after an outage) is read on its own event times and is never late, while an idle
 * partition still closes its windows and notices silent sources. An observation recorded before
 * watermark − grace ({@link AlertRules#grace()}) is <em>late</em>: it is counted in {@code
 * atna.alerts.events.late{rule}} and never counted into a window, a first-seen set or a sequence;
 * match, schedule and relationship rules still fire for it, with {@code late = true}. A wall-clock
 * punctuation (every 10 s by default) advances an idle task's watermark, fires silences (a source
 * whose last event is more than {@code after} behind the watermark) and purges what it closed.
 *
 * <h2>Kinds</h2>
 *
 * <ul>
 *   <li>match, schedule, relationship: every observation fires (stage 1 decided).
 *   <li>threshold ({@code count} events), distinct ({@code count} distinct values), sequence (the
 *       steps in order): fire at once when the condition holds in some span of {@code window}
 *       (inclusive), not when a window closes. The fired window is [first counted event, first
 *       counted event + window]; every event up to its end is consumed, arrived or arriving later,
 *       so a condition fires once per group and window: 4 failures within 5 min never fire, 5 fire
 *       once, 10 within 5 min fire once, 5 + 5 in two windows fire twice. See {@link
 *       WindowedGroups}.
 *   <li>first-seen: one firing per tuple not seen within {@code look-back} before the event; the
 *       first tuples ever seen fire too. See {@link FirstSeenTuples}.
 *   <li>silence: per source, the last event time; the wall-clock punctuation fires when the wall
 *       clock is more than {@code after} past it, once, and again only after the source was heard
 *       from. A source listed in {@code reference.nodes} is watched from when this task learns of
 *       it ({@link KnownSources}'s markers, which never move the watermark). See {@link
 *       SilenceClocks}.
 * </ul>
 *
 * <h2>Suppression</h2>
 *
 * For every kind, a rule with {@code suppress} sends at most one firing per group per period of
 * event time; the others are counted in {@code atna.alerts.suppressed{rule}}. See {@link
 * Suppression}.
 *
 * <h2>Reloads</h2>
 *
 * Rules are read from the supplier for every observation and punctuation. Observations of a rule
 * that was removed or disabled are ignored and its state is deleted by the punctuation's sweep; a
 * rule whose kind changed starts afresh.
 */
public final class RuleStateProcessor implements Processor<String, Observation, String, Firing> {

  /** How often the wall-clock punctuation runs by default. */
  public static final Duration DEFAULT_PUNCTUATION = Duration.ofSeconds(10);

  private final Supplier<AlertRules> rules;
  private final Clock clock;
  private final AlertStateMeters meters;
  private final Duration punctuation;
  private @Nullable ProcessorContext<String, Firing> context;
  private @Nullable Cancellable punctuator;
  private @Nullable Watermark watermark;
  private @Nullable WindowedGroups windows;
  private @Nullable FirstSeenTuples firstSeen;
  private @Nullable SilenceClocks silence;
  private @Nullable Suppression suppression;

  public RuleStateProcessor(Supplier<AlertRules> rules, Clock clock, MeterRegistry registry) {
    this(rules, clock, registry, DEFAULT_PUNCTUATION);
  }

  /**
   * @param punctuation how often the wall clock closes windows, checks silences and sweeps state
   */
  public RuleStateProcessor(
      Supplier<AlertRules> rules, Clock clock, MeterRegistry registry, Duration punctuation) {
    this.rules = rules;
    this.clock = clock;
    this.meters = new AlertStateMeters(registry);
    this.punctuation = punctuation;
  }

  /** The state stores this processor uses; the topology adds and connects them. */
  public static List<StoreBuilder<?>> storeBuilders() {
    return AlertStateStores.builders();
  }

  /** The names of those stores (to connect them to the processor). */
  public static List<String> storeNames() {
    return AlertStateStores.NAMES;
  }

  @Override
  public void init(ProcessorContext<String, Firing> context) {
    this.context = context;
    this.watermark = new Watermark(context.getStateStore(AlertStateStores.WATERMARK), clock);
    this.windows = new WindowedGroups(context.getStateStore(AlertStateStores.WINDOWS), meters);
    this.firstSeen = new FirstSeenTuples(context.getStateStore(AlertStateStores.FIRST_SEEN));
    this.silence = new SilenceClocks(context.getStateStore(AlertStateStores.SILENCE));
    this.suppression = new Suppression(context.getStateStore(AlertStateStores.SUPPRESSION), meters);
    this.punctuator =
        context.schedule(punctuation, PunctuationType.WALL_CLOCK_TIME, now -> punctuate());
  }

  @Override
  public void process(Record<String, Observation> record) {
    Observation o = record.value();
    ProcessorContext<String, Firing> ctx = context;
    Watermark wm = watermark;
    if (o == null || ctx == null || wm == null) {
      return;
    }
    AlertRules all = rules.get();
    AlertRule rule = all.rule(o.ruleId()).orElse(null);
    if (rule == null || !rule.enabled()) {
      return; // the rule was removed or disabled by a reload since the event was observed
    }
    if (KnownSources.isMarker(o)) {
      // reference data, not an event: it must not move the watermark
      if (rule.spec() instanceof KindSpec.Silence) {
        if (KnownSources.isGone(o)) {
          state(silence).gone(o.key());
        } else {
          state(silence).known(o.key(), silenceNow(wm));
        }
      }
      return;
    }
    long horizon = wm.observe(o.recorded().toEpochMilli()) - all.grace().toMillis();
    boolean late = o.recorded().toEpochMilli() < horizon;
    if (late) {
      meters.late(rule.id());
    }
    for (Firing f : evaluate(rule, o, late, horizon)) {
      emit(ctx, rule, f, record.timestamp());
    }
  }

  private List<Firing> evaluate(AlertRule rule, Observation o, boolean late, long horizon) {
    KindSpec spec = rule.spec();
    WindowCondition condition = WindowCondition.of(spec);
    if (condition != null) {
      Firing f = late ? null : state(windows).observe(rule, condition, o, horizon);
      return f == null ? List.of() : List.of(f);
    }
    return switch (spec) {
      case KindSpec.FirstSeen fs -> late ? List.of() : state(firstSeen).observe(rule, fs, o);
      case KindSpec.Silence s -> {
        state(silence).heard(o);
        yield List.of();
      }
      default ->
          List.of(
              Firings.ofEvent(rule.id(), o, null, null, late, rule.title() + ": " + o.eventId()));
    };
  }

  /** Wall clock: advance the watermark, fire silences, purge closed windows and expired state. */
  private void punctuate() {
    ProcessorContext<String, Firing> ctx = context;
    Watermark wm = watermark;
    if (ctx == null || wm == null) {
      return;
    }
    AlertRules all = rules.get();
    long now = wm.wallClock();
    long current = wm.current();
    List<Firing> silent = new ArrayList<>(state(silence).check(all, silenceNow(wm)));
    for (Firing f : silent) {
      AlertRule rule = all.rule(f.ruleId()).orElse(null);
      if (rule != null) {
        emit(ctx, rule, f, now);
      }
    }
    state(windows).sweep(all, current);
    state(firstSeen).sweep(all, current);
    state(suppression).sweep(all, current);
  }

  /**
   * The time silences are measured by: the watermark, or the wall clock in a task that has seen no
   * event yet (whose only sources are known from reference data).
   */
  private static long silenceNow(Watermark wm) {
    long current = wm.current();
    return current == Long.MIN_VALUE ? wm.wallClock() : current;
  }

  private void emit(ProcessorContext<String, Firing> ctx, AlertRule rule, Firing f, long ts) {
    if (state(suppression).admit(rule, f)) {
      ctx.forward(new Record<>(Observation.key(f.ruleId(), f.group()), f, ts));
    }
  }

  @Override
  public void close() {
    Cancellable p = punctuator;
    if (p != null) {
      p.cancel();
    }
  }

  private static <T> T state(@Nullable T initialised) {
    if (initialised == null) {
      throw new IllegalStateException("processor not initialised");
    }
    return initialised;
  }
}
