package org.atnabridge.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ListenerSettingsTest {

  @Test
  void badValues_nameTheirOption() {
    Duration s30 = Duration.ofSeconds(30);
    Map<String, Runnable> cases =
        Map.of(
            "--http-idle-timeout",
                () -> new ListenerSettings(Duration.ZERO, Duration.ofSeconds(1), 10, 1),
            "--http-header-timeout", () -> new ListenerSettings(s30, Duration.ofSeconds(31), 10, 1),
            "--http-max-connections", () -> new ListenerSettings(s30, s30, 0, 1),
            "--http-max-connections-per-address", () -> new ListenerSettings(s30, s30, 10, 11));
    cases.forEach(
        (option, build) ->
            assertThatThrownBy(build::run).as(option).hasMessageStartingWith(option));
    assertThat(ListenerSettings.DEFAULTS.headerTimeout())
        .isLessThan(ListenerSettings.DEFAULTS.idleTimeout());
  }

  @Test
  void publicBaseUrl_isValidated_andLosesItsTrailingSlash() {
    assertThat(SearchServer.parsePublicBaseUrl("https://audit.example.org/fhir/"))
        .isEqualTo("https://audit.example.org/fhir");
    for (String bad :
        new String[] {
          "audit.example.org/fhir",
          "ftp://x/fhir",
          "https://u:p@x/fhir",
          "https://x/fhir?a=b",
          "https://x/fhir#f",
          "https:///fhir",
          "not a url"
        }) {
      assertThatThrownBy(() -> SearchServer.parsePublicBaseUrl(bad))
          .as(bad)
          .hasMessageContaining("--public-base-url");
    }
  }
}
