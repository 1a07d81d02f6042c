package org.atnabridge.store.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.atnabridge.store.TestEvents.event;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.atnabridge.store.AuditQuery;
import org.atnabridge.store.SearchField;
import org.atnabridge.testing.ElasticsearchExtension;
import org.atnabridge.testing.ElasticsearchNode;
import org.hl7.fhir.r5.model.AuditEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Which index an event lands in on a real node: the month the repository received it, never one
 * picked by the sender's clock; far-off dates without a receipt time share one out-of-range index;
 * searches by {@code recorded} stay exact wherever an event went; and a re-written event is stored
 * once.
 */
@ExtendWith(ElasticsearchExtension.class)
class ElasticsearchRoutingIT {

  /** The repository's clock in these tests. */
  private static final Instant NOW = Instant.parse("2026-12-07T03:00:00Z");

  private static final Instant Y1970 = Instant.parse("1970-01-01T00:00:00Z");
  private static final Instant Y2001 = Instant.parse("2001-06-15T08:30:00Z");
  private static final Instant Y2999 = Instant.parse("2999-12-31T23:59:59Z");

  private final ElasticsearchNode es;

  ElasticsearchRoutingIT(ElasticsearchNode es) {
    this.es = es;
  }

  private ElasticsearchAuditStore store(String alias) {
    return ElasticsearchAuditStore.builder(es.url())
        .index(alias)
        .refreshImmediately(true)
        .clock(Clock.fixed(NOW, ZoneOffset.UTC))
        .build();
  }

  @Test
  void farOffRecordedDates_withoutReceiptTime_shareTheOutOfRangeIndex_andAreFoundByExactDate()
      throws Exception {
    String alias = "routing-far-off";
    try (ElasticsearchAuditStore store = store(alias)) {
      store.deleteAllIndices();
      store.start();
      store
          .writer()
          .write(
              List.of(
                  event("y1970", Y1970),
                  event("y2001", Y2001),
                  event("y2999", Y2999),
                  event("recent", NOW.minusSeconds(3600))));

      assertThat(indices(alias)).containsExactly(alias + ".2026-12", alias + ".out-of-range");
      assertExactDateSearches(store);
      store.deleteAllIndices();
    }
  }

  @Test
  void farOffRecordedDates_receivedNow_goToTheMonthOfReceipt_andAreFoundByExactDate()
      throws Exception {
    String alias = "routing-received";
    try (ElasticsearchAuditStore store = store(alias)) {
      store.deleteAllIndices();
      store
          .writer()
          .write(
              List.of(
                  received(event("y1970", Y1970), NOW),
                  received(event("y2001", Y2001), NOW),
                  received(event("y2999", Y2999), NOW)));

      assertThat(indices(alias)).containsExactly(alias + ".2026-12");
      assertThat(store.indexFor(Y2999, NOW)).isEqualTo(alias + ".2026-12");
      assertExactDateSearches(store);
      store.deleteAllIndices();
    }
  }

  @Test
  void rewrittenEvent_sameReceipt_staysInItsIndex_laterReceipt_movesWithoutADuplicate()
      throws Exception {
    String alias = "routing-rewrite";
    Instant november = Instant.parse("2026-11-20T10:00:00Z");
    try (ElasticsearchAuditStore store = store(alias)) {
      store.deleteAllIndices();
      store.writer().write(List.of(received(event("r", Y2001), november)));
      // redelivered as it was (the indexer re-reading after a crash): the same index, once
      store.writer().write(List.of(received(event("r", Y2001), november)));
      assertThat(count(alias + ".2026-11", "r")).isEqualTo(1);
      assertThat(store.search().search(AuditQuery.builder().build()).total()).isEqualTo(1);

      // replayed after a converter fix: stamped anew in December, the November copy is deleted
      store.writer().write(List.of(received(event("r", Y2001), NOW)));

      assertThat(count(alias + ".2026-12", "r")).isEqualTo(1);
      assertThat(count(alias + ".2026-11", "r")).isZero();
      assertThat(store.search().search(AuditQuery.builder().build()).total()).isEqualTo(1);
      assertThat(store.search().read("r")).isPresent();
      store.deleteAllIndices();
    }
  }

  @Test
  void start_installsTemplateAliasAndWriteIndex_beforeAnyWrite() throws Exception {
    String alias = "routing-start";
    try (ElasticsearchAuditStore store = store(alias)) {
      store.deleteAllIndices();
      store.start();
      HttpResponse<String> template = get("/_index_template/" + alias + "-template");
      assertThat(template.statusCode()).isEqualTo(200);
      HttpResponse<String> aliasNow = get("/_alias/" + alias);
      assertThat(aliasNow.statusCode()).isEqualTo(200);
      assertThat(aliasNow.body()).contains("\"" + alias + ".2026-12\"");
      assertThat(store.check().ok()).isTrue();
      store.deleteAllIndices();
    }
  }

  private static AuditEvent received(AuditEvent e, Instant at) {
    e.getMeta().setLastUpdated(Date.from(at));
    return e;
  }

  /** {@code date=eq<instant>} to the second is [at, at + 1 s): the event, and nothing beside it. */
  private static void assertExactDateSearches(ElasticsearchAuditStore store) {
    for (Object[] c : new Object[][] {{"y1970", Y1970}, {"y2001", Y2001}, {"y2999", Y2999}}) {
      Instant at = (Instant) c[1];
      assertThat(ids(store, at, at.plusSeconds(1)))
          .as("date=eq%s", at)
          .containsExactly((String) c[0]);
      assertThat(ids(store, at.plusMillis(1), at.plusSeconds(2))).as("just after %s", at).isEmpty();
      assertThat(ids(store, at.minusSeconds(1), at)).as("just before %s", at).isEmpty();
    }
  }

  private static Set<String> ids(ElasticsearchAuditStore store, Instant from, Instant to) {
    return store
        .search()
        .search(AuditQuery.builder().date(SearchField.DATE, from, to).build())
        .events()
        .stream()
        .map(e -> e.getIdElement().getIdPart())
        .collect(Collectors.toSet());
  }

  private Set<String> indices(String alias) throws Exception {
    HttpResponse<String> r = get("/_cat/indices/" + alias + ".*?h=index");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return Arrays.stream(r.body().split("\\s+"))
        .filter(s -> !s.isBlank())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private long count(String index, String id) throws Exception {
    HttpResponse<String> r = get("/" + index + "/_count?q=_id:" + id);
    if (r.statusCode() == 404) {
      return 0;
    }
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    String body = r.body();
    int at = body.indexOf("\"count\":") + 8;
    return Long.parseLong(body.substring(at, body.indexOf(',', at)));
  }

  private HttpResponse<String> get(String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(es.url() + path)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
