package org.atnabridge.store.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.apache.hc.core5.http.Header;
import org.junit.jupiter.api.Test;

class ElasticsearchCredentialsTest {

  @Test
  void apiKey_isSentAsTheApiKeyScheme() {
    Header[] h = new ElasticsearchCredentials(null, " a2V5OnNlY3JldA== ", null, null).headers();
    assertThat(h).hasSize(1);
    assertThat(h[0].getName()).isEqualTo("Authorization");
    assertThat(h[0].getValue()).isEqualTo("ApiKey a2V5OnNlY3JldA==");
  }

  @Test
  void userAndPassword_areSentAsHttpBasic() {
    Header[] h = new ElasticsearchCredentials(null, null, "indexer", "pä:ss").headers();
    assertThat(h[0].getValue())
        .isEqualTo(
            "Basic "
                + Base64.getEncoder()
                    .encodeToString("indexer:pä:ss".getBytes(StandardCharsets.UTF_8)));
    assertThat(ElasticsearchCredentials.NONE.headers()).isEmpty();
  }

  @Test
  void oneWayToAuthenticate_andNoSecretInToString() {
    assertThatThrownBy(() -> new ElasticsearchCredentials(null, "k", "u", "p"))
        .hasMessageContaining("not both");
    assertThatThrownBy(() -> new ElasticsearchCredentials(null, null, "u", null))
        .hasMessageContaining("password");
    assertThatThrownBy(() -> new ElasticsearchCredentials(null, null, null, "p"))
        .hasMessageContaining("user");
    assertThat(new ElasticsearchCredentials(null, "the-key", null, null).toString())
        .doesNotContain("the-key")
        .contains("api key");
    assertThat(new ElasticsearchCredentials(null, null, "u", "pw-123").toString())
        .doesNotContain("pw-123");
  }
}
