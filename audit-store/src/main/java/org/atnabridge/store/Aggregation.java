package org.atnabridge.store;

import java.util.Objects;

/**
 * A summary computed over every event that matches a query (not just the page), for reports and the
 * UI. Results come back in {@link AuditPage#aggregations()} under the aggregation's name.
 */
public sealed interface Aggregation {

  /** The key of the result in {@link AuditPage#aggregations()}. */
  String name();

  /**
   * The {@code size} most frequent values of a field, most frequent first, ties by value. Token
   * fields count {@code system|code}, references their literal reference or identifier token,
   * strings their exact value. On a multi-shard Elasticsearch index counts of the tail may be
   * approximate (documented ES behaviour); single-shard and Lucene are exact.
   */
  record Terms(String name, SearchField field, int size) implements Aggregation {
    public Terms {
      Objects.requireNonNull(name, "name");
      if (field.type() == SearchField.Type.DATE) {
        throw new IllegalArgumentException(
            "terms on the date field " + field.code() + ": use a DateHistogram");
      }
      if (size < 1 || size > 1000) {
        throw new IllegalArgumentException("size must be 1..1000: " + size);
      }
    }
  }

  /** Counts per calendar interval (UTC) of a date field; only non-empty buckets, oldest first. */
  record DateHistogram(String name, SearchField field, Interval interval) implements Aggregation {
    public DateHistogram {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(interval, "interval");
      if (field.type() != SearchField.Type.DATE) {
        throw new IllegalArgumentException(field.code() + " is not a date field");
      }
    }
  }

  /** Calendar intervals in UTC; weeks start on Monday (ISO 8601), as in Elasticsearch. */
  enum Interval {
    HOUR,
    DAY,
    WEEK,
    MONTH
  }

  /** One bucket: a value (or the ISO-8601 start instant of an interval) and how many events. */
  record Bucket(String key, long count) {}
}
