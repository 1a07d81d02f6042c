package org.atnabridge.search.console;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One search an officer saved: its name and the query string of {@code /search?} (the AuditEvent
 * search parameters of the FHIR API), owned by one user.
 *
 * @param user the owner's subject: only they list or delete it
 * @param id random, unique per user
 * @param name what the officer called it
 * @param query the query string without its {@code ?}
 * @param created when it was saved
 */
public record SavedSearch(String user, String id, String name, String query, Instant created) {

  /** What the pages see: everything but the owner (always the caller). */
  Map<String, Object> view() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", id);
    m.put("name", name);
    m.put("query", query);
    m.put("created", created.toString());
    return m;
  }

  byte[] toJson() {
    Map<String, Object> m = new LinkedHashMap<>(view());
    m.put("user", user);
    return JSONObjectUtils.toJSONString(m).getBytes(StandardCharsets.UTF_8);
  }

  /** The record of {@code bytes}, or null when it is not one this API wrote. */
  static @Nullable SavedSearch fromJson(byte[] bytes) {
    try {
      Map<String, Object> m = JSONObjectUtils.parse(new String(bytes, StandardCharsets.UTF_8));
      String user = JSONObjectUtils.getString(m, "user");
      String id = JSONObjectUtils.getString(m, "id");
      String name = JSONObjectUtils.getString(m, "name");
      String query = JSONObjectUtils.getString(m, "query");
      String created = JSONObjectUtils.getString(m, "created");
      if (user == null || id == null || name == null || query == null || created == null) {
        return null;
      }
      return new SavedSearch(user, id, name, query, Instant.parse(created));
    } catch (ParseException | RuntimeException e) {
      return null;
    }
  }
}
