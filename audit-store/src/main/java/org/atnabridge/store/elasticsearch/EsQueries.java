package org.atnabridge.store.elasticsearch;

import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.query_dsl.Operator;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import org.atnabridge.store.internal.QueryNode;

/** {@link QueryNode} → Elasticsearch query DSL, all in filter context (no scoring). */
final class EsQueries {

  private EsQueries() {}

  static Query toQuery(QueryNode n) {
    return switch (n) {
      case QueryNode.All a -> Query.of(q -> q.matchAll(m -> m));
      case QueryNode.None x -> Query.of(q -> q.matchNone(m -> m));
      case QueryNode.Terms t ->
          t.values().size() == 1
              ? Query.of(q -> q.term(x -> x.field(t.field()).value(t.values().get(0))))
              : Query.of(
                  q ->
                      q.terms(
                          x ->
                              x.field(t.field())
                                  .terms(
                                      v ->
                                          v.value(
                                              t.values().stream().map(FieldValue::of).toList()))));
      case QueryNode.Prefix p -> Query.of(q -> q.prefix(x -> x.field(p.field()).value(p.prefix())));
      case QueryNode.Contains c ->
          Query.of(q -> q.wildcard(x -> x.field(c.field()).value(c.wildcard())));
      case QueryNode.Range r ->
          Query.of(
              q ->
                  q.range(
                      x ->
                          x.date(
                              d -> {
                                d.field(r.field()).format("epoch_millis");
                                if (r.from() != Long.MIN_VALUE) {
                                  d.gte(String.valueOf(r.from()));
                                }
                                if (r.to() != Long.MAX_VALUE) {
                                  d.lte(String.valueOf(r.to()));
                                }
                                return d;
                              })));
      case QueryNode.Text t ->
          Query.of(q -> q.match(m -> m.field(t.field()).query(t.text()).operator(Operator.And)));
      case QueryNode.And a ->
          Query.of(
              q ->
                  q.bool(
                      b -> {
                        a.must().forEach(m -> b.filter(toQuery(m)));
                        a.not().forEach(m -> b.mustNot(toQuery(m)));
                        return b;
                      }));
      case QueryNode.Or o ->
          Query.of(
              q ->
                  q.bool(
                      b ->
                          b.should(o.any().stream().map(EsQueries::toQuery).toList())
                              .minimumShouldMatch("1")));
    };
  }
}
