package org.atnabridge.search.console;

import com.nimbusds.jose.util.JSONObjectUtils;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /console/saved-searches}: the signed-in officer's saved searches. {@code GET} lists them,
 * {@code POST} (JSON {@code {"name","query"}}) saves one, {@code DELETE
 * /console/saved-searches/{id}} deletes one. Writes must repeat the session's CSRF token in {@value
 * ConsoleSessions#CSRF_HEADER}. The owner is always the session's subject, never a value of the
 * request, so one officer can neither see nor delete another's searches (someone else's id is 404,
 * as an unknown one).
 */
final class SavedSearchEndpoint {

  private static final Logger LOG = LoggerFactory.getLogger(SavedSearchEndpoint.class);

  static final String PATH = "/console/saved-searches";

  private static final int MAX_BODY = 8 * 1024;
  private static final int MAX_NAME = 100;
  private static final int MAX_QUERY = 2_000;
  private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");

  private final ConsoleSessions sessions;
  private final SessionCookie cookie;
  private final SavedSearches store;

  SavedSearchEndpoint(ConsoleSessions sessions, SessionCookie cookie, SavedSearches store) {
    this.sessions = sessions;
    this.cookie = cookie;
    this.store = store;
  }

  static boolean handles(String path) {
    return path.equals(PATH) || path.startsWith(PATH + "/");
  }

  void handle(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    resp.setHeader("Cache-Control", "no-store");
    Optional<ConsoleSession> session = sessions.session(cookie.value(req));
    if (session.isEmpty()) {
      error(resp, 401, "not signed in");
      return;
    }
    String user = session.get().caller().subject();
    try {
      serve(req, resp, session.get(), user);
    } catch (SavedSearchesUnavailableException e) {
      // the reason (broker, topic) is for the operator's log, not the browser
      LOG.warn("saved search not written: {}", e.getMessage());
      resp.setHeader("Retry-After", "10");
      error(
          resp, 503, "saved searches cannot be written right now; nothing was changed, try again");
    }
  }

  private void serve(
      HttpServletRequest req, HttpServletResponse resp, ConsoleSession session, String user)
      throws IOException {
    String method = req.getMethod();
    String path = req.getRequestURI();
    if (!method.equals("GET")
        && !ConsoleSessions.csrfMatches(session, req.getHeader(ConsoleSessions.CSRF_HEADER))) {
      error(resp, 403, "a write must carry the session's " + ConsoleSessions.CSRF_HEADER);
      return;
    }
    if (path.equals(PATH)) {
      switch (method) {
        case "GET" ->
            json(
                resp,
                200,
                Map.of("searches", store.of(user).stream().map(SavedSearch::view).toList()));
        case "POST" -> save(req, resp, user);
        default -> error(resp, 405, "GET or POST");
      }
      return;
    }
    String id = path.substring(PATH.length() + 1);
    if (!method.equals("DELETE")) {
      error(resp, 405, "DELETE");
    } else if (ID.matcher(id).matches() && store.delete(user, id)) {
      resp.setStatus(204);
    } else {
      error(resp, 404, "no such saved search");
    }
  }

  private void save(HttpServletRequest req, HttpServletResponse resp, String user)
      throws IOException {
    byte[] body;
    try (InputStream in = req.getInputStream()) {
      body = in.readNBytes(MAX_BODY + 1);
    }
    if (body.length > MAX_BODY) {
      error(resp, 413, "at most " + MAX_BODY + " bytes");
      return;
    }
    String name;
    String query;
    try {
      Map<String, Object> m = JSONObjectUtils.parse(new String(body, StandardCharsets.UTF_8));
      name = JSONObjectUtils.getString(m, "name");
      query = JSONObjectUtils.getString(m, "query");
    } catch (ParseException e) {
      error(resp, 400, "the body must be JSON {\"name\": ..., \"query\": ...}");
      return;
    }
    name = name == null ? "" : name.strip();
    query = query == null ? "" : query.strip();
    if (query.startsWith("?")) {
      query = query.substring(1);
    }
    if (name.isEmpty() || name.length() > MAX_NAME || CONTROL.matcher(name).find()) {
      error(resp, 400, "name: 1 to " + MAX_NAME + " characters, no control characters");
      return;
    }
    if (query.length() > MAX_QUERY || CONTROL.matcher(query).find() || query.contains("#")) {
      error(resp, 400, "query: a query string of at most " + MAX_QUERY + " characters");
      return;
    }
    Optional<SavedSearch> saved = store.save(user, name, query);
    if (saved.isEmpty()) {
      error(resp, 409, "at most " + SavedSearches.MAX_PER_USER + " saved searches per user");
      return;
    }
    json(resp, 201, saved.get().view());
  }

  private static void error(HttpServletResponse resp, int status, String message)
      throws IOException {
    json(resp, status, Map.of("error", message));
  }

  private static void json(HttpServletResponse resp, int status, Map<String, ?> body)
      throws IOException {
    byte[] bytes = JSONObjectUtils.toJSONString(body).getBytes(StandardCharsets.UTF_8);
    resp.setStatus(status);
    resp.setContentType("application/json;charset=utf-8");
    resp.setContentLength(bytes.length);
    resp.getOutputStream().write(bytes);
  }
}
