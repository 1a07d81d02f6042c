package org.atnabridge.streams.alert.rules;

import java.util.Locale;

/** The kinds of rule (Sigma's correlation types plus what privacy monitoring needs). */
public enum RuleKind {
  /** Every matching event. */
  MATCH,
  /** At least N matching events per group in a window. */
  THRESHOLD,
  /** At least N distinct values of a field per group in a window. */
  DISTINCT,
  /** Steps in order (A, then B) for the same group within a window. */
  SEQUENCE,
  /** A value (or a tuple of values) not seen in the look-back period. */
  FIRST_SEEN,
  /** A matching event outside a calendar (working hours, weekdays, time zone). */
  SCHEDULE,
  /** User and patient related in the reference data, or the patient flagged. */
  RELATIONSHIP,
  /** A known audit source sends nothing for a period. */
  SILENCE;

  /** As written in the rules file: {@code match}, {@code first-seen}, ... */
  public String yamlName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
