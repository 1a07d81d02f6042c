package org.atnabridge.store.internal;

import java.util.Set;

/**
 * Evaluates a {@link QueryNode} on one {@link AuditEventDocument} in memory, with the meaning each
 * engine gives the node over the same physical fields: a keyword field matches when one of its
 * values does, a range compares epoch millis inclusively, free text requires every word of the
 * query among the document's words ({@link TextWords}).
 */
public final class DocumentMatcher {

  private DocumentMatcher() {}

  public static boolean matches(QueryNode node, AuditEventDocument d) {
    return switch (node) {
      case QueryNode.All a -> true;
      case QueryNode.None n -> false;
      case QueryNode.Terms t -> values(d, t.field()).stream().anyMatch(t.values()::contains);
      case QueryNode.Prefix p ->
          values(d, p.field()).stream().anyMatch(v -> v.startsWith(p.prefix()));
      case QueryNode.Contains c ->
          values(d, c.field()).stream().anyMatch(v -> v.contains(c.infix()));
      case QueryNode.Range r -> {
        long v = millis(d, r.field());
        yield v >= r.from() && v <= r.to();
      }
      case QueryNode.Text t -> TextWords.of(d.text()).containsAll(TextWords.of(t.text()));
      case QueryNode.And a ->
          a.must().stream().allMatch(m -> matches(m, d))
              && a.not().stream().noneMatch(m -> matches(m, d));
      case QueryNode.Or o -> o.any().stream().anyMatch(m -> matches(m, d));
    };
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
    throw new IllegalArgumentException("not a date field: " + field);
  }
}
