package org.atnabridge.allinone;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.atnabridge.search.console.ConsoleSessions;
import org.atnabridge.search.security.Caller;
import org.atnabridge.search.security.LocalIssuer;
import org.atnabridge.search.security.TokenValidator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code atna-bridge login-link}: a one-time sign-in link on the last line of the output. */
class LoginLinkCommandTest {

  @TempDir Path dataDir;

  @Test
  void lastLine_isALinkToTheRecordedConsole_withTheAskedGrants() throws Exception {
    LocalIssuer issuer = LocalIssuer.openOrCreate(dataDir.resolve("keys"));
    Files.createDirectories(dataDir.resolve("console"));
    Files.writeString(dataDir.resolve("console/url"), "http://127.0.0.1:9999/");
    Result r =
        run(
            "login-link",
            "--data-dir",
            dataDir.toString(),
            "--ttl",
            "5m",
            "--scope",
            "patient/AuditEvent.rs",
            "--patient",
            "p1",
            "--label-clearance",
            "R",
            "--sub",
            "officer");
    assertThat(r.code()).as(r.err()).isZero();
    String link = r.lastLine();
    assertThat(link).startsWith("http://127.0.0.1:9999/login?link=");
    String token =
        URLDecoder.decode(
            URI.create(link).getRawQuery().substring("link=".length()), StandardCharsets.UTF_8);
    var claims = SignedJWT.parse(token).getJWTClaimsSet();
    assertThat(claims.getAudience()).containsExactly(ConsoleSessions.LINK_AUDIENCE);
    assertThat(
            Duration.between(
                claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant()))
        .isEqualTo(Duration.ofMinutes(5));
    Caller who =
        new TokenValidator(
                new org.atnabridge.search.security.AuthSettings(
                    LocalIssuer.ISSUER,
                    ConsoleSessions.LINK_AUDIENCE,
                    issuer.verificationKeys(),
                    Duration.ofSeconds(30),
                    "patient",
                    "label_clearance",
                    null,
                    org.atnabridge.search.security.AuthSettings.DeniedRead.NOT_FOUND,
                    false))
            .validate(token);
    assertThat(who.subject()).isEqualTo("officer");
    assertThat(who.patient()).isEqualTo("p1");
    assertThat(who.clearance()).containsExactly("R");
  }

  @Test
  void defaults_fifteenMinutes_userAuditEventRead() throws Exception {
    LocalIssuer.openOrCreate(dataDir.resolve("keys"));
    Result r =
        run("login-link", "--data-dir", dataDir.toString(), "--console-url", "https://a.example/");
    assertThat(r.code()).as(r.err()).isZero();
    String token =
        URLDecoder.decode(
            URI.create(r.lastLine()).getRawQuery().substring("link=".length()),
            StandardCharsets.UTF_8);
    var claims = SignedJWT.parse(token).getJWTClaimsSet();
    assertThat(claims.getStringClaim("scope")).isEqualTo("user/AuditEvent.rs");
    assertThat(
            Duration.between(
                claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant()))
        .isEqualTo(Duration.ofMinutes(15));
  }

  @Test
  void withoutARecordedUrl_orKey_orWithABadScope_isAUsageError() {
    LocalIssuer.openOrCreate(dataDir.resolve("keys"));
    Result noUrl = run("login-link", "--data-dir", dataDir.toString());
    assertThat(noUrl.code()).isEqualTo(2);
    assertThat(noUrl.err()).contains("--console-url");
    Result noKey =
        run(
            "login-link",
            "--data-dir",
            dataDir.resolve("nothing").toString(),
            "--console-url",
            "http://x/");
    assertThat(noKey.code()).isEqualTo(2);
    assertThat(noKey.err()).contains("token-signing.jwk");
    Result badScope =
        run(
            "login-link",
            "--data-dir",
            dataDir.toString(),
            "--console-url",
            "http://x/",
            "--scope",
            "bogus");
    assertThat(badScope.code()).isEqualTo(2);
    assertThat(badScope.err()).contains("--scope bogus");
    assertThat(badScope.out()).isEmpty();
  }

  private record Result(int code, String out, String err) {
    String lastLine() {
      String[] lines = out.strip().split("\n");
      return lines[lines.length - 1];
    }
  }

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = AtnaBridgeCommand.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Result(code, out.toString(), err.toString());
  }
}
