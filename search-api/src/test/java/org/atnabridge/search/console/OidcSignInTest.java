package org.atnabridge.search.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.atnabridge.search.security.AuthSettings;
import org.atnabridge.search.security.IdTokenValidator;
import org.atnabridge.search.security.LocalIssuer;
import org.atnabridge.search.security.OidcProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state kept between the start of a sign-in and the provider's callback: PKCE challenge in the
 * authorization request, state checked, each started sign-in taken once and only until it expires.
 * These refusals happen before any request to the provider; the code exchange itself is tested
 * against a provider in {@code ConsoleOidcBrowserIT}.
 */
class OidcSignInTest {

  private static final String CALLBACK = "https://console.example/signin/oidc/callback";

  @TempDir Path data;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T06:00:00Z"));
  private OidcSignIn signIn;
  private ConsoleState state;

  @BeforeEach
  void setUp() {
    LocalIssuer keys = LocalIssuer.openOrCreate(data.resolve("keys"));
    AuthSettings api = keys.settings();
    state = new ConsoleState(data.resolve("console"), clock);
    OidcProvider provider =
        new OidcProvider(
            "https://idp.example/realms/x",
            URI.create("https://idp.example/realms/x/auth?kc_idp_hint=corp"),
            URI.create("https://idp.example/realms/x/token"),
            URI.create("https://idp.example/realms/x/certs"));
    signIn =
        new OidcSignIn(
            provider,
            new OidcClient("console", null, OidcClient.DEFAULT_SCOPES),
            ConsoleSessions.external(api, state, clock),
            state,
            new IdTokenValidator(api, "console"),
            HttpClient.newHttpClient(),
            clock);
  }

  @Test
  void theAuthorizationRequest_carriesTheS256ChallengeOfAVerifierKeptOnTheServer() {
    OidcSignIn.Started started = signIn.start(CALLBACK).orElseThrow();
    URI url = started.authorization();
    assertThat(url.toString()).startsWith("https://idp.example/realms/x/auth?kc_idp_hint=corp&");
    Map<String, String> q = query(url);
    assertThat(q)
        .containsEntry("response_type", "code")
        .containsEntry("client_id", "console")
        .containsEntry("redirect_uri", CALLBACK)
        .containsEntry("scope", "openid user/AuditEvent.rs")
        .containsEntry("code_challenge_method", "S256");
    // the verifier is nowhere in the request, only its hash; state and nonce differ
    var kept = state.takeSignIn(ConsoleSessions.sha256Hex(started.cookie())).orElseThrow();
    assertThat(kept).containsExactly(q.get("state"), q.get("nonce"), kept.get(2), CALLBACK);
    assertThat(q.get("code_challenge")).isEqualTo(Pkce.challenge(kept.get(2)));
    assertThat(url.toString()).doesNotContain(kept.get(2)).doesNotContain(started.cookie());
    assertThat(q.get("state")).isNotEqualTo(q.get("nonce"));
  }

  @Test
  void aCallbackWithAnotherState_isRefused_andUsesTheSignInUp() {
    OidcSignIn.Started started = signIn.start(CALLBACK).orElseThrow();
    String st = query(started.authorization()).get("state");
    OidcSignIn.Finished wrong = signIn.finish(started.cookie(), st + "x", "code-1", null);
    assertThat(wrong.failure()).isEqualTo(OidcSignIn.Failure.STATE_MISMATCH);
    assertThat(wrong.session()).isNull();
    // the right state now comes too late: a started sign-in is taken once
    OidcSignIn.Finished right = signIn.finish(started.cookie(), st, "code-1", null);
    assertThat(right.failure()).isEqualTo(OidcSignIn.Failure.NOT_STARTED);
  }

