package org.atnabridge.allinone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** {@code --elasticsearch-url}: one node as before, or the nodes of a cluster comma-separated. */
class PipelineChecksElasticsearchUrlTest {

  @Test
  void oneNode_asBefore() {
    assertThat(PipelineChecks.elasticsearchUrl(" http://es:9200 ")).isEqualTo("http://es:9200");
    assertThat(PipelineChecks.elasticsearchUrl("http://es:9200/")).isEqualTo("http://es:9200/");
    assertThat(PipelineChecks.elasticsearchUrl("https://es")).isEqualTo("https://es");
  }

  @Test
  void blank_isNoElasticsearch() {
    assertThat(PipelineChecks.elasticsearchUrl("  ")).isNull();
    assertThat(PipelineChecks.elasticsearchUrl(null)).isNull();
  }

  @Test
  void severalNodes_trimmedEach() {
    assertThat(
            PipelineChecks.elasticsearchUrl(
                "https://es-1:9200, https://es-2:9200 ,https://es-3:9200"))
        .isEqualTo("https://es-1:9200,https://es-2:9200,https://es-3:9200");
  }

  @Test
  void mixedSchemes_failNamingTheOption() {
    assertThatThrownBy(() -> PipelineChecks.elasticsearchUrl("https://es-1:9200,http://es-2:9200"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--elasticsearch-url")
        .hasMessageContaining("same scheme");
  }

  @Test
  void aBadOrEmptyEntry_failsNamingTheOption() {
    for (String bad :
        new String[] {
          "http://es-1:9200,", "http://es-1:9200,,http://es-2:9200", "es-1:9200", "http://es/path"
        }) {
      assertThatThrownBy(() -> PipelineChecks.elasticsearchUrl(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("--elasticsearch-url must look like http://host:9200");
    }
  }
}
