package org.atnabridge.store.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.atnabridge.store.IndexTerm;
import org.atnabridge.store.SearchField;
import org.jspecify.annotations.Nullable;

/**
 * The terms of a {@link QueryNode} of which every document it matches holds at least one: a term
 * lookup the node requires ({@code Terms}), an alternative of such lookups ({@code Or} of {@code
 * Terms}), or, for a conjunction, the most selective of its required parts. Sound by construction:
 * {@link DocumentMatcher} accepts a document for such a node only when one of these terms is among
 * its values. Among several, the patient's fields are preferred, then the other references (agent,
 * entity, source), then the rest (codes recur across most events).
 */
public final class QueryAnchors {

  private static final int PATIENT = 0;
  private static final int REFERENCE = 1;
  private static final int OTHER = 2;

  private static final Map<String, Integer> RANK = ranks();

  private QueryAnchors() {}

  /** The anchor terms of {@code node}; empty when it requires no term lookup. */
  public static List<IndexTerm> of(QueryNode node) {
    @Nullable Anchor a = anchor(node);
    return a == null ? List.of() : a.terms;
  }

  private record Anchor(List<IndexTerm> terms, int rank) {}

  private static @Nullable Anchor anchor(QueryNode node) {
    return switch (node) {
      case QueryNode.Terms t -> {
        List<IndexTerm> terms = new ArrayList<>();
        t.values().forEach(v -> terms.add(new IndexTerm(t.field(), v)));
        yield terms.isEmpty() ? null : new Anchor(terms, RANK.getOrDefault(t.field(), OTHER));
      }
      case QueryNode.Or o -> {
        List<IndexTerm> terms = new ArrayList<>();
        int rank = PATIENT;
        for (QueryNode any : o.any()) {
          @Nullable Anchor a = anchor(any);
          if (a == null) {
            yield null; // one alternative needs no term: the union does not bound the matches
          }
          terms.addAll(a.terms);
          rank = Math.max(rank, a.rank);
        }
        yield terms.isEmpty() ? null : new Anchor(terms, rank);
      }
      case QueryNode.And a -> {
        @Nullable Anchor best = null;
        for (QueryNode must : a.must()) {
          @Nullable Anchor m = anchor(must);
          if (m != null
              && (best == null
                  || m.rank < best.rank
                  || (m.rank == best.rank && m.terms.size() < best.terms.size()))) {
            best = m;
          }
        }
        yield best;
      }
      default -> null;
    };
  }

  private static Map<String, Integer> ranks() {
    Map<String, Integer> m = new HashMap<>();
    m.put(IndexFields.ID, PATIENT);
    for (SearchField f : SearchField.values()) {
      if (f.type() != SearchField.Type.REFERENCE) {
        continue;
      }
      int rank = f == SearchField.PATIENT ? PATIENT : REFERENCE;
      for (String name :
          List.of(
              IndexFields.refField(f),
              IndexFields.refIdField(f),
              IndexFields.identifierField(f),
              IndexFields.identifierValueField(f),
              IndexFields.keyField(f))) {
        m.put(name, rank);
      }
    }
    return Map.copyOf(m);
  }
}
