package org.atnabridge.streams.alert.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

  @Test
  void parse_numberAndUnit() {
    assertThat(Durations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(Durations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(Durations.parse("90d")).isEqualTo(Duration.ofDays(90));
    assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
  }

  @Test
  void parse_refusesOtherForms() {
    for (String bad : new String[] {"5", "5 m", "-5m", "0s", "PT5M", "1.5h", "5M", ""}) {
      assertThatThrownBy(() -> Durations.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("bad duration '" + bad + "'");
    }
  }

  @Test
  void format_roundTrips() {
    for (String s : new String[] {"90d", "24h", "1h", "90m", "30s", "250ms", "2d"}) {
      assertThat(Durations.format(Durations.parse(s))).isEqualTo(s);
    }
  }
}
