package org.atnabridge.search.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.atnabridge.search.security.AuthSettings;
import org.atnabridge.search.security.LocalIssuer;
import org.atnabridge.search.security.TokenValidator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sign-in links become sessions once; sessions are signed tokens the API accepts. */
class ConsoleSessionsTest {

  @TempDir Path data;
  private LocalIssuer issuer;
  private ConsoleSessions sessions;

  @BeforeEach
  void setUp() {
    issuer = LocalIssuer.openOrCreate(data.resolve("keys"));
    sessions = sessions(issuer.settings());
  }

  private ConsoleSessions sessions(AuthSettings api) {
    return new ConsoleSessions(
        issuer,
        api,
        new ConsoleState(data.resolve("console"), Clock.systemUTC()),
        ConsoleSessions.DEFAULT_SESSION_TTL,
        Clock.systemUTC());
  }

  private String linkToken(Duration ttl, String scope, String patient, Set<String> clearance) {
    String link =
        ConsoleSessions.link(
            issuer, "http://127.0.0.1:8080/", "officer", scope, patient, clearance, ttl);
    assertThat(link).startsWith("http://127.0.0.1:8080/login?link=");
    return URLDecoder.decode(
        URI.create(link).getRawQuery().substring("link=".length()), StandardCharsets.UTF_8);
  }

  @Test
  void aLink_becomesASessionWithItsClaims_once() throws Exception {
    String token =
        linkToken(Duration.ofMinutes(15), "patient/AuditEvent.rs", "p1", Set.of("R", "V"));
    ConsoleSessions.Redeemed first = sessions.redeem(token);
    assertThat(first.refusal()).isNull();
    ConsoleSession session = first.session();
    assertThat(session).isNotNull();
    assertThat(session.caller().subject()).isEqualTo("officer");
    assertThat(session.scope()).isEqualTo("patient/AuditEvent.rs");
    assertThat(session.patient()).isEqualTo("p1");
    assertThat(session.clearance()).containsExactlyInAnyOrder("R", "V");
    assertThat(session.csrf()).hasSizeGreaterThanOrEqualTo(40);
    // the session token is an API token, with the same grants
    var caller = new TokenValidator(issuer.settings()).validate(session.token());
    assertThat(caller.patient()).isEqualTo("p1");
    assertThat(
            Duration.between(
                Instant.now(),
                SignedJWT.parse(session.token()).getJWTClaimsSet().getExpirationTime().toInstant()))
        .isGreaterThan(Duration.ofHours(7));

    ConsoleSessions.Redeemed second = sessions.redeem(token);
    assertThat(second.session()).isNull();
    assertThat(second.refusal()).isEqualTo(ConsoleSessions.Refusal.USED);
    // another process on the same data dir refuses it too
    assertThat(sessions(issuer.settings()).redeem(token).refusal())
        .isEqualTo(ConsoleSessions.Refusal.USED);
  }

  @Test
  void aLinkToken_isNoApiCredential() {
    String token = linkToken(Duration.ofMinutes(15), "system/AuditEvent.rs", null, Set.of());
    assertThatThrownBy(() -> new TokenValidator(issuer.settings()).validate(token))
        .isInstanceOf(TokenValidator.InvalidTokenException.class);
  }

  @Test
  void anExpiredLink_isRefusedAsExpired() throws Exception {
    AuthSettings noSkew =
        new AuthSettings(
            LocalIssuer.ISSUER,
            LocalIssuer.AUDIENCE,
            issuer.verificationKeys(),
            Duration.ZERO,
            AuthSettings.DEFAULT_PATIENT_CLAIM,
            AuthSettings.DEFAULT_CLEARANCE_CLAIM,
            null,
            AuthSettings.DeniedRead.NOT_FOUND,
            false);
    String token = linkToken(Duration.ofSeconds(1), "user/AuditEvent.rs", null, Set.of());
    Instant expires = SignedJWT.parse(token).getJWTClaimsSet().getExpirationTime().toInstant();
    // wait for the wall clock (the token checks read it), not for the code under test
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> Instant.now().isAfter(expires.plusMillis(1100)));
    assertThat(sessions(noSkew).redeem(token).refusal()).isEqualTo(ConsoleSessions.Refusal.EXPIRED);
  }

  @Test
  void aForgedOrForeignLink_isInvalid() {
    assertThat(sessions.redeem("not-a-jwt").refusal()).isEqualTo(ConsoleSessions.Refusal.INVALID);
    LocalIssuer other = LocalIssuer.openOrCreate(data.resolve("other-keys"));
    String foreign =
        URLDecoder.decode(
            URI.create(
                    ConsoleSessions.link(
                        other,
                        "http://x/",
                        "mallory",
                        "system/AuditEvent.rs",
                        null,
                        Set.of("V"),
                        Duration.ofMinutes(5)))
                .getRawQuery()
                .substring("link=".length()),
            StandardCharsets.UTF_8);
    assertThat(sessions.redeem(foreign).refusal()).isEqualTo(ConsoleSessions.Refusal.INVALID);
  }

  @Test
  void aSession_endsForEveryProcess_whenSignedOut() {
    ConsoleSession session =
        sessions
            .redeem(linkToken(Duration.ofMinutes(15), "user/AuditEvent.rs", null, Set.of()))
            .session();
    assertThat(session).isNotNull();
    assertThat(sessions.session(session.token())).isPresent();
    ConsoleSessions otherProcess = sessions(issuer.settings());
    assertThat(otherProcess.session(session.token())).isPresent();
    sessions.end(session);
    assertThat(sessions.session(session.token())).isEmpty();
    assertThat(otherProcess.session(session.token())).isEmpty();
  }

  @Test
  void anApiTokenThatWasNeverASession_isNoSession() {
    String api = issuer.mint("svc", "system/AuditEvent.rs", null, Set.of(), Duration.ofHours(1));
    assertThat(sessions.session(api)).isEmpty();
    assertThat(sessions.session("garbage")).isEmpty();
    assertThat(sessions.session(null)).isEmpty();
  }

  @Test
  void csrf_mustMatchExactly() {
    ConsoleSession session =
        sessions
            .redeem(linkToken(Duration.ofMinutes(15), "user/AuditEvent.rs", null, Set.of()))
            .session();
    assertThat(session).isNotNull();
    assertThat(ConsoleSessions.csrfMatches(session, session.csrf())).isTrue();
    assertThat(ConsoleSessions.csrfMatches(session, session.csrf() + "x")).isFalse();
    assertThat(ConsoleSessions.csrfMatches(session, "")).isFalse();
    assertThat(ConsoleSessions.csrfMatches(session, null)).isFalse();
  }
}
