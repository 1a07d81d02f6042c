package org.atnabridge.streams.alert;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.atnabridge.schemas.alert.Alert;
import org.atnabridge.streams.alert.rules.AlertRule;
import org.atnabridge.streams.alert.rules.AlertRules;
import org.atnabridge.streams.alert.rules.KindSpec;
import org.atnabridge.streams.alert.rules.MatchableEvent;
import org.atnabridge.streams.alert.rules.ValueExpression;
import org.atnabridge.streams.enrich.ReferenceLookup;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Identifier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-event work of stage 1 of the alert engine, without Kafka: decides, per event, every
 * enabled rule's per-event condition and gives one {@link Observation} per rule and group it meets
 * ({@link RuleMatchProcessor} skips alert AuditEvents and self-audit of alert handling, {@link
 * AlertOrigin}, before). Nothing here keeps state or looks at time beyond the event's own: late
 * events are decided by the stateful stage.
 *
 * <ul>
 *   <li>every kind: the rule's {@code where};
 *   <li>{@code schedule}: recorded outside the calendar ({@link Calendars});
 *   <li>{@code relationship}: user and patient related in the reference data ({@link Relations});
 *   <li>{@code sequence}: the indexes of the steps the event meets (none: no observation);
 *   <li>{@code distinct}: the field's values; {@code first-seen}: the tuples of the fields' values
 *       (a field without values: no observation);
 *   <li>{@code silence}: one observation grouped by the source ({@code source.observer} identifier
 *       value), whatever the rule's {@code group-by}.
 * </ul>
 *
 * Groups are the values of {@code group-by}, one observation each; an event without a value is not
 * counted by a rule that groups (a rule without {@code group-by} has the one group "").
 */
public final class RuleMatcher {

  private static final Logger LOG = LoggerFactory.getLogger(RuleMatcher.class);

  private final Supplier<AlertRules> rules;
  private final Relations relations;
  // the enabled rules prepared for the rules last read; rebuilt when hot reload swaps them
  private volatile @Nullable RuleIndex index;

  /**
   * @param rules read once per event (hot reload swaps what it returns)
   * @param references the people and patients of {@code relationship} rules
   */
  public RuleMatcher(Supplier<AlertRules> rules, ReferenceLookup references) {
    this.rules = rules;
    this.relations = new Relations(references);
  }

  /**
   * The observations of every enabled rule on one event that has its id and {@code recorded}.
   *
   * @throws IllegalArgumentException when the event has no id or no {@code recorded}
   */
  public List<Observation> observe(AuditEvent e) {
    if (!e.getIdElement().hasIdPart() || !e.hasRecorded()) {
      throw new IllegalArgumentException("an event without id or recorded");
    }
    List<Observation> out = new ArrayList<>();
    observe(e, e.getIdElement().getIdPart(), e.getRecorded().getTime(), (rule, o) -> out.add(o));
    return out;
  }

  /**
   * Hands {@code out} each observation of every enabled rule on one event, rule by rule.
   *
   * @param key the event's id when it has none ({@code AuditEvent/<key>})
   * @param timestamp the record time, epoch millis, when the event has no {@code recorded}
   */
  public void observe(
      AuditEvent e, String key, long timestamp, BiConsumer<AlertRule, Observation> out) {
    RuleIndex ix = index(rules.get());
    List<AlertRule> enabled = ix.enabled();
    if (enabled.isEmpty()) {
      return;
    }
    Instant recorded =
        e.hasRecorded() ? e.getRecorded().toInstant() : Instant.ofEpochMilli(timestamp);
    String id = e.getIdElement().hasIdPart() ? e.getIdElement().getIdPart() : key;
    MatchableEvent matchable = new MatchableEvent(e, ix.scope());
    Event event = new Event(matchable, e, "AuditEvent/" + id, recorded);
    boolean[] candidates = ix.candidates(matchable);
    for (int i = 0; i < enabled.size(); i++) {
      if (!candidates[i]) {
        continue; // its where requires a term the event does not hold
      }
      AlertRule rule = enabled.get(i);
      for (Observation o : observations(rule, event)) {
        out.accept(rule, o);
      }
    }
  }

  private RuleIndex index(AlertRules current) {
    RuleIndex ix = index;
    if (ix == null || !ix.isOf(current)) {
      ix = RuleIndex.of(current);
      index = ix;
    }
    return ix;
  }

  /**
   * One event as every rule reads it. Its parties are taken when a first rule observes it: most
   * events meet no rule.
   */
  private static final class Event {
    private final MatchableEvent matchable;
    private final AuditEvent event;
    private final String eventId;
    private final Instant recorded;
    private @Nullable List<Alert.Party> agents;
    private @Nullable List<Alert.Party> patients;

