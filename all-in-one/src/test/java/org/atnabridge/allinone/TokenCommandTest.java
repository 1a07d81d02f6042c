package org.atnabridge.allinone;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import org.atnabridge.search.security.Caller;
import org.atnabridge.search.security.LocalIssuer;
import org.atnabridge.search.security.TokenValidator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code atna-bridge token}: a token the local serve accepts, on the last line of the output. */
class TokenCommandTest {

  @TempDir Path dataDir;

  @Test
  void lastLine_isATokenTheLocalServeAccepts_withTheAskedClaims() throws Exception {
    LocalIssuer.openOrCreate(dataDir.resolve("keys")); // what serve does on first start
    Result r =
        run(
            "token",
            "--data-dir",
            dataDir.toString(),
            "--scope",
            "patient/AuditEvent.rs",
            "--patient",
            "p1",
            "--ttl",
            "15m",
            "--label-clearance",
            "V,R",
            "--sub",
            "alice");
    assertThat(r.code()).as(r.out()).isZero();
    String[] lines = r.out().strip().split("\n");
    String token = lines[lines.length - 1];

    Caller caller =
        new TokenValidator(LocalIssuer.open(dataDir.resolve("keys")).settings()).validate(token);
    assertThat(caller.subject()).isEqualTo("alice");
    assertThat(caller.patient()).isEqualTo("p1");
    assertThat(caller.clearance()).containsExactlyInAnyOrder("V", "R");
    assertThat(caller.scopes().toString()).isEqualTo("patient/AuditEvent.rs");
    var claims = SignedJWT.parse(token).getJWTClaimsSet();
    assertThat(
            Duration.between(
                claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant()))
        .isEqualTo(Duration.ofMinutes(15));
    assertThat(SignedJWT.parse(token).getHeader().getAlgorithm().getName()).isEqualTo("ES256");
  }

  @Test
  void ttl_acceptsSecondsMinutesHours_andRefusesOtherForms() throws Exception {
    LocalIssuer.openOrCreate(dataDir.resolve("keys"));
    for (String ttl : new String[] {"30s", "15m", "1h"}) {
      Result r =
          run(
              "token",
              "--data-dir",
              dataDir.toString(),
              "--scope",
              "system/AuditEvent.rs",
              "--ttl",
              ttl);
      assertThat(r.code()).as(ttl + ": " + r.out()).isZero();
    }
    Result bad =
        run(
            "token",
            "--data-dir",
            dataDir.toString(),
            "--scope",
            "system/AuditEvent.rs",
            "--ttl",
            "1 week");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("--ttl").doesNotContain("at org.");
  }

  @Test
  void withoutTheServeKey_isAUsageError_sayingWhereTheKeyComesFrom() {
    Result r =
        run(
            "token",
            "--data-dir",
            dataDir.resolve("nothing-here").toString(),
            "--scope",
            "system/AuditEvent.rs");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("token-signing.jwk").contains("serve");
  }

  @Test
  void scopeThatIsNotSmartSyntax_isRefused_namingIt_andNoTokenIsPrinted() {
    LocalIssuer.openOrCreate(dataDir.resolve("keys"));
    for (String[] bad :
        new String[][] {
          {"bogus", "bogus"},
          {"system/AuditEvent.rs bogus", "bogus"},
          {"system/AuditEvent.sr", "system/AuditEvent.sr"},
          {"AuditEvent.rs", "AuditEvent.rs"},
          {"system/AuditEvent.", "system/AuditEvent."},
          {"system/AuditEvent.rs?category=rest", "?category=rest"}
        }) {
      Result r = run("token", "--data-dir", dataDir.toString(), "--scope", bad[0]);
      assertThat(r.code()).as(bad[0] + ": " + r.err()).isEqualTo(2);
      assertThat(r.err().strip())
          .as(bad[0])
          .startsWith("atna-bridge: --scope ")
          .contains(bad[1])
          .doesNotContain("at org.");
      assertThat(r.out()).as(bad[0]).isEmpty();
    }
  }

  @Test
  void smartScopes_v2_v1_andNonResourceScopes_areAccepted() {
    LocalIssuer.openOrCreate(dataDir.resolve("keys"));
    for (String good :
        new String[] {
          "system/AuditEvent.rs",
          "user/AuditEvent.c user/AuditEvent.rs",
          "patient/*.read",
          "system/Subscription.cruds",
          "openid fhirUser system/AuditEvent.s"
        }) {
      Result r = run("token", "--data-dir", dataDir.toString(), "--scope", good);
      assertThat(r.code()).as(good + ": " + r.err()).isZero();
    }
  }

  @Test
  void scopeIsRequired() {
    assertThat(run("token", "--data-dir", dataDir.toString()).code()).isEqualTo(2);
  }

  @Test
  void unknownClearance_isAUsageError() {
    LocalIssuer.openOrCreate(dataDir.resolve("keys"));
    Result r =
        run(
            "token",
            "--data-dir",
            dataDir.toString(),
            "--scope",
            "system/AuditEvent.rs",
            "--label-clearance",
            "TOP");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("TOP");
  }

  private record Result(int code, String out, String err) {}

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
