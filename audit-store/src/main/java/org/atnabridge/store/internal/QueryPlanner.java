package org.atnabridge.store.internal;

import static org.atnabridge.store.internal.AuditEventDocument.normalize;
import static org.atnabridge.store.internal.AuditEventDocument.normalizeReference;
import static org.atnabridge.store.internal.IndexFields.*;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.atnabridge.store.AuditQuery;
import org.atnabridge.store.Criterion;
import org.atnabridge.store.IdentifierToken;
import org.atnabridge.store.SearchField;
import org.jspecify.annotations.Nullable;

/**
 * {@link AuditQuery} → {@link QueryNode}: the FHIR search semantics (token systems, references by
 * id, type/id or identifier, date ranges at millisecond resolution, string normalisation, {@code
 * :missing}, {@code :not}) are decided here once for both engines. The cursor and the sort are not
 * part of the node; each engine applies them natively (search_after). {@link DocumentMatcher}
 * evaluates the same node on one document in memory.
 */
public final class QueryPlanner {

  private QueryPlanner() {}

  public static QueryNode plan(AuditQuery q) {
    List<QueryNode> must = new ArrayList<>();
    List<QueryNode> not = new ArrayList<>();
    if (q.recordedFrom() != null || q.recordedTo() != null) {
      must.add(range(RECORDED, q.recordedFrom(), q.recordedTo()));
    }
    for (Criterion c : q.criteria()) {
      add(c, must, not);
    }
    if (q.text() != null) {
      must.add(new QueryNode.Text(TEXT, q.text()));
    }
    if (must.stream().anyMatch(n -> n instanceof QueryNode.None)) {
      return new QueryNode.None();
    }
    if (not.isEmpty() && must.isEmpty()) {
      return new QueryNode.All();
    }
    if (not.isEmpty() && must.size() == 1) {
      return must.get(0);
    }
    return new QueryNode.And(must, not);
  }

  private static void add(Criterion c, List<QueryNode> must, List<QueryNode> not) {
    switch (c) {
      case Criterion.Token t -> {
        QueryNode n = or(t.anyOf().stream().map(v -> token(t.field(), v)).toList());
        (t.not() ? not : must).add(n);
      }
      case Criterion.Reference r ->
          must.add(or(r.anyOf().stream().map(v -> reference(r.field(), v)).toList()));
      case Criterion.Date d ->
          must.add(
              or(
                  d.anyOf().stream()
                      .map(r -> range(d.field().indexName(), r.from(), r.to()))
                      .toList()));
      case Criterion.Uri u -> must.add(new QueryNode.Terms(u.field().indexName(), u.anyOf()));
      case Criterion.Text s ->
          must.add(or(s.anyOf().stream().flatMap(v -> string(s, v).stream()).toList()));
      case Criterion.Missing
              m -> { // one path for every field: the extraction notes each field that has a value
        QueryNode present = new QueryNode.Terms(PRESENT, List.of(m.field().code()));
        (m.missing() ? not : must).add(present);
      }
    }
  }

  /** One value of a string criterion; {@code address} in each of its notations. */
  private static List<QueryNode> string(Criterion.Text s, String v) {
    boolean address = s.field() == SearchField.ADDRESS;
    return switch (s.match()) {
      case EXACT ->
          List.of(
              new QueryNode.Terms(
                  exactField(s.field()), address ? NetworkAddresses.exactForms(v) : List.of(v)));
      case STARTS_WITH ->
          (address ? NetworkAddresses.prefixes(v) : List.of(v))
              .stream()
                  .map(p -> (QueryNode) new QueryNode.Prefix(normField(s.field()), normalize(p)))
                  .toList();
      case CONTAINS ->
          List.of(
              new QueryNode.Contains(
                  normField(s.field()), normalize(address ? NetworkAddresses.infix(v) : v)));
    };
  }

  private static QueryNode token(SearchField f, IdentifierToken t) {
    if (f == SearchField.ID) {
      return new QueryNode.Terms(ID, List.of(t.value()));
    }
    if (t.system() == null) {
      return new QueryNode.Terms(valueField(f), List.of(t.value()));
    }
    return new QueryNode.Terms(
        tokenField(f),
        List.of(IndexFields.token(t.system().isEmpty() ? null : t.system(), t.value())));
  }

  private static QueryNode reference(SearchField f, Criterion.ReferenceValue v) {
    IdentifierToken t = v.identifier();
    if (t != null) {
      return t.system() == null
          ? new QueryNode.Terms(identifierValueField(f), List.of(t.value()))
          : new QueryNode.Terms(
              identifierField(f),
              List.of(IndexFields.token(t.system().isEmpty() ? null : t.system(), t.value())));
    }
    String ref = java.util.Objects.requireNonNull(v.reference());
    return ref.contains("/")
        ? new QueryNode.Terms(refField(f), List.of(normalizeReference(ref)))
        : new QueryNode.Terms(refIdField(f), List.of(ref));
  }

  /** Merges alternatives that are term lookups on the same field into one set lookup. */
  private static QueryNode or(List<QueryNode> nodes) {
    Map<String, List<String>> terms = new LinkedHashMap<>();
    List<QueryNode> other = new ArrayList<>();
    for (QueryNode n : nodes) {
      if (n instanceof QueryNode.Terms t) {
        terms.computeIfAbsent(t.field(), k -> new ArrayList<>()).addAll(t.values());
      } else if (!(n instanceof QueryNode.None)) {
        other.add(n);
      }
    }
    terms.forEach(
        (field, values) ->
            other.add(new QueryNode.Terms(field, values.stream().distinct().toList())));
    if (other.isEmpty()) {
      return new QueryNode.None();
    }
    return other.size() == 1 ? other.get(0) : new QueryNode.Or(other);
  }

  /**
   * [from, to) as inclusive epoch millis, the resolution events are indexed at: a sub-millisecond
   * {@code from} rounds up, {@code to} becomes the last millisecond before it.
   */
  static QueryNode range(String field, @Nullable Instant from, @Nullable Instant to) {
    long f = from == null ? Long.MIN_VALUE : ceilMillis(from);
    long t = to == null ? Long.MAX_VALUE : exclusiveToInclusive(to);
    return f > t ? new QueryNode.None() : new QueryNode.Range(field, f, t);
  }

  private static long ceilMillis(Instant i) {
    long ms = i.toEpochMilli();
    return i.getNano() % 1_000_000 == 0 ? ms : ms + 1;
  }

  private static long exclusiveToInclusive(Instant i) {
    long ms = i.toEpochMilli();
    return i.getNano() % 1_000_000 == 0 ? ms - 1 : ms;
  }
}
