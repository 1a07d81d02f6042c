package org.atnabridge.allinone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * One duration syntax on every command: {@code 30s}, {@code 15m}, {@code 1h}, {@code 2d} and
 * ISO-8601 {@code PT60S}.
 */
class DurationConverterTest {

  @Test
  void shortForms_andIso8601_meanTheSame() {
    assertThat(DurationConverter.parse("--ttl", "30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(DurationConverter.parse("--ttl", "15m")).isEqualTo(Duration.ofMinutes(15));
    assertThat(DurationConverter.parse("--ttl", "1h")).isEqualTo(Duration.ofHours(1));
    assertThat(DurationConverter.parse("--ttl", "2d")).isEqualTo(Duration.ofDays(2));
    assertThat(DurationConverter.parse("--retention", "365d")).isEqualTo(Duration.ofDays(365));
    assertThat(DurationConverter.parse("--timeout", "PT60S")).isEqualTo(Duration.ofSeconds(60));
    assertThat(DurationConverter.parse("--timeout", "PT1H"))
        .isEqualTo(DurationConverter.parse("--timeout", "1h"));
    assertThat(DurationConverter.parse("--retention", "P2D")).isEqualTo(Duration.ofDays(2));
  }

  @Test
  void badValues_nameTheirOption() {
    for (String bad :
        new String[] {"", "1", "h", "1.5h", "-1h", "0s", "1w", "PT0S", "-PT1S", "P", "forever"}) {
      assertThatThrownBy(() -> DurationConverter.parse("--ttl", bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("--ttl must be");
    }
  }

  @Test
  void everyCommandWithADuration_acceptsBothForms() {
    assertThat(
            parse(new VerifyCommand(), "--url", "http://127.0.0.1:8080", "--timeout", "45s")
                .timeout)
        .isEqualTo(Duration.ofSeconds(45));
    assertThat(parse(new VerifyCommand(), "--url", "http://127.0.0.1:8080").timeout)
        .isEqualTo(Duration.ofSeconds(30));
    assertThat(parse(new ReferenceCommand.Load(), "--timeout", "2m", "x.csv").timeout)
        .isEqualTo(Duration.ofMinutes(2));
    assertThat(RetentionSettings.parse("P365D", "PT1H"))
        .isEqualTo(new RetentionSettings(Duration.ofDays(365), Duration.ofHours(1)));
    assertThat(ElasticsearchLayout.parse("1", "auto", "PT0.5S"))
        .isEqualTo(new ElasticsearchLayout(1, null, "500ms"));
    assertThat(ElasticsearchLayout.parse("1", "auto", "PT1S").refreshInterval())
        .isEqualTo("1000ms");
    ServeCommand serve =
        parse(
            new ServeCommand(),
            "--http-idle-timeout",
            "PT2M",
            "--oidc-clock-skew",
            "PT10S",
            "--syslog-idle-timeout",
            "5m");
    assertThat(serve.api().edge().listener().idleTimeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(serve.api().clockSkew()).isEqualTo(Duration.ofSeconds(10));
    assertThat(serve.syslog.ingest().idleTimeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(
            parse(new ServeCommand(), "--syslog-idle-timeout", "300").syslog.ingest().idleTimeout())
        .isEqualTo(Duration.ofSeconds(300));
  }

  @Test
  void tokenTtl_inIso8601_andABadTimeout_isAUsageErrorNamingTheOption() {
    StringWriter err = new StringWriter();
    CommandLine cli = AtnaBridgeCommand.commandLine();
    cli.setErr(new PrintWriter(err, true));
    cli.setOut(new PrintWriter(new StringWriter(), true));
    assertThat(cli.execute("verify", "--url", "http://127.0.0.1:1", "--timeout", "soon"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--timeout").doesNotContain("at org.");
  }

  private static <T> T parse(T command, String... args) {
    new CommandLine(command).parseArgs(args);
    return command;
  }
}
