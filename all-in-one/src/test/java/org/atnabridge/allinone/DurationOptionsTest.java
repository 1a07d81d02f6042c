package org.atnabridge.allinone;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every duration option of every subcommand, found in the command tree itself: each is a {@link
 * Duration} read by {@link DurationConverter} (or one of its variants), so {@code 1h} and {@code
 * PT1H}, {@code 90s} and {@code PT90S} mean the same everywhere. An option whose name says it is a
 * duration but is read another way fails here.
 */
class DurationOptionsTest {

  /** Names that say "this is a length of time". */
  private static final Pattern DURATION_NAME =
      Pattern.compile(
          ".*-(timeout|interval|ttl|skew|retention|age|delay|bound|period|window-length)$|--ttl|--retention");

  /** The duration options each command must have (the walk finds any others too). */
  private static final List<String> EXPECTED =
      List.of(
          "serve --syslog-idle-timeout",
          "serve --http-idle-timeout",
          "serve --http-header-timeout",
          "serve --oidc-clock-skew",
          "serve --retention",
          "serve --retention-check-interval",
          "serve --elasticsearch-refresh-interval",
          "ingest --syslog-idle-timeout",
          "indexer --retention",
          "indexer --retention-check-interval",
          "indexer --elasticsearch-refresh-interval",
          "api --http-idle-timeout",
          "api --http-header-timeout",
          "api --oidc-clock-skew",
          "api --elasticsearch-refresh-interval",
          "verify --timeout",
          "token --ttl",
          "reference load --timeout");

  @Test
  void everyDurationOption_isReadByTheDurationConverter_inBothForms() throws Exception {
    List<String> found = new ArrayList<>();
    List<String> wrong = new ArrayList<>();
    for (CommandLine command : commands(AtnaBridgeCommand.commandLine(), new ArrayList<>())) {
      String path = command.getCommandSpec().qualifiedName(" ").replaceFirst("^atna-bridge ", "");
      for (OptionSpec option : command.getCommandSpec().options()) {
        boolean named =
            option.names().length > 0 && DURATION_NAME.matcher(option.longestName()).matches();
        if (!named && option.type() != Duration.class) {
          continue;
        }
        String id = path + " " + option.longestName();
        found.add(id);
        CommandLine.ITypeConverter<?>[] converters = option.converters();
        if (option.type() != Duration.class
            || converters.length != 1
            || !isDurationConverter(converters[0])) {
          wrong.add(id + " (type " + option.type().getSimpleName() + ")");
          continue;
        }
        for (String[] same :
            new String[][] {{"1h", "PT1H"}, {"90s", "PT90S"}, {"2d", "P2D"}, {"15m", "PT15M"}}) {
          assertThat(converters[0].convert(same[0]))
              .as(id + " " + same[0])
              .isEqualTo(Duration.parse(same[1]))
              .isEqualTo(converters[0].convert(same[1]));
        }
      }
    }
    assertThat(wrong).as("duration options not read by DurationConverter").isEmpty();
    assertThat(found).containsAll(EXPECTED);
  }

  @Test
  void theDefaults_areReadTheSameWay() {
    ServeCommand serve = new ServeCommand();
    new CommandLine(serve).parseArgs();
    assertThat(serve.retention.retention()).isEqualTo(RetentionSettings.OFF);
    assertThat(serve.syslog.ingest().idleTimeout()).isEqualTo(Duration.ofSeconds(300));
    assertThat(serve.api().clockSkew()).isEqualTo(Duration.ofSeconds(30));
    assertThat(serve.store.layout().refreshInterval()).isEqualTo("1s");
    ServeCommand custom = new ServeCommand();
    new CommandLine(custom)
        .parseArgs(
            "--oidc-clock-skew",
            "0s",
            "--retention",
            "P365D",
            "--syslog-idle-timeout",
            "90",
            "--elasticsearch-refresh-interval",
            "500ms");
    assertThat(custom.api().clockSkew()).isZero();
    assertThat(custom.retention.retention().maxAge()).isEqualTo(Duration.ofDays(365));
    assertThat(custom.syslog.ingest().idleTimeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(custom.store.layout().refreshInterval()).isEqualTo("500ms");
  }

  private static boolean isDurationConverter(CommandLine.ITypeConverter<?> converter) {
    Class<?> c = converter.getClass();
    return c == DurationConverter.class || c.getEnclosingClass() == DurationConverter.class;
  }

  private static List<CommandLine> commands(CommandLine root, List<CommandLine> into) {
    into.add(root);
    root.getSubcommands().values().stream().distinct().forEach(sub -> commands(sub, into));
    return into;
  }
}
