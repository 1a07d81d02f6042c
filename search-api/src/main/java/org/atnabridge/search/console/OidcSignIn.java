package org.atnabridge.search.console;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.atnabridge.search.security.IdTokenValidator;
import org.atnabridge.search.security.OidcProvider;
import org.atnabridge.search.security.TokenValidator;
import org.jspecify.annotations.Nullable;

/**
 * Sign-in with an external OpenID Connect provider: the authorization code flow with PKCE (OIDC
 * Core §3.1, RFC 7636 S256).
 *
 * <p>{@link #start} draws a state, a nonce and a code verifier, keeps them in the data dir ({@link
 * ConsoleState#startSignIn}) under the hash of a random pre-session cookie value, and gives the
 * provider's authorization URL with the S256 challenge. {@link #finish} takes the started sign-in
 * once (a replayed or second callback finds nothing), checks the returned state, exchanges the code
 * with the verifier (and the client secret, if any) at the token endpoint, checks the ID token
 * (signature, issuer, audience = client id, expiry, nonce) and makes the access token a console
 * session when the API itself accepts it ({@link ConsoleSessions#adopt}): the same scopes, patient
 * and clearance apply as to any API caller.
 */
public final class OidcSignIn {

  /** How long a started sign-in waits for the provider to send the browser back. */
  public static final Duration PENDING_TTL = Duration.ofMinutes(10);

  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  /** Why a sign-in failed; {@link #message} is shown to the person signing in. */
  public enum Failure {
    NOT_STARTED(
        "This sign-in has expired or was already completed. Each sign-in works once: start again."),
    PROVIDER_REFUSED("The identity provider did not sign you in."),
    STATE_MISMATCH("The identity provider's answer does not belong to this sign-in. Start again."),
    TOKEN_ENDPOINT("The identity provider did not issue tokens for this sign-in. Start again."),
    TOKEN_REFUSED(
        "The identity provider's tokens are not valid for this server (issuer, audience, scopes,"
            + " signature or expiry). Ask your administrator.");

    public final String message;

    Failure(String message) {
      this.message = message;
    }
  }

  /**
   * The outcome of {@link #finish}: a session, or a failure with a detail for the log (never shown:
   * it may name the provider's error text).
   */
  public record Finished(
      @Nullable ConsoleSession session, @Nullable Failure failure, String detail) {

    static Finished failed(Failure failure, String detail) {
      return new Finished(null, failure, detail);
    }
  }

  /**
   * A started sign-in.
   *
   * @param cookie the pre-session cookie's value
   * @param authorization where the browser goes to sign in
   */
  public record Started(String cookie, URI authorization) {}

  private final OidcProvider provider;
  private final OidcClient client;
  private final ConsoleSessions sessions;
  private final ConsoleState state;
  private final IdTokenValidator idTokens;
  private final HttpClient http;
  private final Clock clock;

  public OidcSignIn(
      OidcProvider provider,
      OidcClient client,
      ConsoleSessions sessions,
      ConsoleState state,
      IdTokenValidator idTokens,
      HttpClient http,
      Clock clock) {
    this.provider = provider;
    this.client = client;
    this.sessions = sessions;
    this.state = state;
    this.idTokens = idTokens;
    this.http = http;
    this.clock = clock;
  }

  public String issuer() {
    return provider.issuer();
  }

  /**
   * Starts a sign-in whose callback is {@code redirectUri}; empty when this node already holds
   * {@link ConsoleState#MAX_PENDING_SIGN_INS} started sign-ins.
   */
  public Optional<Started> start(String redirectUri) {
    String cookie = Pkce.random();
    String st = Pkce.random();
    String nonce = Pkce.random();
    String verifier = Pkce.random();
    if (!state.startSignIn(
        ConsoleSessions.sha256Hex(cookie),
        List.of(st, nonce, verifier, redirectUri),
        clock.instant().plus(PENDING_TTL))) {
      return Optional.empty();
    }
    Map<String, String> query = new LinkedHashMap<>();
    query.put("response_type", "code");
    query.put("client_id", client.clientId());
    query.put("redirect_uri", redirectUri);
    query.put("scope", client.scopes());
    query.put("state", st);
    query.put("nonce", nonce);
    query.put("code_challenge", Pkce.challenge(verifier));
    query.put("code_challenge_method", "S256");
    String endpoint = provider.authorizationEndpoint().toString();
    return Optional.of(
        new Started(
            cookie, URI.create(endpoint + (endpoint.contains("?") ? "&" : "?") + form(query))));
  }

