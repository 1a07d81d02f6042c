package org.atnabridge.allinone;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The per-service commands' options and refusals, as picocli reads them (nothing is started). */
class ServiceCommandsTest {

  /**
   * Every option {@code serve} had before its options became mixins: names unchanged, all in its
   * help.
   */
  static final List<String> SERVE_OPTIONS =
      List.of(
          "--data-dir",
          "--http-host",
          "--http-port",
          "--max-request-bytes",
          "--syslog-host",
          "--syslog-port",
          "--syslog-tls-port",
          "--tls-cert",
          "--tls-key",
          "--tls-trust",
          "--tls-protocols",
          "--tls-ciphers",
          "--tls-client-auth",
          "--syslog-max-frame",
          "--syslog-idle-timeout",
          "--syslog-max-connections",
          "--syslog-max-connections-per-peer",
          "--syslog-udp-buffer",
          "--kafka-port",
          "--kafka-bootstrap",
          "--elasticsearch-url",
          "--elasticsearch-index",
          "--elasticsearch-shards",
          "--elasticsearch-replicas",
          "--elasticsearch-refresh-interval",
          "--retention",
          "--retention-check-interval",
          "--dev-allow-unauthenticated-remote",
          "--dev-allow-unauthenticated",
          "--oidc-issuer",
          "--oidc-jwks-url",
          "--oidc-key-file",
          "--oidc-audience",
          "--oidc-clock-skew",
          "--oidc-patient-claim",
          "--oidc-clearance-claim",
          "--oidc-client-id",
          "--oidc-client-secret-file",
          "--oidc-scopes",
          "--patient-identifier-system",
          "--access-denied-read",
          "--https-cert",
          "--https-key",
          "--cors-origins",
          "--cors-methods",
          "--cors-headers",
          "--public-base-url",
          "--credential-query-params",
          "--http-idle-timeout",
          "--http-header-timeout",
          "--http-max-connections",
          "--http-max-connections-per-address",
          "--require-date-window",
          "--alert-rules",
          "--subscription-allow-http",
          "--subscription-endpoints",
          "--subscription-retry-deadline",
          "--subscription-retry-max-backoff",
          "--subscription-ws-token-ttl");

  @TempDir Path dir;

  @Test
  void serveHelp_listsEveryOption() {
    Result help = run("serve", "--help");
    assertThat(help.code()).isZero();
    for (String option : SERVE_OPTIONS) {
      assertThat(help.out()).as(option).contains(option);
    }
    assertThat(help.out()).contains("--ready-max-lag");
  }

  @Test
  void eachService_sharesItsOptionsWithServe() {
    CommandLine cli = AtnaBridgeCommand.commandLine();
    Set<String> serve = names(cli, "serve");
    for (String service : List.of("ingest", "streams", "indexer", "api")) {
      Set<String> own = names(cli, service);
      own.removeAll(Set.of("--health-host", "--health-port"));
      // serve takes access log lines on its API port: the ingest-only HTTP listener is not on it
      own.removeAll(IngestHttpOptions.INGEST_ONLY);
      assertThat(serve).as(service).containsAll(own);
    }
    assertThat(names(cli, "ingest"))
        .contains("--syslog-port", "--tls-cert", "--health-port", "--ingest-http-port")
        .doesNotContain("--http-port", "--elasticsearch-url");
    assertThat(names(cli, "indexer"))
        .contains("--elasticsearch-url", "--retention", "--ready-max-lag", "--health-port");
    assertThat(names(cli, "api"))
        .contains(
            "--http-port",
            "--oidc-issuer",
            "--elasticsearch-url",
            "--access-log-scrub",
            "--subscription-endpoints",
            "--subscription-retry-deadline")
        .doesNotContain("--health-port", "--syslog-port", "--retention", "--access-log-tags");
    // the syslog tags route syslog messages: only where syslog is received
    for (String service : List.of("serve", "ingest")) {
      assertThat(names(cli, service))
          .as(service)
          .contains("--access-log-tags", "--access-log-scrub");
    }
    assertThat(names(cli, "streams"))
        .contains("--data-dir", "--kafka-bootstrap", "--health-port", "--alert-rules");
  }

