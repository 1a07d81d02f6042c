package org.atnabridge.store.elasticsearch;

import static org.atnabridge.store.internal.IndexFields.ID;
import static org.atnabridge.store.internal.IndexFields.JSON;
import static org.atnabridge.store.internal.IndexFields.TEXT;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.mapping.DynamicMapping;
import co.elastic.clients.elasticsearch._types.mapping.Property;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import co.elastic.clients.json.JsonData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.atnabridge.store.RetentionPolicy;
import org.atnabridge.store.SearchField;
import org.atnabridge.store.StoreException;
import org.atnabridge.store.WriteResult;
import org.atnabridge.store.internal.AuditEventDocument;
import org.atnabridge.store.internal.AuditEventJson;
import org.atnabridge.store.internal.IndexFields;

/**
 * The life of the indices behind the alias: the composable index template {@code <alias>-template}
 * for {@code <alias>.*} (strict mapping of the fields of {@link IndexFields}, the settings, the
 * alias), the monthly index an event goes to ({@code <alias>.yyyy-MM} by its {@code recorded},
 * UTC), and retention, which drops whole months after moving their events on legal hold to {@code
 * <alias>.legal-hold}. Nothing here needs ILM, ingest pipelines, scripts, data streams or
 * delete-by-query, which the integ-test distribution lacks.
 */
final class EsIndices {

  private static final DateTimeFormatter MONTH =
      DateTimeFormatter.ofPattern("yyyy-MM", Locale.ROOT).withZone(ZoneOffset.UTC);

  private final EsSettings settings;
  private final String alias;
  private final ElasticsearchClient client;
  private final EsSearches searches;
  private final EsBulkWriter bulk;
  private volatile boolean templateReady;

  EsIndices(
      EsSettings settings, ElasticsearchClient client, EsSearches searches, EsBulkWriter bulk) {
    this.settings = settings;
    this.alias = settings.alias();
    this.client = client;
    this.searches = searches;
    this.bulk = bulk;
  }

  /** The monthly index an event recorded at {@code recorded} is written to. */
  String indexFor(Instant recorded) {
    return alias + "." + MONTH.format(recorded);
  }

  /**
   * Puts the template once per store (idempotent on the cluster); later indices are auto-created
   * from it by the first bulk of their month.
   */
  void ensureTemplate() {
    bulk.ensureOpen();
    if (templateReady) {
      return;
    }
    synchronized (this) {
      if (templateReady) {
        return;
      }
      Map<String, Property> properties = new LinkedHashMap<>();
      IndexFields.keywordFields()
          .forEach(
              (field, docValues) ->
                  properties.put(field, Property.of(p -> p.keyword(k -> k.docValues(docValues)))));
      for (String date : IndexFields.dateFields()) {
        properties.put(date, Property.of(p -> p.date(d -> d.format("epoch_millis"))));
      }
      properties.put(TEXT, Property.of(p -> p.text(t -> t.analyzer("standard"))));
      properties.put(JSON, Property.of(p -> p.keyword(k -> k.index(false).docValues(false))));
      try {
        client
            .indices()
            .putIndexTemplate(
                t ->
                    t.name(alias + "-template")
                        .indexPatterns(alias + ".*")
                        .priority(200L)
                        .meta("managed-by", JsonData.of("atna-bridge audit-store"))
                        .template(
                            tt ->
                                tt.settings(
                                        s -> {
                                          s.numberOfShards(String.valueOf(settings.shards()))
                                              .refreshInterval(
                                                  ri -> ri.time(settings.refreshInterval()));
                                          return settings.replicas() == null
                                              ? s.autoExpandReplicas("0-1")
                                              : s.numberOfReplicas(
                                                  String.valueOf(settings.replicas()));
                                        })
                                    .mappings(
                                        m ->
                                            m.dynamic(DynamicMapping.Strict)
                                                .source(src -> src.includes(JSON))
                                                .properties(properties))
                                    .aliases(alias, a -> a)));
        templateReady = true;
      } catch (IOException | RuntimeException e) {
        throw new StoreException(
            "cannot install the index template for " + alias + " at " + settings.url() + ": " + e,
            e);
      }
    }
  }

