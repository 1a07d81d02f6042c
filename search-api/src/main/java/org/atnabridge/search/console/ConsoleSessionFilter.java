package org.atnabridge.search.console;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Lets the console's session cookie stand for a bearer token on the FHIR API, in front of the API's
 * authentication filter: a request with no {@code Authorization} header and a live session cookie
 * goes on carrying the session's token as {@code Authorization: Bearer}, so scopes, patient scope,
 * label clearance and the self-audit apply exactly as to any API caller. A state-changing request
 * (anything but GET, HEAD, OPTIONS) must also repeat the session's CSRF token in {@value
 * ConsoleSessions#CSRF_HEADER}, otherwise 403: a cookie is sent by the browser on its own, a header
 * only by the console's script. A dead cookie (expired, signed out, forged) is ignored: the request
 * then has no credential and the API answers 401.
 */
public final class ConsoleSessionFilter implements Filter {

  private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");

  private final ConsoleSessions sessions;
  private final SessionCookie cookie;

  public ConsoleSessionFilter(ConsoleSessions sessions, SessionCookie cookie) {
    this.sessions = sessions;
    this.cookie = cookie;
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest request = (HttpServletRequest) req;
    String value = request.getHeader("Authorization") == null ? cookie.value(request) : null;
    Optional<ConsoleSession> session = sessions.session(value);
    if (session.isEmpty()) {
      chain.doFilter(req, res);
      return;
    }
    if (!SAFE.contains(request.getMethod().toUpperCase(Locale.ROOT))
        && !ConsoleSessions.csrfMatches(
            session.get(), request.getHeader(ConsoleSessions.CSRF_HEADER))) {
      HttpServletResponse response = (HttpServletResponse) res;
      byte[] body =
          ("{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\","
                  + "\"code\":\"forbidden\",\"diagnostics\":\"a request made with the console's "
                  + "session cookie must carry the session's "
                  + ConsoleSessions.CSRF_HEADER
                  + " header\"}]}")
              .getBytes(StandardCharsets.UTF_8);
      response.setStatus(403);
      // the request body is left unread: the connection cannot carry another request, and a
      // client must not reuse it (without this, one that did got no answer at all)
      response.setHeader("Connection", "close");
      response.setContentType("application/fhir+json;charset=utf-8");
      response.setContentLength(body.length);
      response.getOutputStream().write(body);
      return;
    }
    chain.doFilter(new WithBearer(request, "Bearer " + session.get().token()), res);
  }

  /** The request as if the client had sent the session's token as a bearer token. */
  private static final class WithBearer extends HttpServletRequestWrapper {
    private final String authorization;

    WithBearer(HttpServletRequest request, String authorization) {
      super(request);
      this.authorization = authorization;
    }

    @Override
    public String getHeader(String name) {
      return "Authorization".equalsIgnoreCase(name) ? authorization : super.getHeader(name);
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
      return "Authorization".equalsIgnoreCase(name)
          ? Collections.enumeration(List.of(authorization))
          : super.getHeaders(name);
    }

    @Override
    public Enumeration<String> getHeaderNames() {
      List<String> names = Collections.list(super.getHeaderNames());
      if (names.stream().noneMatch("Authorization"::equalsIgnoreCase)) {
        names.add("Authorization");
      }
      return Collections.enumeration(names);
    }
  }
}
