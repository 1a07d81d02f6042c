package org.atnabridge.allinone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.atnabridge.search.ListenerSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code serve}'s options as picocli reads them (no pipeline is started). */
class ServeCommandTest {

  @Test
  void alertRules_isCarriedInTheConfig_andValidatedThere(@TempDir Path dir) throws Exception {
    Path rules =
        Files.writeString(
            dir.resolve("rules.yaml"),
            "rules:\n  - {id: a, title: A, kind: match, where: \"purpose=BTG\", severity: high}\n");
    ServeCommand serve = new ServeCommand();
    new CommandLine(serve).parseArgs("--alert-rules", rules.toString());
    PipelineConfig config = PipelineConfig.builder(dir).alertRules(serve.alertRules.file()).build();
    assertThat(config.alertRules()).isEqualTo(rules);
    assertThat(PipelineConfig.builder(dir).build().alertRules()).isNull();

    Files.writeString(rules, "rules:\n  - {id: a, title: A, kind: match, severity: high}\n");
    assertThatThrownBy(() -> PipelineConfig.builder(dir).alertRules(rules).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(rules + ":2: rule a: a match rule needs 'where' or 'fhirpath'");
  }

  @Test
  void subscriptionOptions_reachTheSubscriptionSettings(@TempDir Path dir) {
    ServeCommand byDefault = new ServeCommand();
    new CommandLine(byDefault).parseArgs();
    assertThat(byDefault.subscriptions.settings().retryDeadline())
        .isEqualTo(
            System.getenv("ATNA_SUBSCRIPTION_RETRY_DEADLINE") == null
                ? java.time.Duration.ofHours(24)
                : byDefault.subscriptions.settings().retryDeadline());

    ServeCommand set = new ServeCommand();
    new CommandLine(set)
        .parseArgs(
            "--subscription-allow-http",
            "--subscription-endpoints",
            "https://hooks.example.org/,http://10.0.0.5:8080/atna",
            "--subscription-retry-deadline",
            "36h",
            "--subscription-ws-token-ttl",
            "90s",
            "--subscription-retry-max-backoff",
            "20s");
    PipelineConfig.Builder b = PipelineConfig.builder(dir);
    set.subscriptions.applyTo(b);
    var settings = b.build().subscriptions();
    assertThat(settings.allowHttp()).isTrue();
    assertThat(settings.endpoints())
        .containsExactly("https://hooks.example.org/", "http://10.0.0.5:8080/atna");
    assertThat(settings.retryDeadline()).isEqualTo(java.time.Duration.ofHours(36));
    assertThat(settings.wsTokenTtl()).isEqualTo(java.time.Duration.ofSeconds(90));
    assertThat(settings.maxBackoff()).isEqualTo(java.time.Duration.ofSeconds(20));
    assertThat(settings.initialBackoff()).isEqualTo(java.time.Duration.ofSeconds(1));
    if (System.getenv("ATNA_SUBSCRIPTION_RETRY_MAX_BACKOFF") == null) {
      assertThat(byDefault.subscriptions.settings().maxBackoff())
          .isEqualTo(java.time.Duration.ofMinutes(5));
    }
    for (String bad : List.of("500ms", "2h")) {
      assertThatThrownBy(
              () ->
                  new CommandLine(new ServeCommand())
                      .parseArgs("--subscription-retry-max-backoff", bad)
                      .asCommandLineList()
                      .get(0)
                      .<ServeCommand>getCommand()
                      .subscriptions
                      .settings())
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("--subscription-retry-max-backoff");
    }
    if (System.getenv("ATNA_SUBSCRIPTION_WS_TOKEN_TTL") == null) {
      assertThat(byDefault.subscriptions.settings().wsTokenTtl())
          .isEqualTo(java.time.Duration.ofMinutes(5));
    }

    assertThatThrownBy(
            () ->
                new CommandLine(new ServeCommand())
                    .parseArgs("--subscription-endpoints", "ftp://x.example/")
                    .asCommandLineList()
                    .get(0)
                    .<ServeCommand>getCommand()
                    .subscriptions
                    .settings())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--subscription-endpoints");

    assertThatThrownBy(
            () ->
                new CommandLine(new ServeCommand())
                    .parseArgs("--subscription-ws-token-ttl", "2h")
                    .asCommandLineList()
                    .get(0)
                    .<ServeCommand>getCommand()
                    .subscriptions
                    .settings())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--subscription-ws-token-ttl");
  }

  @Test
  void requireDateWindow_offByDefault_onWithTheFlag() {
    ServeCommand byDefault = new ServeCommand();
    new CommandLine(byDefault).parseArgs();
    assertThat(byDefault.http.requireDateWindow)
        .isEqualTo(
            Boolean.parseBoolean(
                System.getenv().getOrDefault("ATNA_REQUIRE_DATE_WINDOW", "false")));

    ServeCommand flagged = new ServeCommand();
    new CommandLine(flagged).parseArgs("--require-date-window");
    assertThat(flagged.http.requireDateWindow).isTrue();

    ServeCommand explicit = new ServeCommand();
    new CommandLine(explicit).parseArgs("--require-date-window=false");
    assertThat(explicit.http.requireDateWindow).isFalse();
  }

  @Test
  void httpEdgeOptions_areRead_andBadValuesNameTheirOption() {
    ServeCommand serve = new ServeCommand();
    new CommandLine(serve)
        .parseArgs(
            "--public-base-url",
            "https://audit.example.org/fhir/",
            "--credential-query-params",
            "access_token,session",
            "--http-idle-timeout",
            "2m",
            "--http-header-timeout",
            "5s",
            "--http-max-connections",
            "100",
            "--http-max-connections-per-address",
            "10");
    ApiConfig.Edge edge = serve.api().edge();
    assertThat(edge.publicBaseUrl()).isEqualTo("https://audit.example.org/fhir");
    assertThat(edge.scrubber().credentialParameters())
        .containsExactlyInAnyOrder("access_token", "session");
    assertThat(edge.listener())
        .isEqualTo(new ListenerSettings(Duration.ofMinutes(2), Duration.ofSeconds(5), 100, 10));

    Map<String, String[]> bad =
        Map.of(
            "--public-base-url", new String[] {"--public-base-url", "audit.example.org/fhir?x=1"},
            "--credential-query-params", new String[] {"--credential-query-params", "a b"},
            "--http-idle-timeout", new String[] {"--http-idle-timeout", "forever"},
            "--http-header-timeout", new String[] {"--http-header-timeout", "2h"},
            "--http-max-connections", new String[] {"--http-max-connections", "0"},
            "--http-max-connections-per-address",
                new String[] {"--http-max-connections-per-address", "0"});
    bad.forEach(
        (option, args) -> {
          ServeCommand command = new ServeCommand();
          // a value that is no duration at all is refused while parsing, a value out of range when
          // checked
          assertThatThrownBy(
                  () -> {
                    new CommandLine(command).parseArgs(args);
                    command.api();
                  })
              .as(option)
              .isInstanceOfAny(IllegalArgumentException.class, CommandLine.ParameterException.class)
              .hasMessageContaining(option);
        });
  }
}