  /**
   * Drops every monthly index whose whole month was recorded before the cutoff, after copying its
   * events on legal hold into {@code <alias>.legal-hold} (same ids, still behind the alias). An
   * event redelivered after its month was dropped recreates that month's index; the next run drops
   * it again.
   *
   * @return how many events were deleted with the dropped indices
   */
  long applyRetention(RetentionPolicy policy, Instant now) {
    ensureTemplate();
    Instant cutoff = policy.cutoff(now);
    String holdIndex = alias + "." + ElasticsearchAuditStore.HOLD_SUFFIX;
    Query held =
        Query.of(
            q ->
                q.term(
                    t ->
                        t.field(IndexFields.tokenField(SearchField.TAG))
                            .value(
                                IndexFields.token(
                                    policy.legalHoldSystem(), policy.legalHoldCode()))));
    long deleted = 0;
    try {
      for (String index : monthlyIndices()) {
        YearMonth month = YearMonth.parse(index.substring(alias.length() + 1));
        Instant monthEnd = month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        if (monthEnd.isAfter(cutoff)) {
          continue;
        }
        client.indices().refresh(x -> x.index(index));
        long count = client.count(c -> c.index(index)).count();
        long moved = copyHeld(index, holdIndex, held);
        client.indices().delete(d -> d.index(index));
        deleted += count - moved;
      }
      return deleted;
    } catch (IOException | RuntimeException e) {
      throw new StoreException(
          "Elasticsearch retention on "
              + alias
              + " failed after deleting "
              + deleted
              + " events: "
              + e,
          e);
    }
  }

  private long copyHeld(String index, String holdIndex, Query held) throws IOException {
    long moved = 0;
    List<FieldValue> after = null;
    while (true) {
      List<FieldValue> from = after;
      SearchResponse<EsSearches.Source> r =
          searches.search(
              s -> {
                s.index(index)
                    .query(held)
                    .size(500)
                    .sort(so -> so.field(f -> f.field(ID).order(SortOrder.Asc)));
                if (from != null) {
                  s.searchAfter(from);
                }
                return s;
              },
              EsSearches.Source.class);
      List<Hit<EsSearches.Source>> hits = r.hits().hits();
      if (hits.isEmpty()) {
        return moved;
      }
      List<EsBulkWriter.Item> items = new ArrayList<>();
      for (Hit<EsSearches.Source> h : hits) {
        AuditEventDocument d =
            AuditEventJson.document(
                Objects.requireNonNull(h.source()).json().getBytes(StandardCharsets.UTF_8));
        items.add(new EsBulkWriter.Item(items.size(), holdIndex, d));
      }
      WriteResult w = bulk.sendAll(items);
      if (!w.rejected().isEmpty()) {
        throw new StoreException(
            "copying held events of " + index + " failed: " + w.rejected().get(0));
      }
      client.indices().refresh(x -> x.index(holdIndex));
      moved += hits.size();
      after = hits.get(hits.size() - 1).sort();
    }
  }

  private List<String> monthlyIndices() throws IOException {
    List<String> months = new ArrayList<>();
    for (String index :
        client
            .indices()
            .get(g -> g.index(alias + ".*").ignoreUnavailable(true).allowNoIndices(true))
            .indices()
            .keySet()) {
      try {
        YearMonth.parse(index.substring(alias.length() + 1));
        months.add(index);
      } catch (DateTimeParseException notAMonth) {
        // the hold index, or someone else's index under the same prefix
      }
    }
    months.sort(null);
    return months;
  }

  /** Makes recent writes searchable now. */
  void refresh() {
    try {
      client.indices().refresh(r -> r.index(alias).ignoreUnavailable(true).allowNoIndices(true));
    } catch (IOException | RuntimeException e) {
      throw new StoreException("refresh of " + alias + " failed: " + e, e);
    }
  }

  /** Deletes every index of this store (monthly and hold); the template stays. */
  void deleteAll() {
    try {
      for (String index :
          client
              .indices()
              .get(g -> g.index(alias + ".*").ignoreUnavailable(true).allowNoIndices(true))
              .indices()
              .keySet()) {
        client.indices().delete(d -> d.index(index).ignoreUnavailable(true));
      }
    } catch (IOException | RuntimeException e) {
      throw new StoreException("deleting indices " + alias + ".* failed: " + e, e);
    }
  }
}
