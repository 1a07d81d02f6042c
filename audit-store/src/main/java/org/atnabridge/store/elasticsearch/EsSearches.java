package org.atnabridge.store.elasticsearch;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.SearchRequest;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.util.ObjectBuilder;
import java.io.IOException;
import java.util.function.Function;

/**
 * Searches that survive the start of a new monthly index. Such an index is auto-created by the
 * first bulk of its month and joins the alias at once, before its primary shard has started; a
 * search in that window fails with 503 {@code no_shard_available_action_exception}. That is
 * transient, so it is retried briefly instead of failing the user's search.
 */
final class EsSearches {

  /** Attempts while a new monthly index starts its shard (~2.7 s in all). */
  private static final int SHARD_RETRIES = 10;

  private final ElasticsearchClient client;

  EsSearches(ElasticsearchClient client) {
    this.client = client;
  }

  <T> SearchResponse<T> search(
      Function<SearchRequest.Builder, ObjectBuilder<SearchRequest>> request, Class<T> type)
      throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        return client.search(request, type);
      } catch (IOException | RuntimeException e) {
        if (attempt >= SHARD_RETRIES
            || !String.valueOf(e.getMessage()).contains("no_shard_available_action_exception")) {
          throw e;
        }
        try {
          Thread.sleep(50L * attempt);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  /** The {@code _source} fields a hit is read from: only the FHIR JSON is kept there. */
  record Source(String json) {}
}