  @Test
  void theProvidersError_withTheRightState_isAProviderRefusal() {
    OidcSignIn.Started started = signIn.start(CALLBACK).orElseThrow();
    String st = query(started.authorization()).get("state");
    OidcSignIn.Finished f = signIn.finish(started.cookie(), st, null, "access_denied\n<x>");
    assertThat(f.failure()).isEqualTo(OidcSignIn.Failure.PROVIDER_REFUSED);
    assertThat(f.detail()).isEqualTo("provider error access_denied<x>");
  }

  @Test
  void aSignInBackAfterItsTimeToLive_isRefused() {
    OidcSignIn.Started started = signIn.start(CALLBACK).orElseThrow();
    String st = query(started.authorization()).get("state");
    clock.now = clock.now.plus(OidcSignIn.PENDING_TTL).plusSeconds(1);
    assertThat(signIn.finish(started.cookie(), st, "code-1", null).failure())
        .isEqualTo(OidcSignIn.Failure.NOT_STARTED);
  }

  @Test
  void noOrAnUnknownPreSessionCookie_isRefused() {
    assertThat(signIn.start(CALLBACK)).isPresent();
    assertThat(signIn.finish(null, "s", "c", null).failure())
        .isEqualTo(OidcSignIn.Failure.NOT_STARTED);
    assertThat(signIn.finish(Pkce.random(), "s", "c", null).failure())
        .isEqualTo(OidcSignIn.Failure.NOT_STARTED);
    assertThat(signIn.finish("../../keys/token-signing.jwk", "s", "c", null).failure())
        .isEqualTo(OidcSignIn.Failure.NOT_STARTED);
  }

  @Test
  void theClient_needsOpenid_andHidesItsSecret() {
    assertThatThrownBy(() -> new OidcClient("c", null, "user/AuditEvent.rs"))
        .hasMessageContaining("--oidc-scopes");
    assertThatThrownBy(() -> new OidcClient(" ", null, "openid"))
        .hasMessageContaining("--oidc-client-id");
    assertThat(new OidcClient("c", "very-secret\n", "openid").toString())
        .doesNotContain("very-secret")
        .contains("(hidden)");
    assertThat(new OidcClient("c", "very-secret\n", "openid").clientSecret())
        .isEqualTo("very-secret");
  }

  @Test
  void aSessionOfTheProvidersToken_bindsARandomCsrfToken_andSignOutEndsIt() throws Exception {
    LocalIssuer keys = LocalIssuer.open(data.resolve("keys"));
    ConsoleSessions sessions = ConsoleSessions.external(keys.settings(), state, Clock.systemUTC());
    String token =
        keys.mint("officer", "user/AuditEvent.rs", "p1", Set.of("R"), Duration.ofMinutes(5));
    ConsoleSession session = sessions.adopt(token);
    assertThat(session.token()).isEqualTo(token);
    assertThat(session.cookie()).isEqualTo(token + "~" + session.csrf());
    assertThat(session.patient()).isEqualTo("p1");
    ConsoleSession again = sessions.session(session.cookie()).orElseThrow();
    assertThat(again.id()).isEqualTo(session.id()).hasSize(64);
    assertThat(again.csrf()).isEqualTo(session.csrf());
    assertThat(again.caller().subject()).isEqualTo("officer");
    // the token without its CSRF token is no session; each sign-in draws a new CSRF token
    assertThat(sessions.session(token)).isEmpty();
    assertThat(sessions.adopt(token).csrf()).isNotEqualTo(session.csrf());
    assertThat(sessions.redeem(token).refusal()).isEqualTo(ConsoleSessions.Refusal.INVALID);
    sessions.end(session);
    assertThat(sessions.session(session.cookie())).isEmpty();
    assertThatThrownBy(() -> sessions.adopt("not.a.token"))
        .isInstanceOf(org.atnabridge.search.security.TokenValidator.InvalidTokenException.class);
  }

  private static Map<String, String> query(URI url) {
    Map<String, String> out = new HashMap<>();
    for (String pair : url.getRawQuery().split("&")) {
      int eq = pair.indexOf('=');
      out.put(
          pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return out;
  }

  private static final class MutableClock extends Clock {
    Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
