package org.atnabridge.store.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.atnabridge.store.TestEvents.event;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.atnabridge.store.AuditQuery;
import org.atnabridge.store.AuditStore;
import org.atnabridge.store.AuditStoreContract;
import org.atnabridge.store.AuditStores;
import org.atnabridge.store.SearchField;
import org.atnabridge.store.StoreException;
import org.atnabridge.store.WriteResult;
import org.atnabridge.testing.ElasticsearchExtension;
import org.atnabridge.testing.ElasticsearchNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The contract against a real Elasticsearch node; never skipped (the fixture fails instead). */
@ExtendWith(ElasticsearchExtension.class)
class ElasticsearchAuditStoreIT extends AuditStoreContract {

  /**
   * Events without receipt time go by recorded when it is within a year of the repository's clock:
   * these tests' dates stay in range whatever the day they run.
   */
  private static final java.time.Clock CLOCK =
      java.time.Clock.fixed(
          java.time.Instant.parse("2026-06-01T00:00:00Z"), java.time.ZoneOffset.UTC);

  private final ElasticsearchNode es;

  ElasticsearchAuditStoreIT(ElasticsearchNode es) {
    this.es = es;
  }

  @Override
  protected AuditStore newStore() {
    return ElasticsearchAuditStore.builder(es.url())
        .index("audit-events-contract")
        .refreshImmediately(true)
        .build();
  }

  @Override
  protected void clear(AuditStore store) {
    ((ElasticsearchAuditStore) store).deleteAllIndices();
  }

  @Test
  void index_monthIndexWithConflictingMapping_returnsRejectionsAndWriteThrows() throws Exception {
    // a monthly index created by someone else (before our template) with an incompatible mapping
    HttpResponse<String> created =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(es.url() + "/audit-events-conflict.2026-03"))
                    .header("Content-Type", "application/json")
                    .PUT(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"mappings\":{\"dynamic\":\"strict\",\"properties\":{\"id\":{\"type\":\"keyword\"}}}}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(200);

    try (ElasticsearchAuditStore store =
        ElasticsearchAuditStore.builder(es.url())
            .index("audit-events-conflict")
            .refreshImmediately(true)
            .clock(CLOCK)
            .build()) {
      WriteResult r =
          store
              .writer()
              .index(List.of(event("x", T0), event("other-month", T0.minus(Duration.ofDays(40)))));
      assertThat(r.accepted()).isEqualTo(1);
      assertThat(r.rejected())
          .singleElement()
          .satisfies(
              rej -> {
                assertThat(rej.id()).isEqualTo("x");
                assertThat(rej.index()).isZero();
                assertThat(rej.reason()).contains("strict_dynamic_mapping_exception");
              });
      assertThatThrownBy(() -> store.writer().write(List.of(event("x", T0))))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("rejected 1 of 1");
      assertThat(store.search().read("other-month")).isPresent();
      store.deleteAllIndices();
    }
  }

