package org.atnabridge.streams.alert;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.atnabridge.store.EventValues;
import org.atnabridge.store.IndexTerm;
import org.atnabridge.store.ProjectionScope;
import org.atnabridge.streams.alert.rules.AlertRule;
import org.atnabridge.streams.alert.rules.AlertRules;
import org.atnabridge.streams.alert.rules.KindSpec;
import org.atnabridge.streams.alert.rules.MatchableEvent;
import org.atnabridge.streams.alert.rules.ValueExpression;
import org.jspecify.annotations.Nullable;

/**
 * The enabled rules of one {@link AlertRules}, prepared once for evaluation per event:
 *
 * <ul>
 *   <li>the {@link ProjectionScope} of the index fields any of them reads, so an event is projected
 *       onto those only;
 *   <li>the rules whose {@code where} requires one of a few terms ({@link
 *       org.atnabridge.streams.alert.rules.EventCondition#anchorTerms()}, e.g. {@code
 *       purpose=BTG}), looked up by the event's values of those terms: such a rule is not tested on
 *       an event that holds none of them, since it could not match it. Every other rule ({@code
 *       :not}, {@code :missing}, strings, FHIRPath alone, no {@code where}) is tested on every
 *       event.
 * </ul>
 *
 * <p>Immutable; {@link #candidates} allocates only its answer.
 */
final class RuleIndex {

  private final AlertRules source;
  private final List<AlertRule> enabled;
  private final ProjectionScope scope;
  private final boolean[] always;
  // physical field -> value -> indexes (in enabled) of the rules anchored on that term
  private final Map<String, Map<String, int[]>> anchored;

  private RuleIndex(AlertRules source) {
    this.source = source;
    this.enabled = source.enabled();
    ProjectionScope.Builder reads = ProjectionScope.builder();
    this.always = new boolean[enabled.size()];
    Map<String, Map<String, List<Integer>>> byTerm = new HashMap<>();
    for (int i = 0; i < enabled.size(); i++) {
      AlertRule rule = enabled.get(i);
      reads(rule, reads);
      List<IndexTerm> anchors = rule.where().anchorTerms();
      if (anchors.isEmpty()) {
        always[i] = true;
        continue;
      }
      for (IndexTerm t : anchors) {
        List<Integer> rules =
            byTerm
                .computeIfAbsent(t.field(), f -> new HashMap<>())
                .computeIfAbsent(t.value(), v -> new ArrayList<>());
        if (rules.isEmpty() || rules.get(rules.size() - 1) != i) {
          rules.add(i);
        }
      }
    }
    this.scope = reads.build();
    Map<String, Map<String, int[]>> frozen = new HashMap<>();
    byTerm.forEach(
        (field, values) -> {
          Map<String, int[]> m = new HashMap<>();
          values.forEach(
              (value, rules) -> m.put(value, rules.stream().mapToInt(Integer::intValue).toArray()));
          frozen.put(field, Map.copyOf(m));
        });
    this.anchored = Map.copyOf(frozen);
  }

  static RuleIndex of(AlertRules rules) {
    return new RuleIndex(rules);
  }

  /** Whether this index was built from {@code rules} (the very instance hot reload hands out). */
  @SuppressWarnings("ReferenceEquality") // identity: a reload is a new instance, even if equal
  boolean isOf(AlertRules rules) {
    return rules == source;
  }

  List<AlertRule> enabled() {
    return enabled;
  }

  ProjectionScope scope() {
    return scope;
  }

  /**
   * Which enabled rules (by index) are to be tested on {@code event}: every unanchored rule, and
   * the anchored ones whose terms the event holds. An event that cannot be projected gets the
   * unanchored rules only (an anchored rule's search condition fails on it anyway).
   */
  boolean[] candidates(MatchableEvent event) {
    boolean[] out = always.clone();
    if (anchored.isEmpty()) {
      return out;
    }
    try {
      EventValues values = event.values();
      for (Map.Entry<String, Map<String, int[]>> field : anchored.entrySet()) {
        Map<String, int[]> byValue = field.getValue();
        if (!values.termsReadable(field.getKey())) { // the presence of a few parameters
          for (Map.Entry<String, int[]> term : byValue.entrySet()) {
            if (values.holds(field.getKey(), term.getKey())) {
              mark(term.getValue(), out);
            }
          }
          continue;
        }
        Set<String> held = values.terms(field.getKey());
        if (held.size() <= byValue.size()) {
          for (String v : held) {
            mark(byValue.get(v), out);
          }
        } else {
          for (Map.Entry<String, int[]> term : byValue.entrySet()) {
            if (held.contains(term.getKey())) {
              mark(term.getValue(), out);
            }
          }
        }
      }
    } catch (IllegalArgumentException unprojectable) {
      // no id or recorded: every search condition fails on such an event, as without the index
    }
    return out;
  }

  private static void mark(int @Nullable [] rules, boolean[] out) {
    if (rules == null) {
      return;
    }
    for (int i : rules) {
      out[i] = true;
    }
  }

  /** What one rule reads of the projection: its conditions and its values. */
  private static void reads(AlertRule rule, ProjectionScope.Builder scope) {
    rule.where().reads(scope);
    @Nullable ValueExpression groupBy = rule.groupBy();
    if (groupBy != null) {
      groupBy.reads(scope);
    }
    switch (rule.spec()) {
      case KindSpec.Sequence s -> s.steps().forEach(step -> step.where().reads(scope));
      case KindSpec.Distinct d -> d.field().reads(scope);
      case KindSpec.FirstSeen f -> f.fields().forEach(v -> v.reads(scope));
      case KindSpec.Match m -> {}
      case KindSpec.Threshold t -> {}
      case KindSpec.Schedule s -> {}
      case KindSpec.Relationship r -> {}
      case KindSpec.Silence s -> {}
    }
  }
}
