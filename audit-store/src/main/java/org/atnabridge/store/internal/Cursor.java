package org.atnabridge.store.internal;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Position after the last hit of a page in the order (recorded desc, id asc). Opaque to clients
 * as base64url of {@code "recordedMillis:id"}; both engines read the same format, so a cursor
 * survives a change of engine over the same data. Keyset, not offset: pages stay stable while
 * new events arrive.
 */
public record Cursor(long recordedMillis, String id) {

  public String encode() {
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString((recordedMillis + ":" + id).getBytes(StandardCharsets.UTF_8));
  }

  /** @throws IllegalArgumentException when the text is not a cursor of ours */
  public static Cursor decode(String text) {
    try {
      String s = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
      int colon = s.indexOf(':');
      if (colon <= 0 || colon == s.length() - 1) {
        throw new IllegalArgumentException("malformed");
      }
      return new Cursor(Long.parseLong(s.substring(0, colon)), s.substring(colon + 1));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid cursor: " + text, e);
    }
  }
}
