package org.atnabridge.store.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.atnabridge.store.Aggregation;
import org.atnabridge.store.AuditPage;
import org.atnabridge.store.AuditQuery;
import org.atnabridge.store.SearchField;
import org.atnabridge.store.SortOrder;
import org.jspecify.annotations.Nullable;

/**
 * Keyset paging as both engines do it: the sort (the order's date field, then the id), the
 * search-after position of a {@link Cursor}, and the page built from the hits. A backward cursor
 * searches the same sort exactly reversed (field and id both flipped) from its position and hands
 * the hits back in the query's order. Each engine asks for one hit more than the page holds: its
 * presence says whether hits remain beyond the page in the direction searched.
 */
public final class Pages {

  private Pages() {}

  /** How an engine reads the sort values and the resource of one of its hits. */
  public interface HitReader<H> {
    long millis(H hit);

    String id(H hit);

    org.hl7.fhir.r5.model.AuditEvent event(H hit) throws IOException;
  }

  /**
   * The query's cursor, checked against its order, or null on a first page.
   *
   * @throws IllegalArgumentException for a cursor that is not ours or of another order
   */
  public static @Nullable Cursor cursor(AuditQuery query) {
    return query.cursor() == null ? null : Cursor.decode(query.cursor(), query.sort());
  }

  public static boolean backward(@Nullable Cursor cursor) {
    return cursor != null && cursor.backward();
  }

  /** The epoch-millis field the order sorts on. */
  public static String sortField(SortOrder order) {
    return order.field() == SearchField.LAST_UPDATED
        ? IndexFields.LAST_UPDATED
        : IndexFields.RECORDED;
  }

  /**
   * Whether the date field is searched descending: the order's direction, flipped when backward.
   */
  public static boolean descending(SortOrder order, boolean backward) {
    return order.descending() != backward;
  }

  /** How many hits to ask for: one more than the page, or none for a count-only query. */
  public static int hitsToFetch(int limit) {
    return limit == 0 ? 0 : limit + 1;
  }

  /** The page of {@code hits} (in the direction searched, at most {@link #hitsToFetch} of them). */
  public static <H> AuditPage assemble(
      AuditQuery query,
      @Nullable Cursor cursor,
      List<H> hits,
      HitReader<H> reader,
      long total,
      Map<String, List<Aggregation.Bucket>> aggregations)
      throws IOException {
    int n = Math.min(query.limit(), hits.size());
    List<org.hl7.fhir.r5.model.AuditEvent> events = new ArrayList<>(n);
    List<Cursor> positions = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      H hit = hits.get(i);
      events.add(reader.event(hit));
      positions.add(new Cursor(query.sort(), reader.millis(hit), reader.id(hit)));
    }
    if (backward(cursor)) {
      Collections.reverse(events);
      Collections.reverse(positions);
    }
    boolean more = hits.size() > query.limit(); // beyond this page in the direction searched
    return new AuditPage(
        events,
        total,
        Cursor.next(cursor, positions, more),
        aggregations,
        Cursor.previous(cursor, positions, more));
  }
}
