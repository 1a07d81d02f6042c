package org.atnabridge.store.internal;

import java.util.List;
import java.util.Set;

/**
 * Evaluates a {@link QueryNode} on one {@link AuditEventDocument} in memory, with the meaning each
 * engine gives the node over the same physical fields: a keyword field matches when one of its
 * values does, a range compares epoch millis inclusively, free text requires every word of the
 * query among the document's words ({@link TextWords}).
 */
public final class DocumentMatcher {

  private DocumentMatcher() {}

  // plain loops, not streams: this runs for every rule on every event of the alert engine
  public static boolean matches(QueryNode node, AuditEventDocument d) {
    return switch (node) {
      case QueryNode.All a -> true;
      case QueryNode.None n -> false;
      case QueryNode.Terms t -> anyOf(values(d, t.field()), t.values());
      case QueryNode.Prefix p -> {
        for (String v : values(d, p.field())) {
          if (v.startsWith(p.prefix())) {
            yield true;
          }
        }
        yield false;
      }
      case QueryNode.Contains c -> {
        for (String v : values(d, c.field())) {
          if (v.contains(c.infix())) {
            yield true;
          }
        }
        yield false;
      }
      case QueryNode.Range r -> {
        long v = millis(d, r.field());
        yield v >= r.from() && v <= r.to();
      }
      case QueryNode.Text t -> TextWords.of(d.text()).containsAll(TextWords.of(t.text()));
      case QueryNode.And a -> {
        for (QueryNode m : a.must()) {
          if (!matches(m, d)) {
            yield false;
          }
        }
        for (QueryNode m : a.not()) {
          if (matches(m, d)) {
            yield false;
          }
        }
        yield true;
      }
      case QueryNode.Or o -> {
        for (QueryNode m : o.any()) {
          if (matches(m, d)) {
            yield true;
          }
        }
        yield false;
      }
    };
  }

  private static boolean anyOf(Set<String> values, List<String> wanted) {
    if (values.isEmpty()) {
      return false;
    }
    for (String w : wanted) {
      if (values.contains(w)) {
        return true;
      }
    }
    return false;
  }

  /** The id is a field of its own in both engines, not one of the keywords. */
  private static Set<String> values(AuditEventDocument d, String field) {
    return IndexFields.ID.equals(field) ? Set.of(d.id()) : d.values(field);
  }

  private static long millis(AuditEventDocument d, String field) {
    if (IndexFields.RECORDED.equals(field)) {
      return d.recordedMillis();
    }
    if (IndexFields.LAST_UPDATED.equals(field)) {
      return d.lastUpdatedMillis();
    }
    if (IndexFields.RECEIVED.equals(field)) {
      return d.receivedMillis();
    }
    throw new IllegalArgumentException("not a date field: " + field);
  }
}