  /**
   * Finishes the sign-in the pre-session cookie names, with the callback's parameters.
   *
   * @param params the callback's {@code state}, {@code code}, {@code error} (null when absent)
   */
  public Finished finish(
      @Nullable String cookie,
      @Nullable String returnedState,
      @Nullable String code,
      @Nullable String error) {
    if (cookie == null || cookie.isBlank()) {
      return Finished.failed(Failure.NOT_STARTED, "no pre-session cookie");
    }
    Optional<List<String>> started = state.takeSignIn(ConsoleSessions.sha256Hex(cookie));
    if (started.isEmpty() || started.get().size() != 4) {
      return Finished.failed(Failure.NOT_STARTED, "no started sign-in (used, expired or unknown)");
    }
    String st = started.get().get(0);
    String nonce = started.get().get(1);
    String verifier = started.get().get(2);
    String redirectUri = started.get().get(3);
    if (returnedState == null
        || !MessageDigest.isEqual(
            st.getBytes(StandardCharsets.US_ASCII),
            returnedState.getBytes(StandardCharsets.US_ASCII))) {
      return Finished.failed(Failure.STATE_MISMATCH, "state does not match");
    }
    if (error != null) {
      return Finished.failed(Failure.PROVIDER_REFUSED, "provider error " + printable(error));
    }
    if (code == null || code.isBlank()) {
      return Finished.failed(Failure.PROVIDER_REFUSED, "no code in the callback");
    }
    Map<String, Object> tokens;
    try {
      tokens = exchange(code, verifier, redirectUri);
    } catch (TokenEndpointException e) {
      return Finished.failed(Failure.TOKEN_ENDPOINT, e.getMessage());
    }
    if (!(tokens.get("access_token") instanceof String accessToken)
        || !(tokens.get("id_token") instanceof String idToken)) {
      return Finished.failed(Failure.TOKEN_ENDPOINT, "no access_token or id_token in the answer");
    }
    try {
      idTokens.validate(idToken, nonce);
      return new Finished(sessions.adopt(accessToken), null, "");
    } catch (TokenValidator.InvalidTokenException e) {
      return Finished.failed(Failure.TOKEN_REFUSED, String.valueOf(e.getMessage()));
    }
  }

  /** The token endpoint's answer to the code (RFC 6749 §4.1.3, RFC 7636 §4.5). */
  private Map<String, Object> exchange(String code, String verifier, String redirectUri)
      throws TokenEndpointException {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("grant_type", "authorization_code");
    body.put("code", code);
    body.put("redirect_uri", redirectUri);
    body.put("client_id", client.clientId());
    body.put("code_verifier", verifier);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(provider.tokenEndpoint())
            .timeout(TIMEOUT)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(form(body)));
    String secret = client.clientSecret();
    if (secret != null) {
      // client_secret_basic (RFC 6749 §2.3.1): both form-encoded before base64
      String pair =
          URLEncoder.encode(client.clientId(), StandardCharsets.UTF_8)
              + ":"
              + URLEncoder.encode(secret, StandardCharsets.UTF_8);
      request.header(
          "Authorization",
          "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    }
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new TokenEndpointException("token endpoint unreachable: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TokenEndpointException("interrupted");
    }
    Map<String, Object> json;
    try {
      json = JSONObjectUtils.parse(response.body());
    } catch (ParseException e) {
      throw new TokenEndpointException(
          "token endpoint answered " + response.statusCode() + " without JSON");
    }
    if (response.statusCode() != 200) {
      throw new TokenEndpointException(
          "token endpoint answered "
              + response.statusCode()
              + " "
              + printable(String.valueOf(json.get("error"))));
    }
    return json;
  }

  /** A provider's value fit for one log line: printable ASCII, at most 100 characters. */
  static String printable(String s) {
    String kept =
        s.chars()
            .filter(c -> c >= 0x20 && c < 0x7f)
            .mapToObj(Character::toString)
            .collect(Collectors.joining());
    return kept.length() > 100 ? kept.substring(0, 100) : kept;
  }

  private static String form(Map<String, String> fields) {
    return fields.entrySet().stream()
        .map(
            e ->
                URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  private static final class TokenEndpointException extends Exception {
    private static final long serialVersionUID = 1L;

    TokenEndpointException(String reason) {
      super(reason);
    }

    @Override
    public String getMessage() {
      return String.valueOf(super.getMessage());
    }
  }
}
