package org.atnabridge.allinone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ElasticsearchLayoutTest {

  @Test
  void defaults_oneShardAutoReplicasOneSecond() {
    assertThat(ElasticsearchLayout.parse("1", "auto", "1s"))
        .isEqualTo(ElasticsearchLayout.DEFAULTS);
    assertThat(ElasticsearchLayout.DEFAULTS.replicas()).isNull();
  }

  @Test
  void clusterValues_areTaken() {
    assertThat(ElasticsearchLayout.parse("3", "1", "500ms"))
        .isEqualTo(new ElasticsearchLayout(3, 1, "500ms"));
  }

  @Test
  void badValues_nameTheirOption() {
    assertThatThrownBy(() -> ElasticsearchLayout.parse("0", "auto", "1s"))
        .hasMessageContaining("--elasticsearch-shards");
    assertThatThrownBy(() -> ElasticsearchLayout.parse("two", "auto", "1s"))
        .hasMessageContaining("--elasticsearch-shards");
    assertThatThrownBy(() -> ElasticsearchLayout.parse("1", "-1", "1s"))
        .hasMessageContaining("--elasticsearch-replicas");
    assertThatThrownBy(() -> ElasticsearchLayout.parse("1", "many", "1s"))
        .hasMessageContaining("--elasticsearch-replicas");
    assertThatThrownBy(() -> ElasticsearchLayout.parse("1", "auto", "30s"))
        .hasMessageContaining("--elasticsearch-refresh-interval");
    assertThatThrownBy(() -> ElasticsearchLayout.parse("1", "auto", "soon"))
        .hasMessageContaining("--elasticsearch-refresh-interval");
  }
}
