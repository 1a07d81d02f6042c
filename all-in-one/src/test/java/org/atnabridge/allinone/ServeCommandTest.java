package org.atnabridge.allinone;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code serve}'s options as picocli reads them (no pipeline is started). */
class ServeCommandTest {

  @Test
  void requireDateWindow_offByDefault_onWithTheFlag() {
    ServeCommand byDefault = new ServeCommand();
    new CommandLine(byDefault).parseArgs();
    assertThat(byDefault.requireDateWindow).isEqualTo(Boolean.parseBoolean(
        System.getenv().getOrDefault("ATNA_REQUIRE_DATE_WINDOW", "false")));

    ServeCommand flagged = new ServeCommand();
    new CommandLine(flagged).parseArgs("--require-date-window");
    assertThat(flagged.requireDateWindow).isTrue();

    ServeCommand explicit = new ServeCommand();
    new CommandLine(explicit).parseArgs("--require-date-window=false");
    assertThat(explicit.requireDateWindow).isFalse();
  }
}
