package org.atnabridge.store.elasticsearch;

import static org.atnabridge.store.internal.IndexFields.ID;

import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.store.AuditPage;
import org.atnabridge.store.AuditQuery;
import org.atnabridge.store.StoreException;
import org.atnabridge.store.internal.Cursor;
import org.atnabridge.store.internal.Pages;
import org.atnabridge.store.internal.QueryPlanner;
import org.hl7.fhir.r5.model.AuditEvent;
import org.jspecify.annotations.Nullable;

/** Reads and pages of the alias: the search request of a query and the page made of its hits. */
final class EsPageReader {

  private static final Pages.HitReader<Hit<EsSearches.Source>> HITS =
      new Pages.HitReader<>() {
        @Override
        public long millis(Hit<EsSearches.Source> hit) {
          return hit.sort().get(0).longValue();
        }

        @Override
        public String id(Hit<EsSearches.Source> hit) {
          return hit.sort().get(1).stringValue();
        }

        @Override
        public AuditEvent event(Hit<EsSearches.Source> hit) {
          return EsPageReader.event(hit);
        }
      };

  private final EsSettings settings;
  private final EsSearches searches;

  EsPageReader(EsSettings settings, EsSearches searches) {
    this.settings = settings;
    this.searches = searches;
  }

  Optional<AuditEvent> read(String id) {
    try {
      SearchResponse<EsSearches.Source> r =
          searches.search(
              s ->
                  s.index(settings.alias())
                      .ignoreUnavailable(true)
                      .allowNoIndices(true)
                      .query(q -> q.ids(i -> i.values(id)))
                      .size(1),
              EsSearches.Source.class);
      return r.hits().hits().stream().findFirst().map(EsPageReader::event);
    } catch (IOException | RuntimeException e) {
      throw EsFailures.wrap(
          "Elasticsearch read of " + id + " from " + where() + " failed: " + e, e);
    }
  }

  /**
   * @param cursor the query's decoded cursor ({@link Pages#cursor})
   */
  AuditPage search(AuditQuery query, @Nullable Cursor cursor) {
    Query matching = EsQueries.toQuery(QueryPlanner.plan(query));
    String sortField = Pages.sortField(query.sort());
    boolean backward = Pages.backward(cursor);
    SortOrder order = Pages.descending(query.sort(), backward) ? SortOrder.Desc : SortOrder.Asc;
    SortOrder idOrder = backward ? SortOrder.Desc : SortOrder.Asc;
    SearchResponse<EsSearches.Source> r;
    try {
      r =
          searches.search(
              s -> {
                s.index(settings.alias())
                    .ignoreUnavailable(true)
                    .allowNoIndices(true)
                    .query(matching)
                    .size(Pages.hitsToFetch(query.limit()))
                    .trackTotalHits(t -> t.enabled(true))
                    .sort(so -> so.field(f -> f.field(sortField).order(order)))
                    .sort(so -> so.field(f -> f.field(ID).order(idOrder)));
                if (cursor != null) {
                  s.searchAfter(FieldValue.of(cursor.millis()), FieldValue.of(cursor.id()));
                }
                EsAggregations.request(s, query.aggregations());
                return s;
              },
              EsSearches.Source.class);
    } catch (IOException | RuntimeException e) {
      throw EsFailures.wrap("Elasticsearch search in " + where() + " failed: " + e, e);
    }
    List<Hit<EsSearches.Source>> hits = r.hits().hits();
    long total = r.hits().total() == null ? hits.size() : r.hits().total().value();
    try {
      return Pages.assemble(
          query,
          cursor,
          hits,
          HITS,
          total,
          EsAggregations.buckets(query.aggregations(), r.aggregations()));
    } catch (IOException e) {
      throw new StoreException("Elasticsearch search in " + where() + " failed: " + e, e);
    }
  }

  private static AuditEvent event(Hit<EsSearches.Source> hit) {
    return Fhir.auditEventFromJson(Objects.requireNonNull(hit.source(), "_source").json());
  }

  private String where() {
    return settings.url() + "/" + settings.alias();
  }
}
