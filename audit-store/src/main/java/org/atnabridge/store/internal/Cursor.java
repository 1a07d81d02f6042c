package org.atnabridge.store.internal;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.atnabridge.store.SortOrder;
import org.jspecify.annotations.Nullable;

/**
 * A position between two hits of a sort order: the sort value (epoch millis of the sort field) and
 * the id, which breaks ties. A forward cursor (a page's next) asks for the hits after that
 * position; a backward one (a page's previous) for the hits before it, which the engines find with
 * the same search-after in the reversed order (field and id both reversed) and hand back in the
 * query's order. Opaque to clients as base64url of {@code "[ORDER~][<]millis:id"}: ORDER when not
 * the default order, {@code <} when backward; both engines read the same format, so a cursor works
 * on any instance and survives a change of engine. Keyset, not offset: pages stay stable while new
 * events arrive, and nothing is held on the server between pages.
 */
public record Cursor(SortOrder sort, long millis, String id, boolean backward) {

  public Cursor(SortOrder sort, long millis, String id) {
    this(sort, millis, id, false);
  }

  public Cursor(long recordedMillis, String id) {
    this(SortOrder.DATE_DESC, recordedMillis, id);
  }

  public String encode() {
    String prefix = (sort == SortOrder.DATE_DESC ? "" : sort.name() + "~") + (backward ? "<" : "");
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((prefix + millis + ":" + id).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * @throws IllegalArgumentException when the text is not a cursor of ours
   */
  public static Cursor decode(String text) {
    try {
      String s = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
      SortOrder sort = SortOrder.DATE_DESC;
      // ORDER~ only before the first ':', so an id may hold '~' (ids are not restricted here)
      int tilde = s.indexOf('~');
      int firstColon = s.indexOf(':');
      if (tilde > 0 && (firstColon < 0 || tilde < firstColon)) {
        sort = SortOrder.valueOf(s.substring(0, tilde));
        s = s.substring(tilde + 1);
      }
      boolean backward = s.startsWith("<");
      if (backward) {
        s = s.substring(1);
      }
      int colon = s.indexOf(':');
      if (colon <= 0 || colon == s.length() - 1) {
        throw new IllegalArgumentException("malformed");
      }
      return new Cursor(
          sort, Long.parseLong(s.substring(0, colon)), s.substring(colon + 1), backward);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid cursor: " + text, e);
    }
  }

  /** Decodes and checks that the cursor belongs to a query with this order. */
  public static Cursor decode(String text, SortOrder expected) {
    Cursor c = decode(text);
    if (c.sort != expected) {
      throw new IllegalArgumentException("cursor of a " + c.sort + " search used with " + expected);
    }
    return c;
  }

  /** The backward cursor at this position (the hits before it). */
  public Cursor reverse() {
    return new Cursor(sort, millis, id, true);
  }

  /**
   * The next cursor of a page whose hits, in the query's order, are at {@code positions}; the page
   * was searched from {@code cursor}, and {@code more} says whether hits remained beyond it in the
   * direction searched. A page reached backward always has a next (the page it came from).
   */
  public static @Nullable String next(
      @Nullable Cursor cursor, List<Cursor> positions, boolean more) {
    boolean exists = cursor != null && cursor.backward() ? true : more;
    return exists && !positions.isEmpty() ? positions.get(positions.size() - 1).encode() : null;
  }

  /**
   * The previous cursor of such a page. The first page has none; a page reached forward from a
   * cursor always has one (the page it came from).
   */
  public static @Nullable String previous(
      @Nullable Cursor cursor, List<Cursor> positions, boolean more) {
    boolean exists = cursor != null && (cursor.backward() ? more : true);
    return exists && !positions.isEmpty() ? positions.get(0).reverse().encode() : null;
  }
}
