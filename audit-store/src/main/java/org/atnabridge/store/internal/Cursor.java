package org.atnabridge.store.internal;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.atnabridge.store.SortOrder;

/**
 * Position after the last hit of a page: the sort value (epoch millis of the sort field) and the
 * id, which breaks ties. Opaque to clients as base64url of {@code "millis:id"} for the default
 * order and {@code "ORDER~millis:id"} for the others; both engines read the same format, so a
 * cursor works on any instance and survives a change of engine. Keyset, not offset: pages stay
 * stable while new events arrive, and nothing is held on the server between pages.
 */
public record Cursor(SortOrder sort, long millis, String id) {

  public Cursor(long recordedMillis, String id) {
    this(SortOrder.DATE_DESC, recordedMillis, id);
  }

  public String encode() {
    String prefix = sort == SortOrder.DATE_DESC ? "" : sort.name() + "~";
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString((prefix + millis + ":" + id).getBytes(StandardCharsets.UTF_8));
  }

  /** @throws IllegalArgumentException when the text is not a cursor of ours */
  public static Cursor decode(String text) {
    try {
      String s = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
      SortOrder sort = SortOrder.DATE_DESC;
      int tilde = s.indexOf('~');
      if (tilde > 0) {
        sort = SortOrder.valueOf(s.substring(0, tilde));
        s = s.substring(tilde + 1);
      }
      int colon = s.indexOf(':');
      if (colon <= 0 || colon == s.length() - 1) {
        throw new IllegalArgumentException("malformed");
      }
      return new Cursor(sort, Long.parseLong(s.substring(0, colon)), s.substring(colon + 1));
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
}
