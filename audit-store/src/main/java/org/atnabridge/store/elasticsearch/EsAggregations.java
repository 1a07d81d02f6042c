package org.atnabridge.store.elasticsearch;

import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.aggregations.Aggregate;
import co.elastic.clients.elasticsearch._types.aggregations.CalendarInterval;
import co.elastic.clients.elasticsearch.core.SearchRequest;
import co.elastic.clients.util.NamedValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.atnabridge.store.Aggregation;
import org.atnabridge.store.internal.IndexFields;

/**
 * {@link Aggregation}s as Elasticsearch aggregations and back. Terms are ordered as the Lucene
 * engine orders them (count desc, then key asc), with a shard size well above the size so that a
 * multi-shard index rarely misses a top term.
 */
final class EsAggregations {

  private EsAggregations() {}

  static void request(SearchRequest.Builder s, List<Aggregation> aggregations) {
    for (Aggregation a : aggregations) {
      switch (a) {
        case Aggregation.Terms t ->
            s.aggregations(
                t.name(),
                ag ->
                    ag.terms(
                        x ->
                            x.field(IndexFields.aggregationField(t.field()))
                                .size(t.size())
                                .shardSize(Math.max(100, t.size() * 5))
                                .order(
                                    List.of(
                                        NamedValue.of("_count", SortOrder.Desc),
                                        NamedValue.of("_key", SortOrder.Asc)))));
        case Aggregation.DateHistogram h ->
            s.aggregations(
                h.name(),
                ag ->
                    ag.dateHistogram(
                        x ->
                            x.field(h.field().indexName())
                                .calendarInterval(interval(h.interval()))
                                .minDocCount(1)));
      }
    }
  }

  static Map<String, List<Aggregation.Bucket>> buckets(
      List<Aggregation> aggregations, Map<String, Aggregate> result) {
    Map<String, List<Aggregation.Bucket>> out = new LinkedHashMap<>();
    for (Aggregation a : aggregations) {
      Aggregate r = result.get(a.name());
      List<Aggregation.Bucket> buckets = new ArrayList<>();
      if (r != null && r.isSterms()) {
        r.sterms()
            .buckets()
            .array()
            .forEach(b -> buckets.add(new Aggregation.Bucket(b.key().stringValue(), b.docCount())));
      } else if (r != null && r.isDateHistogram()) {
        r.dateHistogram()
            .buckets()
            .array()
            .forEach(
                b ->
                    buckets.add(
                        new Aggregation.Bucket(
                            Instant.ofEpochMilli(b.key()).toString(), b.docCount())));
      }
      out.put(a.name(), buckets);
    }
    return out;
  }

  private static CalendarInterval interval(Aggregation.Interval i) {
    return switch (i) {
      case HOUR -> CalendarInterval.Hour;
      case DAY -> CalendarInterval.Day;
      case WEEK -> CalendarInterval.Week;
      case MONTH -> CalendarInterval.Month;
    };
  }
}