  @Test
  void services_needAnExternalKafka_namingTheOption() {
    for (String service : List.of("ingest", "streams", "indexer", "api")) {
      Result r =
          service.equals("ingest")
              ? run(service, "--kafka-bootstrap", "")
              : run(service, "--data-dir", dir.toString(), "--kafka-bootstrap", "");
      assertThat(r.code()).as(service + ": " + r.err()).isEqualTo(2);
      assertThat(r.err())
          .as(service)
          .contains("--kafka-bootstrap is required by atna-bridge " + service)
          .doesNotContain("at org.");
    }
  }

  @Test
  void api_refusesLucene_namingTheOption() {
    Result r =
        run(
            "api",
            "--data-dir",
            dir.toString(),
            "--kafka-bootstrap",
            "127.0.0.1:9",
            "--elasticsearch-url",
            "");
    assertThat(r.code()).as(r.err()).isEqualTo(2);
    assertThat(r.err()).contains("--elasticsearch-url is required by atna-bridge api");
  }

  @Test
  void badHealthPort_andLag_nameTheirOption() {
    Result port = run("ingest", "--kafka-bootstrap", "127.0.0.1:9", "--health-port", "70000");
    assertThat(port.code()).isEqualTo(2);
    assertThat(port.err()).contains("--health-port");
    Result lag =
        run(
            "indexer",
            "--data-dir",
            dir.toString(),
            "--kafka-bootstrap",
            "127.0.0.1:9",
            "--ready-max-lag",
            "-1");
    assertThat(lag.code()).isEqualTo(2);
    assertThat(lag.err()).contains("--ready-max-lag");
  }

  @Test
  void badVerifyLimits_stopServeAndApi_namingTheOption() {
    Result max = run("serve", "--data-dir", dir.toString(), "--verify-max-events", "0");
    assertThat(max.code()).as(max.err()).isEqualTo(2);
    assertThat(max.err()).contains("--verify-max-events must be 1..");
    Result concurrency =
        run(
            "api",
            "--data-dir",
            dir.toString(),
            "--kafka-bootstrap",
            "127.0.0.1:9",
            "--elasticsearch-url",
            "http://127.0.0.1:9",
            "--verify-concurrency",
            "0");
    assertThat(concurrency.code()).as(concurrency.err()).isEqualTo(2);
    assertThat(concurrency.err()).contains("--verify-concurrency must be 1..");
  }

  private static Set<String> names(CommandLine cli, String command) {
    Set<String> names = new TreeSet<>();
    cli.getSubcommands()
        .get(command)
        .getCommandSpec()
        .options()
        .forEach(o -> names.addAll(List.of(o.names())));
    names.removeAll(Set.of("-h", "--help", "-V", "--version"));
    return names;
  }

  @Test
  void badAccessLogSourcesFile_stopsStartUp_namingTheOptionAndTheSetting() throws Exception {
    Path sources = dir.resolve("sources.yaml");
    java.nio.file.Files.writeString(
        sources, "sources:\n  - name: gw\n    format: combined\n  - name: x\n    format: nope\n");
    Result streams =
        run(
            "streams",
            "--data-dir",
            dir.toString(),
            "--kafka-bootstrap",
            "127.0.0.1:9",
            "--access-log-sources",
            sources.toString());
    Result serve =
        run("serve", "--data-dir", dir.toString(), "--access-log-sources", sources.toString());
    for (Result r : List.of(streams, serve)) {
      assertThat(r.code()).as(r.err()).isEqualTo(2);
      assertThat(r.err())
          .contains("--access-log-sources " + sources)
          .contains("sources[1].format: ");
    }
    Result missing =
        run(
            "streams",
            "--data-dir",
            dir.toString(),
            "--kafka-bootstrap",
            "127.0.0.1:9",
            "--access-log-sources",
            dir.resolve("absent.yaml").toString());
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("--access-log-sources", "cannot be read");
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
