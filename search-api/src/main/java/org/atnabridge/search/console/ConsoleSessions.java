package org.atnabridge.search.console;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.atnabridge.search.security.AuthSettings;
import org.atnabridge.search.security.Caller;
import org.atnabridge.search.security.LocalIssuer;
import org.atnabridge.search.security.TokenValidator;
import org.jspecify.annotations.Nullable;

/**
 * Sign-in links and sessions of the local issuer, with no session table.
 *
 * <p>A sign-in link carries a token the local issuer signed for the audience {@value
 * #LINK_AUDIENCE}, which the FHIR API refuses (its audience is {@link LocalIssuer#AUDIENCE}): the
 * link grants nothing until it is redeemed. Redeeming it checks signature and expiry, marks its
 * {@code jti} used in the data dir ({@link ConsoleState}: a second use is refused, from any process
 * sharing the data dir), and mints the session: an ordinary API access token with the link's
 * subject, scopes, patient and clearance, plus a random {@code csrf} claim. That token is the
 * cookie's value, so any API process that trusts the key accepts the session; only signed-out
 * sessions are remembered ({@code revoked/}).
 */
public final class ConsoleSessions {

  /** The audience of sign-in link tokens; never the API's. */
  public static final String LINK_AUDIENCE = "urn:atna-bridge:console-sign-in";

  /** The header that repeats the session's CSRF token on every state-changing request. */
  public static final String CSRF_HEADER = "X-CSRF-Token";

  static final String CSRF_CLAIM = "csrf";

  public static final Duration DEFAULT_LINK_TTL = Duration.ofMinutes(15);
  public static final Duration DEFAULT_SESSION_TTL = Duration.ofHours(8);

  /** Why a link was not redeemed; {@link #message} is shown to the person who clicked it. */
  public enum Refusal {
    USED("This sign-in link has already been used. Each link signs in once: ask for a new one."),
    EXPIRED("This sign-in link has expired. Ask for a new one (atna-bridge login-link)."),
    INVALID("This is not a valid sign-in link for this server.");

    public final String message;

    Refusal(String message) {
      this.message = message;
    }
  }

  /** The outcome of {@link #redeem}: a session, or why there is none. */
  public record Redeemed(@Nullable ConsoleSession session, @Nullable Refusal refusal) {}

  /** Between the provider's token and the CSRF token in the cookie of an OIDC session. */
  static final char BOUND_CSRF = '~';

  private final @Nullable LocalIssuer issuer;
  private final ConsoleState state;
  private final @Nullable TokenValidator links;
  private final TokenValidator sessions;
  private final Duration sessionTtl;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  /**
   * @param issuer the local issuer, or null for sessions of an external provider ({@link
   *     #external})
   * @param api the API's token settings when they trust {@code issuer} (claims, skew), so that a
   *     session token means exactly what it means to the API
   */
  public ConsoleSessions(
      @Nullable LocalIssuer issuer,
      AuthSettings api,
      ConsoleState state,
      Duration sessionTtl,
      Clock clock) {
    this.issuer = issuer;
    this.state = state;
    this.sessionTtl = sessionTtl;
    this.clock = clock;
    this.sessions = new TokenValidator(api);
    this.links =
        issuer == null
            ? null
            : new TokenValidator(
                new AuthSettings(
                    LocalIssuer.ISSUER,
                    LINK_AUDIENCE,
                    api.keys(),
                    api.clockSkew(),
                    api.patientClaim(),
                    api.clearanceClaim(),
                    null,
                    api.deniedRead(),
                    false));
  }

  /**
   * Sessions of an external OpenID Connect provider's access tokens ({@link #adopt}): no sign-in
   * links. The cookie carries the provider's token and a random CSRF token bound to it; the API
   * checks the token as it checks any bearer token, so the session ends when the token expires.
   */
  public static ConsoleSessions external(AuthSettings api, ConsoleState state, Clock clock) {
    return new ConsoleSessions(null, api, state, Duration.ZERO, clock);
  }

  /**
   * A session of an access token the provider issued at sign-in, if the API accepts it.
   *
   * @throws TokenValidator.InvalidTokenException when the API would refuse the token
   */
  public ConsoleSession adopt(String accessToken) throws TokenValidator.InvalidTokenException {
    if (issuer != null) {
      throw new IllegalStateException("the console signs in by link with the local issuer");
    }
    return external(accessToken, randomToken()).orElseThrow();
  }

