package org.atnabridge.store;

import java.util.List;
import java.util.Map;
import org.hl7.fhir.r5.model.AuditEvent;
import org.jspecify.annotations.Nullable;

/**
 * One page of search results.
 *
 * @param events the events of this page, in the query's order
 * @param total how many events match the whole query (exact)
 * @param nextCursor opaque cursor for the next page, or null when this is the last page
 * @param aggregations results of the query's {@link Aggregation}s by name, computed over all
 *     matching events
 * @param previousCursor opaque cursor for the page before this one (the events just before its
 *     first, in the same order), or null when this is the first page
 */
public record AuditPage(
    List<AuditEvent> events,
    long total,
    @Nullable String nextCursor,
    Map<String, List<Aggregation.Bucket>> aggregations,
    @Nullable String previousCursor) {

  public AuditPage {
    events = List.copyOf(events);
    aggregations = Map.copyOf(aggregations);
  }

  public AuditPage(
      List<AuditEvent> events,
      long total,
      @Nullable String nextCursor,
      Map<String, List<Aggregation.Bucket>> aggregations) {
    this(events, total, nextCursor, aggregations, null);
  }

  public AuditPage(List<AuditEvent> events, long total, @Nullable String nextCursor) {
    this(events, total, nextCursor, Map.of());
  }

  /** The buckets of one aggregation, empty when the query did not ask for it. */
  public List<Aggregation.Bucket> buckets(String aggregation) {
    return aggregations.getOrDefault(aggregation, List.of());
  }
}