  /**
   * An index created by an earlier version (its strict mapping without {@code received}) takes
   * documents with it once the store started: start adds the field in place (put-mapping), and a
   * range on it finds the new documents while the old ones count as missing it.
   */
  @Test
  void start_addsReceivedToAnIndexOfAnEarlierVersion() throws Exception {
    StringBuilder props = new StringBuilder();
    org.atnabridge.store.internal.IndexFields.keywordFields()
        .forEach(
            (f, dv) ->
                props.append("\"" + f + "\":{\"type\":\"keyword\",\"doc_values\":" + dv + "},"));
    props.append("\"recorded\":{\"type\":\"date\",\"format\":\"epoch_millis\"},");
    props.append("\"last_updated\":{\"type\":\"date\",\"format\":\"epoch_millis\"},");
    props.append("\"text\":{\"type\":\"text\"},");
    props.append("\"json\":{\"type\":\"keyword\",\"index\":false,\"doc_values\":false}");
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> created =
        http.send(
            HttpRequest.newBuilder(URI.create(es.url() + "/audit-events-upgrade.2026-05"))
                .header("Content-Type", "application/json")
                .PUT(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"aliases\":{\"audit-events-upgrade\":{}},\"mappings\":{\"dynamic\":"
                            + "\"strict\",\"_source\":{\"includes\":[\"json\"]},"
                            + "\"properties\":{"
                            + props
                            + "}}}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
    // a document as the earlier version wrote it: no received
    HttpResponse<String> old =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(es.url() + "/audit-events-upgrade.2026-05/_doc/old?refresh=true"))
                .header("Content-Type", "application/json")
                .PUT(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"id\":\"old\",\"recorded\":1746057600000,\"last_updated\":"
                            + "1746057600000,\"present\":[\"_id\",\"date\",\"_lastUpdated\"],"
                            + "\"json\":\"{\\\"resourceType\\\":\\\"AuditEvent\\\",\\\"id\\\""
                            + ":\\\"old\\\",\\\"recorded\\\":\\\"2025-05-01T00:00:00Z\\\"}\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(old.statusCode()).as(old.body()).isBetween(200, 201);

    try (ElasticsearchAuditStore store =
        ElasticsearchAuditStore.builder(es.url())
            .index("audit-events-upgrade")
            .refreshImmediately(true)
            .clock(CLOCK)
            .build()) {
      store.start();
      java.time.Instant may = java.time.Instant.parse("2026-05-10T00:00:00Z");
      store.writer().write(List.of(event("new", may)));
      assertThat(
              store
                  .search()
                  .search(
                      AuditQuery.builder()
                          .date(SearchField.RECEIVED, may.minusSeconds(1), may.plusSeconds(1))
                          .build())
                  .events())
          .extracting(e -> e.getIdElement().getIdPart())
          .containsExactly("new");
      assertThat(
              store
                  .search()
                  .search(AuditQuery.builder().missing(SearchField.RECEIVED, true).build())
                  .events())
          .extracting(e -> e.getIdElement().getIdPart())
          .containsExactly("old");
      store.deleteAllIndices();
    }
  }

  @Test
  void start_installsTemplateIdempotently_monthlyIndicesBehindTheAlias() throws Exception {
    try (ElasticsearchAuditStore store =
        ElasticsearchAuditStore.builder(es.url())
            .index("audit-events-monthly")
            .refreshImmediately(true)
            .clock(CLOCK)
            .build()) {
      store.start();
      store.start();
      store
          .writer()
          .write(
              List.of(
                  event("jan", java.time.Instant.parse("2026-01-31T23:59:59Z")),
                  event("feb", java.time.Instant.parse("2026-02-01T00:00:00Z"))));
      HttpResponse<String> aliases =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(es.url() + "/_alias/audit-events-monthly"))
                      .GET()
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(aliases.body())
          .contains("audit-events-monthly.2026-01", "audit-events-monthly.2026-02");
      assertThat(store.search().search(AuditQuery.builder().build()).total()).isEqualTo(2);
      store.deleteAllIndices();
    }
  }

  @Test
  void check_unreachableCluster_isDownAndWriteThrowsStoreException() {
    try (AuditStore store = AuditStores.elasticsearch("http://127.0.0.1:9")) {
      assertThat(store.check().ok()).isFalse();
      assertThatThrownBy(() -> store.writer().write(List.of(event("x", T0))))
          .isInstanceOf(StoreException.class);
    }
  }

  @Test
  void write_defaultWaitForRefresh_isVisibleOnReturn() {
    try (ElasticsearchAuditStore store =
        ElasticsearchAuditStore.builder(es.url()).index("audit-events-waitfor").build()) {
      store.writer().write(List.of(event("w", T0)));

      assertThat(store.search().search(AuditQuery.builder().build()).total()).isEqualTo(1);
      store.deleteAllIndices();
    }
  }
}