  /**
   * A sign-in link to {@code consoleUrl} (the console's root, e.g. {@code http://127.0.0.1:8080/}).
   */
  public static String link(
      LocalIssuer issuer,
      String consoleUrl,
      String subject,
      String scope,
      @Nullable String patient,
      Set<String> clearance,
      Duration ttl) {
    String token = issuer.mint(LINK_AUDIENCE, subject, scope, patient, clearance, ttl, Map.of());
    String root = consoleUrl.endsWith("/") ? consoleUrl : consoleUrl + "/";
    return root + "login?link=" + URLEncoder.encode(token, StandardCharsets.US_ASCII);
  }

  /** Redeems a link's token once: the session it becomes, or why not. */
  public Redeemed redeem(String linkToken) {
    if (issuer == null || links == null) {
      return new Redeemed(null, Refusal.INVALID);
    }
    Caller who;
    Instant linkExpires;
    try {
      who = links.validate(linkToken);
      linkExpires = expiry(linkToken);
    } catch (TokenValidator.InvalidTokenException | ParseException e) {
      String reason = String.valueOf(e.getMessage());
      return new Redeemed(null, reason.contains("Expired") ? Refusal.EXPIRED : Refusal.INVALID);
    }
    String jti = who.tokenId();
    if (jti == null || !state.markLinkUsed(jti, linkExpires)) {
      return new Redeemed(null, jti == null ? Refusal.INVALID : Refusal.USED);
    }
    String csrf = randomToken();
    String token =
        issuer.mint(
            LocalIssuer.AUDIENCE,
            who.subject(),
            who.scopes().toString(),
            who.patient(),
            who.clearance(),
            sessionTtl,
            Map.of(CSRF_CLAIM, csrf));
    return new Redeemed(session(token).orElseThrow(), null);
  }

  /** The live session a cookie value stands for: signed, unexpired, not signed out. */
  public Optional<ConsoleSession> session(@Nullable String cookieValue) {
    if (cookieValue == null || cookieValue.isBlank()) {
      return Optional.empty();
    }
    if (issuer == null) {
      int at = cookieValue.lastIndexOf(BOUND_CSRF);
      if (at <= 0) {
        return Optional.empty();
      }
      try {
        return external(cookieValue.substring(0, at), cookieValue.substring(at + 1));
      } catch (TokenValidator.InvalidTokenException e) {
        return Optional.empty();
      }
    }
    try {
      Caller caller = sessions.validate(cookieValue);
      JWTClaimsSet claims = SignedJWT.parse(cookieValue).getJWTClaimsSet();
      String csrf = claims.getStringClaim(CSRF_CLAIM);
      // an API token that was never a console session (no csrf claim) is no session
      if (csrf == null || caller.tokenId() == null || state.isRevoked(caller.tokenId())) {
        return Optional.empty();
      }
      return Optional.of(
          new ConsoleSession(
              cookieValue,
              caller,
              csrf,
              claims.getExpirationTime().toInstant(),
              cookieValue,
              caller.tokenId()));
    } catch (TokenValidator.InvalidTokenException | ParseException e) {
      return Optional.empty();
    }
  }

  /** An OIDC session: the provider's token as the API checks it, not signed out. */
  private Optional<ConsoleSession> external(String token, String csrf)
      throws TokenValidator.InvalidTokenException {
    if (csrf.isBlank()) {
      return Optional.empty();
    }
    Caller caller = sessions.validate(token);
    Instant expires;
    try {
      expires = expiry(token);
    } catch (ParseException e) {
      return Optional.empty();
    }
    String id = sha256Hex(token);
    if (state.isRevoked(id)) {
      return Optional.empty();
    }
    return Optional.of(
        new ConsoleSession(token, caller, csrf, expires, token + BOUND_CSRF + csrf, id));
  }

  static String sha256Hex(String s) {
    try {
      return java.util.HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.US_ASCII)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** Signs out: the session's cookie is refused from now on, by every process. */
  public void end(ConsoleSession session) {
    state.revoke(session.tokenId(), session.expires());
  }

  /** Whether {@code presented} is the session's CSRF token (constant-time comparison). */
  public static boolean csrfMatches(ConsoleSession session, @Nullable String presented) {
    return presented != null
        && MessageDigest.isEqual(
            presented.getBytes(StandardCharsets.UTF_8),
            session.csrf().getBytes(StandardCharsets.UTF_8));
  }

  public Duration remaining(ConsoleSession session) {
    Duration left = Duration.between(clock.instant(), session.expires());
    return left.isNegative() ? Duration.ZERO : left;
  }

  private static Instant expiry(String token) throws ParseException {
    return SignedJWT.parse(token).getJWTClaimsSet().getExpirationTime().toInstant();
  }

  private String randomToken() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
