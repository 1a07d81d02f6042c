package org.atnabridge.allinone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.atnabridge.store.elasticsearch.ElasticsearchCredentials;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Elasticsearch security options as start-up reads them: a bad one names itself. */
class ElasticsearchAccessTest {

  private static final String HTTPS = "https://es-1:9200";

  @TempDir Path dir;

  @Test
  void userWithPasswordFile_andCa() throws Exception {
    Path password = Files.writeString(dir.resolve("pw"), "  hunter2-long \n");
    Path ca = Files.writeString(dir.resolve("ca.crt"), "pem");
    ElasticsearchCredentials c =
        ElasticsearchAccess.credentials(HTTPS, ca.toString(), "", "elastic", password.toString());
    assertThat(c).isEqualTo(new ElasticsearchCredentials(ca, null, "elastic", "hunter2-long"));
  }

  @Test
  void apiKey_givenOrReadFromAFile() throws Exception {
    Path key = Files.writeString(dir.resolve("key"), "a2V5OnNlY3JldA==\n");
    assertThat(ElasticsearchAccess.credentials(HTTPS, null, "@" + key, null, null).apiKey())
        .isEqualTo("a2V5OnNlY3JldA==");
    assertThat(ElasticsearchAccess.credentials(HTTPS, null, "abc", null, null).apiKey())
        .isEqualTo("abc");
  }

  @Test
  void nothingGiven_isNone_evenOverHttp() {
    assertThat(ElasticsearchAccess.credentials("http://es:9200", "", "", "", ""))
        .isEqualTo(ElasticsearchCredentials.NONE);
  }

  @Test
  void badCombinations_failNamingTheOption_withoutEchoingSecrets() throws Exception {
    Path password = Files.writeString(dir.resolve("pw"), "topsecret");
    assertThatThrownBy(
            () ->
                ElasticsearchAccess.credentials(
                    "http://es:9200", null, null, "elastic", password.toString()))
        .hasMessageContaining("https --elasticsearch-url")
        .hasMessageNotContaining("topsecret");
    assertThatThrownBy(() -> ElasticsearchAccess.credentials(HTTPS, null, "k", "elastic", null))
        .hasMessageContaining("not both");
    assertThatThrownBy(() -> ElasticsearchAccess.credentials(HTTPS, null, null, "elastic", null))
        .hasMessageContaining("--elasticsearch-password-file");
    assertThatThrownBy(
            () -> ElasticsearchAccess.credentials(HTTPS, null, null, null, password.toString()))
        .hasMessageContaining("--elasticsearch-user");
    assertThatThrownBy(
            () ->
                ElasticsearchAccess.credentials(
                    HTTPS, dir.resolve("missing.crt").toString(), null, null, null))
        .hasMessageContaining("--elasticsearch-ca")
        .hasMessageContaining("missing.crt");
    Path empty = Files.writeString(dir.resolve("empty"), "\n");
    assertThatThrownBy(() -> ElasticsearchAccess.credentials(HTTPS, null, "@" + empty, null, null))
        .hasMessageContaining("--elasticsearch-api-key")
        .hasMessageContaining("empty");
  }

  @Test
  void aCluster_needsEveryNodeHttps_forCredentials() throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.crt"), "pem");
    assertThat(
            ElasticsearchAccess.credentials(
                    "https://es-1:9200,https://es-2:9200", ca.toString(), "k", null, null)
                .apiKey())
        .isEqualTo("k");
    assertThatThrownBy(
            () ->
                ElasticsearchAccess.credentials(
                    "https://es-1:9200,http://es-2:9200", null, "k", null, null))
        .hasMessageContaining("https --elasticsearch-url");
  }
}
