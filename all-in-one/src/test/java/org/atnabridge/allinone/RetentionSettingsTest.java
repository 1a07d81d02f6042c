package org.atnabridge.allinone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetentionSettingsTest {

  @Test
  void badRetentionValues_nameTheirOption() {
    assertThatThrownBy(() -> RetentionSettings.parse("a year", "1h"))
        .hasMessageStartingWith("--retention ");
    assertThatThrownBy(() -> RetentionSettings.parse("0d", "1h"))
        .hasMessageStartingWith("--retention ");
    assertThatThrownBy(() -> RetentionSettings.parse("365d", "0s"))
        .hasMessageStartingWith("--retention-check-interval ");
    assertThatThrownBy(() -> RetentionSettings.parse("off", "soon"))
        .hasMessageStartingWith("--retention-check-interval ");
    assertThat(RetentionSettings.parse("off", "1h").enabled()).isFalse();
    assertThat(RetentionSettings.parse("365d", "10m"))
        .isEqualTo(new RetentionSettings(Duration.ofDays(365), Duration.ofMinutes(10)));
  }
}
