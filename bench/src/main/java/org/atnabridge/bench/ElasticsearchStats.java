package org.atnabridge.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * What the capacity bench asks Elasticsearch over its REST API: how many events an index alias
 * holds (what a search sees), and how much disk they take once refreshed and flushed.
 */
final class ElasticsearchStats {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private final String url;

  ElasticsearchStats(String url) {
    this.url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  /** Documents searchable under {@code alias}; 0 while the alias does not exist yet. */
  long count(String alias) throws IOException, InterruptedException {
    HttpResponse<String> r = send("GET", "/" + alias + "/_count");
    if (r.statusCode() == 404) {
      return 0;
    }
    return json(r).path("count").asLong();
  }

  /**
   * Refreshes and flushes {@code alias} (optionally force-merges it to one segment per shard), then
   * reads its store size and event count.
   */
  Storage storage(String alias, boolean forceMerge) throws IOException, InterruptedException {
    json(send("POST", "/" + alias + "/_refresh"));
    json(send("POST", "/" + alias + "/_flush"));
    if (forceMerge) {
      json(send("POST", "/" + alias + "/_forcemerge?max_num_segments=1"));
      json(send("POST", "/" + alias + "/_refresh"));
    }
    JsonNode all = json(send("GET", "/" + alias + "/_stats/store")).path("_all");
    return new Storage(
        count(alias),
        all.path("primaries").path("store").path("size_in_bytes").asLong(),
        all.path("total").path("store").path("size_in_bytes").asLong());
  }

  /**
   * @param docs events searchable ({@code _count}: top-level documents, not Lucene's nested ones)
   * @param primaryBytes store size of the primary shards
   * @param totalBytes store size with replicas (equal to the primaries on one node)
   */
  record Storage(long docs, long primaryBytes, long totalBytes) {
    double bytesPerMillion() {
      return docs == 0 ? 0 : primaryBytes * 1_000_000.0 / docs;
    }
  }

  private HttpResponse<String> send(String method, String path)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(url + path))
            .timeout(Duration.ofMinutes(5))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> r) throws IOException {
    if (r.statusCode() / 100 != 2) {
      throw new IOException("Elasticsearch answered " + r.statusCode() + ": " + r.body());
    }
    return JSON.readTree(r.body());
  }
}
