package org.atnabridge.allinone;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.atnabridge.testing.TestPki;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API's security options as an operator gives them to the packaged {@code serve}, checked with
 * curl and openssl: HTTPS with HSTS, CORS for one origin, tokens from {@code atna-bridge token}.
 */
class ServeSecurityIT {

  @TempDir Path dir;
  private ServeProcess serve;

  @AfterEach
  void stop() throws InterruptedException {
    if (serve != null) {
      serve.close();
    }
  }

  @Test
  void httpsAndCors_fromTheCommandLine() throws Exception {
    TestPki pki = TestPki.create(dir.resolve("pki"));
    int http = ServeProcess.freePort();
    Path data = dir.resolve("data");
    serve =
        ServeProcess.start(
                dir.resolve("serve.log"),
                "serve",
                "--data-dir",
                data.toString(),
                "--http-port",
                String.valueOf(http),
                "--syslog-port",
                String.valueOf(ServeProcess.freePort()),
                "--kafka-port",
                String.valueOf(ServeProcess.freePort()),
                "--https-cert",
                pki.serverCert().toString(),
                "--https-key",
                pki.serverKey().toString(),
                "--cors-origins",
                "https://console.example.org")
            .awaitReady(Duration.ofSeconds(90));
    String base = "https://127.0.0.1:" + http + "/fhir";
    assertThat(serve.log())
        .contains("ready: FHIR server on " + base)
        .contains("atna-bridge token --data-dir");

    Result token =
        run(
            "token",
            "--data-dir",
            data.toString(),
            "--scope",
            "user/AuditEvent.rs",
            "--sub",
            "officer",
            "--ttl",
            "15m");
    assertThat(token.code()).as(token.out()).isZero();
    String bearer = token.lastLine();

    // trusted CA: 200 with HSTS; the same without a token: 401
    Result ok =
        curl(
            "--cacert",
            pki.ca().toString(),
            "-H",
            "Authorization: Bearer " + bearer,
            base + "/AuditEvent");
    assertThat(ok.out())
        .contains("HTTP/1.1 200")
        .containsIgnoringCase("strict-transport-security: max-age=31536000");
    assertThat(curl("--cacert", pki.ca().toString(), base + "/AuditEvent").out())
        .contains("HTTP/1.1 401")
        .containsIgnoringCase("www-authenticate: Bearer");

    // a client that does not trust the CA: curl refuses (exit 60, certificate problem)
    assertThat(curl(base + "/metadata").code()).isEqualTo(60);
    // TLS 1.1 is not offered
    Process tls11 =
        new ProcessBuilder(TestPki.OPENSSL, "s_client", "-connect", "127.0.0.1:" + http, "-tls1_1")
            .redirectErrorStream(true)
            .start();
    tls11.getOutputStream().close();
    tls11.getInputStream().readAllBytes();
    assertThat(tls11.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(tls11.exitValue()).isNotZero();
    // plain HTTP on the TLS port gets no HTTP answer
    assertThat(curl("http://127.0.0.1:" + http + "/fhir/metadata").out())
        .doesNotContain("HTTP/1.1 200");

    // CORS: the listed origin's preflight is answered, another origin's is not
    Result allowed =
        curl(
            "--cacert",
            pki.ca().toString(),
            "-X",
            "OPTIONS",
            "-H",
            "Origin: https://console.example.org",
            "-H",
            "Access-Control-Request-Method: GET",
            "-H",
            "Access-Control-Request-Headers: authorization",
            base + "/AuditEvent");
    assertThat(allowed.out())
        .containsIgnoringCase("access-control-allow-origin: https://console.example.org");
    Result denied =
        curl(
            "--cacert",
            pki.ca().toString(),
            "-X",
            "OPTIONS",
            "-H",
            "Origin: https://evil.example",
            "-H",
            "Access-Control-Request-Method: GET",
            base + "/AuditEvent");
    assertThat(denied.out().toLowerCase()).doesNotContain("access-control-");
  }

  @Test
  void devAllowUnauthenticated_servesWithoutToken_andWarnsAtStart() throws Exception {
    int http = ServeProcess.freePort();
    serve =
        ServeProcess.start(
                dir.resolve("serve.log"),
                "serve",
                "--data-dir",
                dir.resolve("data").toString(),
                "--http-port",
                String.valueOf(http),
                "--syslog-port",
                String.valueOf(ServeProcess.freePort()),
                "--kafka-port",
                String.valueOf(ServeProcess.freePort()),
                "--dev-allow-unauthenticated",
                "--public-base-url",
                "https://audit.example.org/fhir")
            .awaitReady(Duration.ofSeconds(90));
    assertThat(serve.log()).containsPattern("WARN .*--dev-allow-unauthenticated");
    assertThat(curl("http://127.0.0.1:" + http + "/fhir/AuditEvent").out())
        .contains("HTTP/1.1 200");

    // the HTTP edge as serve wires it: links from --public-base-url, never from Host; no TRACE
    assertThat(
            curl(
                    "-H",
                    "Host: evil.example",
                    "http://127.0.0.1:" + http + "/fhir/AuditEvent?_count=1")
                .out())
        .contains("HTTP/1.1 200")
        .contains("https://audit.example.org/fhir/AuditEvent?")
        .doesNotContain("evil");
    assertThat(
            curl(
                    "-X",
                    "TRACE",
                    "-H",
                    "Cookie: c=cookie-secret",
                    "http://127.0.0.1:" + http + "/metrics")
                .out())
        .contains("HTTP/1.1 405")
        .doesNotContain("cookie-secret");
  }

  @Test
  void devAllowUnauthenticated_onANonLoopbackAddress_needsTheRemoteFlag() throws Exception {
    Result r =
        run(
            "serve",
            "--data-dir",
            dir.resolve("remote").toString(),
            "--http-host",
            "0.0.0.0",
            "--dev-allow-unauthenticated");
    assertThat(r.code()).as(r.out()).isEqualTo(2);
    assertThat(r.out()).contains("--dev-allow-unauthenticated-remote");
  }

  @Test
  void badSecurityOptions_stopTheStart_namingTheOption() throws Exception {
    for (List<String> bad :
        List.of(
            List.of("--access-denied-read", "401"),
            List.of("--https-cert", "/no/such.pem"),
            List.of("--oidc-issuer", "https://idp.example"),
            List.of("--oidc-jwks-url", "https://idp.example/jwks"),
            List.of("--cors-origins", "*"),
            List.of("--oidc-clock-skew", "10 minutes"),
            List.of("--public-base-url", "ftp://audit.example.org/fhir"),
            List.of("--http-header-timeout", "0s"),
            List.of("--http-max-connections-per-address", "0"),
            List.of("--credential-query-params", "a b"))) {
      List<String> args =
          new ArrayList<>(List.of("serve", "--data-dir", dir.resolve("bad").toString()));
      args.addAll(bad);
      Result r = run(args.toArray(String[]::new));
      assertThat(r.code()).as(bad + ": " + r.out()).isEqualTo(2);
      assertThat(r.out()).as(bad.toString()).contains(bad.get(0)).doesNotContain("at org.");
    }
  }

  private record Result(int code, String out) {
    String lastLine() {
      String[] lines = out.strip().split("\n");
      return lines[lines.length - 1];
    }
  }

  private static Result run(String... args) throws Exception {
    List<String> command =
        new ArrayList<>(List.of(ServeProcess.java(), "-jar", ServeProcess.JAR.toString()));
    command.addAll(List.of(args));
    return exec(command);
  }

  private static Result curl(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("curl", "-s", "-i", "--max-time", "20"));
    command.addAll(List.of(args));
    return exec(command);
  }

  private static Result exec(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
    return new Result(p.exitValue(), out);
  }
}
