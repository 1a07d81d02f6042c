package org.atnabridge.store.internal;

import java.util.List;

/**
 * An engine-neutral boolean query over the physical fields of {@link IndexFields}. {@link
 * QueryPlanner} builds it from an {@link org.atnabridge.store.AuditQuery} once; each engine only
 * translates these few shapes, so the FHIR matching rules live in one place.
 */
public sealed interface QueryNode {

  /** Every document. */
  record All() implements QueryNode {}

  /** No document (e.g. an empty date range). */
  record None() implements QueryNode {}

  /** The keyword field holds one of the values. */
  record Terms(String field, List<String> values) implements QueryNode {
    public Terms {
      values = List.copyOf(values);
    }
  }

  /** The keyword field holds a value starting with {@code prefix}. */
  record Prefix(String field, String prefix) implements QueryNode {}

  /** The keyword field holds a value containing {@code infix}. */
  record Contains(String field, String infix) implements QueryNode {
    /**
     * {@code *infix*} with the infix's own wildcard characters escaped: the pattern both engines
     * take.
     */
    public String wildcard() {
      return "*" + infix.replace("\\", "\\\\").replace("*", "\\*").replace("?", "\\?") + "*";
    }
  }

  /** The long/date field holds a value in [from, to] (inclusive, epoch millis). */
  record Range(String field, long from, long to) implements QueryNode {}

  /** Every word of {@code text} (standard analyzer) occurs in the text field. */
  record Text(String field, String text) implements QueryNode {}

  /** All must match; {@code not} must not. */
  record And(List<QueryNode> must, List<QueryNode> not) implements QueryNode {
    public And {
      must = List.copyOf(must);
      not = List.copyOf(not);
    }
  }

  /** At least one matches. */
  record Or(List<QueryNode> any) implements QueryNode {
    public Or {
      any = List.copyOf(any);
    }
  }
}