    Event(MatchableEvent matchable, AuditEvent event, String eventId, Instant recorded) {
      this.matchable = matchable;
      this.event = event;
      this.eventId = eventId;
      this.recorded = recorded;
    }

    MatchableEvent matchable() {
      return matchable;
    }

    AuditEvent event() {
      return event;
    }

    String eventId() {
      return eventId;
    }

    Instant recorded() {
      return recorded;
    }

    List<Alert.Party> agents() {
      List<Alert.Party> a = agents;
      if (a == null) {
        a = EventParties.agents(event);
        agents = a;
      }
      return a;
    }

    List<Alert.Party> patients() {
      List<Alert.Party> p = patients;
      if (p == null) {
        p = EventParties.patients(event);
        patients = p;
      }
      return p;
    }
  }

  private List<Observation> observations(AlertRule rule, Event ev) {
    AuditEvent e = ev.event();
    MatchableEvent one = ev.matchable();
    try {
      if (!rule.where().test(one)) {
        return List.of();
      }
      List<String> values = List.of();
      List<Integer> steps = List.of();
      switch (rule.spec()) {
        case KindSpec.Match m -> {}
        case KindSpec.Threshold t -> {}
        case KindSpec.Schedule s -> {
          if (!Calendars.outside(s, ev.recorded())) {
            return List.of();
          }
        }
        case KindSpec.Relationship r -> {
          if (!relations.related(e, r.relations())) {
            return List.of();
          }
        }
        case KindSpec.Sequence s -> {
          List<Integer> met = new ArrayList<>();
          for (int i = 0; i < s.steps().size(); i++) {
            if (s.steps().get(i).where().test(one)) {
              met.add(i);
            }
          }
          if (met.isEmpty()) {
            return List.of();
          }
          steps = met;
        }
        case KindSpec.Distinct d -> {
          values = distinct(d.field().values(one));
          if (values.isEmpty()) {
            return List.of();
          }
        }
        case KindSpec.FirstSeen f -> {
          values = tuples(f.fields(), one);
          if (values.isEmpty()) {
            return List.of();
          }
        }
        case KindSpec.Silence s -> {
          String source = source(e);
          return source == null
              ? List.of()
              : List.of(observation(rule, source, ev, List.of(), List.of()));
        }
      }
      List<Observation> out = new ArrayList<>();
      for (String group : groups(rule.groupBy(), one)) {
        out.add(observation(rule, group, ev, values, steps));
      }
      return out;
    } catch (RuntimeException ex) {
      // a fhirpath: or value expression that cannot be evaluated on this event: the condition is
      // not met (the event is still evaluated by every other rule)
      LOG.debug("rule {} not evaluated on {}: {}", rule.id(), ev.eventId(), ex.toString());
      return List.of();
    }
  }

  private static Observation observation(
      AlertRule rule, String group, Event ev, List<String> values, List<Integer> steps) {
    return new Observation(
        rule.id(), group, ev.eventId(), ev.recorded(), values, steps, ev.agents(), ev.patients());
  }

  /** The group-by values, each once; {@code [""]} without group-by. */
  static List<String> groups(@Nullable ValueExpression groupBy, MatchableEvent e) {
    return groupBy == null ? List.of("") : distinct(groupBy.values(e));
  }

  private static List<String> distinct(List<String> values) {
    return List.copyOf(new LinkedHashSet<>(values));
  }

  /**
   * Each combination of the fields' values, parts joined by {@link Observation#TUPLE_SEPARATOR}.
   */
  static List<String> tuples(List<ValueExpression> fields, MatchableEvent e) {
    List<String> tuples = List.of("");
    boolean first = true;
    for (ValueExpression field : fields) {
      List<String> values = distinct(field.values(e));
      if (values.isEmpty()) {
        return List.of();
      }
      List<String> next = new ArrayList<>();
      for (String t : tuples) {
        for (String v : values) {
          next.add(first ? v : t + Observation.TUPLE_SEPARATOR + v);
        }
      }
      tuples = next;
      first = false;
    }
    return tuples;
  }

  /** The audit source: {@code source.observer} identifier value (AuditSourceID). */
  static @Nullable String source(AuditEvent e) {
    if (!e.getSource().getObserver().hasIdentifier()) {
      return null;
    }
    Identifier id = e.getSource().getObserver().getIdentifier();
    return id.hasValue() && !id.getValue().isBlank() ? id.getValue() : null;
  }
}
