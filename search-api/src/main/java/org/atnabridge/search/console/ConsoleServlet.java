package org.atnabridge.search.console;

import com.nimbusds.jose.util.JSONObjectUtils;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.atnabridge.schemas.subscription.BuiltInTopics;
import org.atnabridge.schemas.vocab.CodeSystems;
import org.atnabridge.search.selfaudit.ControlCharacters;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console at {@code /}: the pages (one HTML shell whose ES modules draw each page from the
 * URL), their assets, sign-in by link ({@code GET /login?link=}) or by OpenID Connect ({@code GET
 * /signin/oidc}, back at {@value #OIDC_CALLBACK}; {@link OidcSignIn}), the session's description
 * for the pages ({@code GET /console/session}) and sign-out ({@code POST /console/logout}). Every
 * answer carries {@link #CSP}: scripts, styles and fetches from this server only, no inline code,
 * no {@code eval}, no framing. Audit data never passes here: the pages fetch it from {@code /fhir}.
 */
public final class ConsoleServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(ConsoleServlet.class);

  /**
   * The console's Content-Security-Policy (CSP Level 3): everything from this origin, nothing
   * inline, no eval (no {@code 'unsafe-*'} source anywhere); DOM sinks that parse HTML refuse plain
   * strings (Trusted Types), so a value written by the pages can never become markup. {@code
   * connect-src 'self'} also allows the alerts page's websocket to {@code /fhir/websocket} on this
   * origin ({@code ws:}/{@code wss:} match {@code 'self'} in CSP Level 3, as Chromium implements).
   */
  public static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
          + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
          + "require-trusted-types-for 'script'; trusted-types 'none'";

  /** The client-side routes that all get the shell page. */
  private static final Pattern PAGE =
      Pattern.compile(
          "/(search|signin|access-report|user-activity|alerts|saved-searches|event/[A-Za-z0-9\\-.]{1,64})");

  private static final Pattern ASSET = Pattern.compile("/assets/([a-z0-9-]{1,40})\\.(js|css|svg)");
  private static final String ASSETS = "/org/atnabridge/search/console/assets/";

  /** Where the provider sends the browser back after a sign-in by OpenID Connect. */
  public static final String OIDC_CALLBACK = "signin/oidc/callback";

  private final transient ConsoleSessions sessions;
  private final transient SessionCookie cookie;
  private final transient @Nullable SavedSearchEndpoint savedSearches;
  private final transient @Nullable OidcSignIn oidc;
  private final transient @Nullable SignInAudit audit;
  private final transient SessionCookie signInCookie;
  private final transient Supplier<String> consoleUrl;

  public ConsoleServlet(ConsoleSessions sessions, SessionCookie cookie) {
    this(sessions, cookie, null, () -> "/", null);
  }

  /**
   * @param oidc sign-in by OpenID Connect, or null for sign-in by link only
   * @param consoleUrl the console's root once the server runs (the callback URL is built on it,
   *     never on the request's Host header)
   * @param savedSearches where {@code /console/saved-searches} keeps them; null: no such endpoint
   */
  public ConsoleServlet(
      ConsoleSessions sessions,
      SessionCookie cookie,
      @Nullable OidcSignIn oidc,
      Supplier<String> consoleUrl,
      @Nullable SavedSearches savedSearches) {
    this(sessions, cookie, oidc, consoleUrl, savedSearches, null);
  }

  /**
   * @param audit where sign-ins, sign-outs and refused sign-ins are recorded; null: only logged
   */
  public ConsoleServlet(
      ConsoleSessions sessions,
      SessionCookie cookie,
      @Nullable OidcSignIn oidc,
      Supplier<String> consoleUrl,
      @Nullable SavedSearches savedSearches,
      @Nullable SignInAudit audit) {
    this.audit = audit;
    this.sessions = sessions;
    this.cookie = cookie;
    this.oidc = oidc;
    this.signInCookie = SessionCookie.signIn(cookie.name().startsWith("__Host-"));
    this.consoleUrl = consoleUrl;
    this.savedSearches =
        savedSearches == null ? null : new SavedSearchEndpoint(sessions, cookie, savedSearches);
  }

  /** Serves {@code /console/saved-searches} when there is a store; false when not handled. */
  private boolean savedSearches(HttpServletRequest req, HttpServletResponse resp)
      throws IOException {
    if (savedSearches == null || !SavedSearchEndpoint.handles(req.getRequestURI())) {
      return false;
    }
    savedSearches.handle(req, resp);
    return true;
  }

  @Override
  protected void doDelete(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    resp.setHeader("Content-Security-Policy", CSP);
    if (!savedSearches(req, resp)) {
      page(resp, 404, "Not found", "There is no page at this address.");
    }
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    resp.setHeader("Content-Security-Policy", CSP);
    String path = req.getRequestURI();
    if (path.equals("/")) {
      resp.setStatus(303);
      resp.setHeader("Location", "/search");
      return;
    }
    if (PAGE.matcher(path).matches()) {
      asset(resp, "index.html", "text/html;charset=utf-8");
      return;
    }
    var asset = ASSET.matcher(path);
    if (asset.matches()) {
      String type =
          switch (asset.group(2)) {
            case "js" -> "text/javascript;charset=utf-8";
            case "css" -> "text/css;charset=utf-8";
            default -> "image/svg+xml";
          };
      asset(resp, asset.group(1) + "." + asset.group(2), type);
      return;
    }
    if (savedSearches(req, resp)) {
      return;
    }
    switch (path) {
      case "/login" -> login(req, resp);
      case "/signin/oidc" -> startOidc(resp);
      case "/" + OIDC_CALLBACK -> finishOidc(req, resp);
      case "/console/sign-in" -> json(resp, 200, signInOptions());
      case "/console/session" -> describe(req, resp);
      default -> page(resp, 404, "Not found", "There is no page at this address.");
    }
  }

  @Override
  protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    resp.setHeader("Content-Security-Policy", CSP);
    if (savedSearches(req, resp)) {
      return;
    }
    if (!req.getRequestURI().equals("/console/logout")) {
      page(resp, 404, "Not found", "There is no page at this address.");
      return;
    }
    Optional<ConsoleSession> session = sessions.session(cookie.value(req));
    if (session.isPresent()) {
      if (!ConsoleSessions.csrfMatches(session.get(), req.getHeader(ConsoleSessions.CSRF_HEADER))) {
        resp.setStatus(403);
        return;
      }
      sessions.end(session.get());
      LOG.info("console: {} signed out", session.get().caller().subject());
      if (audit != null) {
        audit.signedOut(
            session.get().caller().subject(),
            oidc == null ? null : oidc.issuer(),
            req.getRemoteAddr());
      }
    }
    resp.addHeader("Set-Cookie", cookie.clear());
    resp.setStatus(204);
  }

  private void login(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String link = req.getParameter("link");
    ConsoleSessions.Redeemed redeemed =
        link == null
            ? new ConsoleSessions.Redeemed(null, ConsoleSessions.Refusal.INVALID)
            : sessions.redeem(link);
    ConsoleSession session = redeemed.session();
    if (session == null) {
      ConsoleSessions.Refusal refusal =
          redeemed.refusal() == null ? ConsoleSessions.Refusal.INVALID : redeemed.refusal();
      LOG.info("console: sign-in link refused from {}: {}", req.getRemoteAddr(), refusal);
      if (audit != null) {
        audit.refused(req.getRemoteAddr(), null, "console sign-in link refused: " + refusal);
      }
      page(
          resp,
          refusal == ConsoleSessions.Refusal.USED ? 410 : 400,
          "Sign-in refused",
          refusal.message);
      return;
    }
    LOG.info(
        "console: {} signed in by link from {} (scope {})",
        session.caller().subject(),
        req.getRemoteAddr(),
        session.scope());
    if (audit != null) {
      audit.signedIn(session.caller().subject(), null, req.getRemoteAddr());
    }
    resp.addHeader("Set-Cookie", cookie.set(session.cookie(), sessions.remaining(session)));
    // the link leaves the address bar and the history at once
    resp.setStatus(303);
    resp.setHeader("Location", "/search");
  }

  /** How this console signs in, for the sign-in page. */
  private Map<String, Object> signInOptions() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("links", oidc == null);
    if (oidc != null) {
      body.put("issuer", oidc.issuer());
      body.put("start", "/signin/oidc");
    }
    return body;
  }

  private void startOidc(HttpServletResponse resp) throws IOException {
    if (oidc == null) {
      page(resp, 404, "Not found", "This server signs in with one-time links only.");
      return;
    }
    Optional<OidcSignIn.Started> start = oidc.start(callbackUrl());
    if (start.isEmpty()) {
      resp.setHeader("Retry-After", "60");
      page(
          resp,
          503,
          "Sign-in busy",
          "Too many sign-ins are in progress on this server. Try again in a minute.");
      return;
    }
    OidcSignIn.Started started = start.get();
    resp.addHeader("Set-Cookie", signInCookie.set(started.cookie(), OidcSignIn.PENDING_TTL));
    resp.setHeader("Cache-Control", "no-store");
    resp.setStatus(303);
    resp.setHeader("Location", started.authorization().toString());
  }

  private void finishOidc(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    if (oidc == null) {
      page(resp, 404, "Not found", "This server signs in with one-time links only.");
      return;
    }
    OidcSignIn.Finished finished =
        oidc.finish(
            signInCookie.value(req),
            req.getParameter("state"),
            req.getParameter("code"),
            req.getParameter("error"));
    // the started sign-in is used up whatever the outcome
    resp.addHeader("Set-Cookie", signInCookie.clear());
    resp.setHeader("Cache-Control", "no-store");
    ConsoleSession session = finished.session();
    if (session == null) {
      OidcSignIn.Failure failure =
          finished.failure() == null ? OidcSignIn.Failure.NOT_STARTED : finished.failure();
      // the detail may quote the provider's answer or a token's claims: one line, escaped
      LOG.info(
          "console: sign-in with {} refused from {}: {} ({})",
          oidc.issuer(),
          req.getRemoteAddr(),
          failure,
          ControlCharacters.escape(finished.detail()));
      if (audit != null) {
        audit.refused(
            req.getRemoteAddr(),
            oidc.issuer(),
            "console sign-in with " + oidc.issuer() + " refused: " + failure);
      }
      page(
          resp,
          failure == OidcSignIn.Failure.TOKEN_ENDPOINT ? 502 : 400,
          "Sign-in refused",
          failure.message);
      return;
    }
    LOG.info(
        "console: {} signed in with {} from {} (scope {})",
        ControlCharacters.escape(session.caller().subject()),
        oidc.issuer(),
        req.getRemoteAddr(),
        session.scope());
    if (audit != null) {
      audit.signedIn(session.caller().subject(), oidc.issuer(), req.getRemoteAddr());
    }
    resp.addHeader("Set-Cookie", cookie.set(session.cookie(), sessions.remaining(session)));
    // the code and state leave the address bar and the history at once
    resp.setStatus(303);
    resp.setHeader("Location", "/search");
  }

  private String callbackUrl() {
    return Console.oidcRedirectUri(consoleUrl.get());
  }

  private void describe(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    Optional<ConsoleSession> session = sessions.session(cookie.value(req));
    if (session.isEmpty()) {
      json(resp, 401, Map.of("error", "not signed in"));
      return;
    }
    ConsoleSession s = session.get();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("subject", s.caller().subject());
    body.put("scope", s.scope());
    if (s.patient() != null) {
      body.put("patient", s.patient());
    }
    body.put("clearance", String.join(",", new TreeSet<>(s.clearance())));
    body.put("csrf", s.csrf());
    body.put("expires", s.expires().toString());
    body.put("vocabulary", VOCABULARY);
    body.put("savedSearches", savedSearches != null);
    json(resp, 200, body);
  }

  /**
   * The product's codes the pages write or search for, so that the scripts never spell one (the
   * vocabulary is declared once, in schemas).
   */
  private static final Map<String, String> VOCABULARY =
      Map.of(
          "alertRule", CodeSystems.ALERT_RULE,
          "alertId", CodeSystems.ALERT_ID,
          "alertHandling", CodeSystems.ALERT_HANDLING,
          "acknowledged", CodeSystems.ALERT_ACKNOWLEDGED,
          "securityAlertTopic", BuiltInTopics.SECURITY_ALERT);

  private static void json(HttpServletResponse resp, int status, Map<String, ?> body)
      throws IOException {
    byte[] bytes = JSONObjectUtils.toJSONString(body).getBytes(StandardCharsets.UTF_8);
    resp.setStatus(status);
    resp.setContentType("application/json;charset=utf-8");
    resp.setContentLength(bytes.length);
    resp.getOutputStream().write(bytes);
  }

  private static void asset(HttpServletResponse resp, String name, String type) throws IOException {
    try (InputStream in = ConsoleServlet.class.getResourceAsStream(ASSETS + name)) {
      if (in == null) {
        page(resp, 404, "Not found", "There is no page at this address.");
        return;
      }
      byte[] bytes = in.readAllBytes();
      resp.setStatus(200);
      resp.setContentType(type);
      resp.setContentLength(bytes.length);
      resp.getOutputStream().write(bytes);
    }
  }

  /** A static page with one message: no script, every text escaped. */
  static void page(HttpServletResponse resp, int status, String title, String message)
      throws IOException {
    String html =
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            + "<title>"
            + escape(title)
            + " · ATNA Bridge</title><link rel=\"stylesheet\" href=\"/assets/console.css\">"
            + "</head><body><main id=\"main\" class=\"notice\"><h1>"
            + escape(title)
            + "</h1><p id=\"message\">"
            + escape(message)
            + "</p><p><a href=\"/signin\">How to sign in</a></p></main></body></html>";
    byte[] bytes = html.getBytes(StandardCharsets.UTF_8);
    resp.setStatus(status);
    resp.setContentType("text/html;charset=utf-8");
    resp.setContentLength(bytes.length);
    resp.getOutputStream().write(bytes);
  }

  static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
