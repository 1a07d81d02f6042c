package org.atnabridge.search.security;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.Locale;
import java.util.Set;
import org.atnabridge.search.selfaudit.ControlCharacters;
import org.atnabridge.search.selfaudit.RecordLabels;
import org.atnabridge.search.selfaudit.RequestScrubber;
import org.atnabridge.search.selfaudit.SecurityAlertEvents;
import org.atnabridge.search.selfaudit.SecurityAlerts;
import org.atnabridge.search.selfaudit.SelfAuditInterceptor;
import org.hl7.fhir.r5.model.OperationOutcome;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates every request under {@code /fhir} before HAPI sees it: a valid bearer JWT or 401
 * with {@code WWW-Authenticate: Bearer} (RFC 6750: with {@code error="invalid_token"} when a token
 * was presented, without an error code when none was). Only the CapabilityStatement ({@code GET
 * /fhir/metadata}) is public. A token in the query string is refused with 400 {@code
 * invalid_request} before anything else (RFC 6750 §2.3: URLs end up in logs and histories), and its
 * value is recorded nowhere. The caller is bound to the thread for the request ({@link
 * RequestAccess}) and named to the self-audit; every refusal (401, 403, a 404 by policy) is
 * recorded as a Security Alert once the request is done.
 */
public final class AuthenticationFilter implements Filter {

  private static final Logger LOG = LoggerFactory.getLogger(AuthenticationFilter.class);

  /** The realm of every Bearer challenge (RFC 6750 §3). */
  public static final String REALM = "atna-bridge";

  /** The form parameter of RFC 6750 §2.3, refused here. */
  static final String QUERY_TOKEN = "access_token";

  /** The unrestricted caller of {@code --dev-allow-unauthenticated}. */
  static final Caller ANONYMOUS =
      new Caller("anonymous", SmartScopes.parse("system/*.cruds"), null, Set.of("V"), null);

  private final TokenValidator validator;
  private final boolean allowUnauthenticated;
  private final @Nullable SecurityAlerts alerts;
  private final String repository;
  private final Clock clock;
  private final RequestScrubber scrubber;

  public AuthenticationFilter(
      AuthSettings settings, @Nullable SecurityAlerts alerts, String repository, Clock clock) {
    this(settings, alerts, repository, clock, RequestScrubber.DEFAULT);
  }

  /**
   * @param scrubber how the refused request is written into alerts and the log
   */
  public AuthenticationFilter(
      AuthSettings settings,
      @Nullable SecurityAlerts alerts,
      String repository,
      Clock clock,
      RequestScrubber scrubber) {
    this.validator = new TokenValidator(settings);
    this.allowUnauthenticated = settings.allowUnauthenticated();
    this.alerts = alerts;
    this.repository = repository;
    this.clock = clock;
    this.scrubber = scrubber;
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest request = (HttpServletRequest) req;
    HttpServletResponse response = (HttpServletResponse) res;
    if (RequestScrubber.hasParameter(request.getQueryString(), QUERY_TOKEN)) {
      refuse(
          request,
          response,
          400,
          "invalid_request",
          OperationOutcome.IssueType.INVALID,
          "send the access token in the Authorization header, not in the URL",
          "access token in the query string");
      return;
    }
    if (isPublic(request)) {
      chain.doFilter(req, res);
      return;
    }
    String header = request.getHeader("Authorization");
    Caller caller;
    if (header == null || header.isBlank()) {
      if (!allowUnauthenticated) {
        unauthorized(request, response, null, "no bearer token");
        return;
      }
      caller = ANONYMOUS;
    } else if (!header.regionMatches(true, 0, "Bearer ", 0, 7) || header.substring(7).isBlank()) {
      unauthorized(request, response, "invalid_token", "authorization is not a bearer token");
      return;
    } else {
      try {
        caller = validator.validate(header.substring(7).trim());
      } catch (TokenValidator.InvalidTokenException e) {
        unauthorized(request, response, "invalid_token", "invalid token: " + e.getMessage());
        return;
      }
    }
    RequestAccess access = new RequestAccess(caller);
    RequestAccess.bind(access);
    request.setAttribute(SelfAuditInterceptor.CALLER_ATTRIBUTE, caller.subject());
    request.setAttribute(RecordLabels.ATTRIBUTE, access.recordLabels());
    try {
      chain.doFilter(req, res);
    } finally {
      RequestAccess.clear();
      int status = response.getStatus();
      if (status == 401 || status == 403 || access.denial() != null) {
        String reason =
            access.denial() != null
                ? access.denial()
                : status == 403 ? "refused: scopes " + caller.scopes() : "refused";
        // a refusal is expected traffic: one INFO line, never a stack trace
        LOG.info(
            "{} for {} from {} (sub {}): {}",
            status,
            requestLine(request),
            request.getRemoteAddr(),
            ControlCharacters.escape(caller.subject()),
            ControlCharacters.escape(reason));
        alert(request, status, caller.subject(), reason);
      }
    }
  }

  private static boolean isPublic(HttpServletRequest request) {
    String path = request.getPathInfo() == null ? "" : request.getPathInfo();
    String method = request.getMethod().toUpperCase(Locale.ROOT);
    return (method.equals("GET") || method.equals("HEAD"))
        && (path.equals("/metadata") || path.equals("/metadata/"));
  }

  private void unauthorized(
      HttpServletRequest request,
      HttpServletResponse response,
      @Nullable String error,
      String reason)
      throws IOException {
    refuse(
        request,
        response,
        401,
        error,
        OperationOutcome.IssueType.LOGIN,
        "authentication required",
        reason);
  }

  /** Answers {@code status} with a Bearer challenge and an opaque outcome, logs and alerts. */
  private void refuse(
      HttpServletRequest request,
      HttpServletResponse response,
      int status,
      @Nullable String error,
      OperationOutcome.IssueType type,
      String diagnostics,
      String reason)
      throws IOException {
    // the reason may quote the token (a JWT header's typ, say): one line, escaped, in the log
    LOG.info(
        "{} for {} from {}: {}",
        status,
        requestLine(request),
        request.getRemoteAddr(),
        ControlCharacters.escape(reason));
    response.setHeader(
        "WWW-Authenticate",
        "Bearer realm=\"" + REALM + "\"" + (error == null ? "" : ", error=\"" + error + "\""));
    OutcomeResponses.write(response, status, type, diagnostics);
    response.flushBuffer(); // the client has its answer before the alert is written
    alert(request, status, null, reason);
  }

  private String requestLine(HttpServletRequest request) {
    return scrubber.target(request.getMethod(), request.getRequestURI(), request.getQueryString());
  }

  private void alert(
      HttpServletRequest request, int status, @Nullable String caller, String reason) {
    if (alerts == null) {
      return;
    }
    RecordLabels labels = RecordLabels.of(request::getAttribute);
    labels.patientParameters(request.getQueryString());
    alerts.record(
        new SecurityAlertEvents.Denial(
            status,
            requestLine(request),
            caller,
            request.getRemoteAddr(),
            repository,
            ControlCharacters.escape(reason),
            clock.instant()),
        labels);
  }
}
