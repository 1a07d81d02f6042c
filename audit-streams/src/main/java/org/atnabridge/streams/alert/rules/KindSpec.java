package org.atnabridge.streams.alert.rules;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** What a rule of each {@link RuleKind} needs beyond the common fields of {@link AlertRule}. */
public sealed interface KindSpec {

  RuleKind kind();

  /** Every event that meets {@code where}. */
  record Match() implements KindSpec {
    @Override
    public RuleKind kind() {
      return RuleKind.MATCH;
    }
  }

  /** At least {@code count} events per group within {@code window} (fires when it holds). */
  record Threshold(int count, Duration window) implements KindSpec {
    public Threshold {
      positive(count, window);
    }

    @Override
    public RuleKind kind() {
      return RuleKind.THRESHOLD;
    }
  }

  /**
   * At least {@code count} distinct values of {@code field} per group within {@code window}, e.g.
   * more than 50 distinct patients per user per hour is {@code count: 51}.
   */
  record Distinct(ValueExpression field, int count, Duration window) implements KindSpec {
    public Distinct {
      Objects.requireNonNull(field, "field");
      positive(count, window);
    }

    @Override
    public RuleKind kind() {
      return RuleKind.DISTINCT;
    }
  }

  /**
   * The steps in order for the same group, all within {@code window} of the first (e.g. 5 failed
   * logins, then a success). The rule's {@code where} applies to every step as well.
   */
  record Sequence(List<Step> steps, Duration window) implements KindSpec {
    public Sequence {
      steps = List.copyOf(steps);
      if (steps.size() < 2) {
        throw new IllegalArgumentException("a sequence has at least two steps");
      }
      positive(1, window);
    }

    @Override
    public RuleKind kind() {
      return RuleKind.SEQUENCE;
    }
  }

  /** One step of a sequence: {@code count} events meeting {@code where}. */
  record Step(EventCondition where, int count) {
    public Step {
      Objects.requireNonNull(where, "where");
      if (count < 1) {
        throw new IllegalArgumentException("count < 1");
      }
    }
  }

  /**
   * The tuple of {@code fields} values (e.g. user and patient) not seen within {@code lookBack}.
   */
  record FirstSeen(List<ValueExpression> fields, Duration lookBack) implements KindSpec {
    public FirstSeen {
      fields = List.copyOf(fields);
      if (fields.isEmpty()) {
        throw new IllegalArgumentException("first-seen needs at least one field");
      }
      positive(1, lookBack);
    }

    @Override
    public RuleKind kind() {
      return RuleKind.FIRST_SEEN;
    }
  }

  /**
   * Fires for a matching event recorded outside the calendar: on a day not in {@code days}, or
   * before {@code from} or at/after {@code to}, in {@code zone}.
   */
  record Schedule(Set<DayOfWeek> days, LocalTime from, LocalTime to, ZoneId zone)
      implements KindSpec {
    public Schedule {
      days = Set.copyOf(days);
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
      Objects.requireNonNull(zone, "zone");
    }

    @Override
    public RuleKind kind() {
      return RuleKind.SCHEDULE;
    }
  }

  /** Fires for a matching event whose user and patient are related as any of {@code relations}. */
  record Relationship(Set<Relation> relations) implements KindSpec {
    public Relationship {
      relations = Set.copyOf(relations);
      if (relations.isEmpty()) {
        throw new IllegalArgumentException("relationship needs at least one relation");
      }
    }

    @Override
    public RuleKind kind() {
      return RuleKind.RELATIONSHIP;
    }
  }

  /** How a user and a patient may be related (rules file names in lower case with dashes). */
  enum Relation {
    /** The user is the patient (employee self-access): the same person in the reference data. */
    SAME_PERSON,
    /** The user's and the patient's family names are the same. */
    SAME_FAMILY_NAME,
    /** The user's and the patient's addresses are the same. */
    SAME_ADDRESS,
    /** The patient is flagged VIP in the reference data. */
    VIP,
    /** The patient (or the event) is labelled V or R (v3-Confidentiality). */
    RESTRICTED
  }

  /**
   * A known audit source (reference.nodes, or any source seen before) sends nothing for {@code
   * after}; fires once per silence, again only after the source was heard from.
   */
  record Silence(Duration after) implements KindSpec {
    public Silence {
      positive(1, after);
    }

    @Override
    public RuleKind kind() {
      return RuleKind.SILENCE;
    }
  }

  private static void positive(int count, Duration d) {
    if (count < 1) {
      throw new IllegalArgumentException("count < 1");
    }
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("duration must be positive");
    }
  }
}
