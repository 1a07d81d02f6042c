package org.atnabridge.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ApiSettingsTest {

  @Test
  void defaults_are50Max1000NoDateWindow() {
    assertThat(ApiSettings.DEFAULTS).isEqualTo(new ApiSettings(50, 1000, false));
    assertThat(ApiSettings.DEFAULTS.withRequireDateWindow(true).requireDateWindow()).isTrue();
  }

  @Test
  void outOfRange_isRefusedNamingTheSetting() {
    assertThatThrownBy(() -> new ApiSettings(50, 1001, false)).hasMessageContaining("maxPageSize");
    assertThatThrownBy(() -> new ApiSettings(50, 0, false)).hasMessageContaining("maxPageSize");
    assertThatThrownBy(() -> new ApiSettings(0, 100, false))
        .hasMessageContaining("defaultPageSize");
    assertThatThrownBy(() -> new ApiSettings(101, 100, false))
        .hasMessageContaining("defaultPageSize");
  }
}
