package org.atnabridge.store.lucene;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SortedNumericDocValues;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.search.Collector;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.LeafCollector;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.Scorable;
import org.apache.lucene.search.ScoreMode;
import org.atnabridge.store.Aggregation;
import org.atnabridge.store.internal.DateBuckets;
import org.atnabridge.store.internal.IndexFields;

/**
 * Terms and date-histogram aggregations over doc values, in one pass over the matching documents.
 * Terms count per segment by ordinal and merge by value, which is exact (unlike a multi-shard
 * Elasticsearch terms aggregation). Ordering matches Elasticsearch: count desc, then key asc.
 */
final class LuceneAggregations {

  private LuceneAggregations() {}

  static Map<String, List<Aggregation.Bucket>> compute(
      IndexSearcher s, Query q, List<Aggregation> aggs) throws IOException {
    if (aggs.isEmpty()) {
      return Map.of();
    }
    List<Map<String, Long>> terms = new ArrayList<>();
    List<Map<Long, Long>> dates = new ArrayList<>();
    for (Aggregation a : aggs) {
      terms.add(new HashMap<>());
      dates.add(new TreeMap<>());
    }
    s.search(
        q,
        new Collector() {
          @Override
          public LeafCollector getLeafCollector(LeafReaderContext ctx) throws IOException {
            int n = aggs.size();
            SortedSetDocValues[] sets = new SortedSetDocValues[n];
            long[][] ordCounts = new long[n][];
            SortedNumericDocValues[] nums = new SortedNumericDocValues[n];
            for (int i = 0; i < n; i++) {
              switch (aggs.get(i)) {
                case Aggregation.Terms t -> {
                  sets[i] =
                      DocValues.getSortedSet(ctx.reader(), IndexFields.aggregationField(t.field()));
                  ordCounts[i] =
                      new long[(int) Math.min(Integer.MAX_VALUE - 8, sets[i].getValueCount())];
                }
                case Aggregation.DateHistogram h ->
                    nums[i] = DocValues.getSortedNumeric(ctx.reader(), h.field().indexName());
              }
            }
            return new LeafCollector() {
              @Override
              public void setScorer(Scorable scorer) {}

              @Override
              public void collect(int doc) throws IOException {
                for (int i = 0; i < n; i++) {
                  if (sets[i] != null) {
                    if (sets[i].advanceExact(doc)) {
                      for (int k = 0; k < sets[i].docValueCount(); k++) {
                        ordCounts[i][(int) sets[i].nextOrd()]++;
                      }
                    }
                  } else if (nums[i].advanceExact(doc)) {
                    Aggregation.DateHistogram h = (Aggregation.DateHistogram) aggs.get(i);
                    long start = DateBuckets.start(nums[i].nextValue(), h.interval());
                    dates.get(i).merge(start, 1L, Long::sum);
                  }
                }
              }

              @Override
              public void finish() throws IOException {
                for (int i = 0; i < n; i++) {
                  if (sets[i] != null) {
                    for (int ord = 0; ord < ordCounts[i].length; ord++) {
                      if (ordCounts[i][ord] > 0) {
                        terms
                            .get(i)
                            .merge(
                                sets[i].lookupOrd(ord).utf8ToString(),
                                ordCounts[i][ord],
                                Long::sum);
                      }
                    }
                  }
                }
              }
            };
          }

          @Override
          public ScoreMode scoreMode() {
            return ScoreMode.COMPLETE_NO_SCORES;
          }
        });
    Map<String, List<Aggregation.Bucket>> out = new LinkedHashMap<>();
    for (int i = 0; i < aggs.size(); i++) {
      switch (aggs.get(i)) {
        case Aggregation.Terms t ->
            out.put(
                t.name(),
                terms.get(i).entrySet().stream()
                    .sorted(
                        Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                            .thenComparing(Map.Entry.comparingByKey()))
                    .limit(t.size())
                    .map(e -> new Aggregation.Bucket(e.getKey(), e.getValue()))
                    .toList());
        case Aggregation.DateHistogram h ->
            out.put(
                h.name(),
                dates.get(i).entrySet().stream()
                    .map(e -> new Aggregation.Bucket(DateBuckets.key(e.getKey()), e.getValue()))
                    .toList());
      }
    }
    return out;
  }
}
