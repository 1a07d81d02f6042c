package org.atnabridge.store.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class EsHostsTest {

  @Test
  void oneUrl_isOneNode_withoutTrailingSlash() {
    EsHosts hosts = EsHosts.parse("http://127.0.0.1:9200/");
    assertThat(hosts.uris()).containsExactly(URI.create("http://127.0.0.1:9200"));
    assertThat(hosts).hasToString("http://127.0.0.1:9200");
  }

  @Test
  void severalUrls_areEveryNodeInOrder() {
    EsHosts hosts = EsHosts.parse("https://es1:9200, https://es2:9200/,https://es3:9201");
    assertThat(hosts.uris())
        .containsExactly(
            URI.create("https://es1:9200"),
            URI.create("https://es2:9200"),
            URI.create("https://es3:9201"));
    assertThat(hosts).hasToString("https://es1:9200,https://es2:9200,https://es3:9201");
  }

  @Test
  void mixedSchemes_areRefused() {
    assertThatThrownBy(() -> EsHosts.parse("https://es1:9200,http://es2:9200"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("same scheme");
  }

  @Test
  void anEmptyOrSchemelessEntry_isRefused() {
    assertThatThrownBy(() -> EsHosts.parse("http://es1:9200,"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("http(s)://host:port");
    assertThatThrownBy(() -> EsHosts.parse("es1:9200"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("http(s)://host:port");
  }

  @Test
  void theBuilderTakesSeveralNodes() {
    ElasticsearchAuditStore store =
        ElasticsearchAuditStore.builder("http://127.0.0.1:1,http://127.0.0.1:2").build();
    try {
      assertThat(store.index()).isEqualTo(ElasticsearchAuditStore.DEFAULT_INDEX);
    } finally {
      store.close();
    }
  }
}
