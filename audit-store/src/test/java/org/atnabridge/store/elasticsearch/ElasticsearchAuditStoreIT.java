package org.atnabridge.store.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.atnabridge.store.TestEvents.event;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.atnabridge.store.AuditQuery;
import org.atnabridge.store.AuditStore;
import org.atnabridge.store.AuditStoreContract;
import org.atnabridge.store.AuditStores;
import org.atnabridge.store.StoreException;
import org.atnabridge.testing.ElasticsearchExtension;
import org.atnabridge.testing.ElasticsearchNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The contract against a real Elasticsearch node; never skipped (the fixture fails instead). */
@ExtendWith(ElasticsearchExtension.class)
class ElasticsearchAuditStoreIT extends AuditStoreContract {

  private final ElasticsearchNode es;

  ElasticsearchAuditStoreIT(ElasticsearchNode es) {
    this.es = es;
  }

  @Override
  protected AuditStore newStore() {
    return ElasticsearchAuditStore.builder(es.url()).index("audit-events-contract").refreshImmediately(true).build();
  }

  @Override
  protected void clear(AuditStore store) {
    ((ElasticsearchAuditStore) store).deleteIndex();
  }

  @Test
  void write_rejectedByTheIndex_throwsStoreException() throws Exception {
    // an index created by someone else with an incompatible mapping: every bulk item fails
    HttpResponse<String> created = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(es.url() + "/audit-events-conflict"))
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(
                "{\"mappings\":{\"dynamic\":\"strict\",\"properties\":{\"id\":{\"type\":\"keyword\"}}}}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(200);

    try (ElasticsearchAuditStore store = ElasticsearchAuditStore.builder(es.url()).index("audit-events-conflict").build()) {
      assertThatThrownBy(() -> store.writer().write(List.of(event("x", T0))))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("rejected 1 of 1");
      store.deleteIndex();
    }
  }

  @Test
  void check_unreachableCluster_isDownAndWriteThrowsStoreException() {
    try (AuditStore store = AuditStores.elasticsearch("http://127.0.0.1:9")) {
      assertThat(store.check().ok()).isFalse();
      assertThatThrownBy(() -> store.writer().write(List.of(event("x", T0)))).isInstanceOf(StoreException.class);
    }
  }

  @Test
  void write_defaultWaitForRefresh_isVisibleOnReturn() {
    try (ElasticsearchAuditStore store = ElasticsearchAuditStore.builder(es.url()).index("audit-events-waitfor").build()) {
      store.writer().write(List.of(event("w", T0)));

      assertThat(store.search().search(AuditQuery.builder().build()).total()).isEqualTo(1);
      store.deleteIndex();
    }
  }
}
