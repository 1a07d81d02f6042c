package org.atnabridge.allinone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.atnabridge.testing.ElasticsearchExtension;
import org.atnabridge.testing.RestartableElasticsearchNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve} (the packaged jar, as an operator runs it) started while its Elasticsearch node is
 * down: it neither says ready nor reports ready at {@code /health/ready} until the node is up and
 * the index template, alias and write index are in place; then both, without a restart.
 */
class ElasticsearchReadinessIT {

  @Test
  void serve_elasticsearchDownAtStart_notReady_becomesReadyOnceTheNodeIsUp(@TempDir Path dir)
      throws Exception {
    try (RestartableElasticsearchNode es =
        ElasticsearchExtension.startDedicated(Duration.ofSeconds(180))) {
      es.stop(); // its port: nothing listens there now
      int http = ServeProcess.freePort();
      String ready = "http://127.0.0.1:" + http + "/health/ready";
      try (ServeProcess serve =
          ServeProcess.serve(
              dir,
              http,
              ServeProcess.freePort(),
              0,
              "--elasticsearch-url",
              es.url(),
              "--elasticsearch-index",
              "late-node")) {
        await()
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(500))
            .ignoreExceptionsInstanceOf(ConnectException.class)
            .until(() -> serve.log().contains("is not ready: store:"));
        HttpResponse<String> down = get(ready);
        assertThat(down.statusCode()).as(down.body()).isEqualTo(503);
        assertThat(down.body()).contains("\"index\":\"DOWN\"", "\"store\":\"DOWN\"");
        Thread.sleep(3_000); // and it stays so
        assertThat(get(ready).statusCode()).isEqualTo(503);
        assertThat(serve.log())
            .doesNotContain(ServeProcess.READY)
            .doesNotContain("ready: audit store elasticsearch")
            .contains("index template, alias and write index not installed");

        es.restart(Duration.ofSeconds(180));

        serve.awaitReady(Duration.ofSeconds(60));
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(500))
            .untilAsserted(() -> assertThat(get(ready).statusCode()).isEqualTo(200));
        HttpResponse<String> alias =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(URI.create(es.url() + "/_alias/late-node")).build(),
                    HttpResponse.BodyHandlers.ofString());
        assertThat(alias.statusCode()).as(alias.body()).isEqualTo(200);
        assertThat(serve.log()).doesNotContain("ERROR");
      }
    }
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
