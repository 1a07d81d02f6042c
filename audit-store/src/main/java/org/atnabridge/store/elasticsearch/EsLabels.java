package org.atnabridge.store.elasticsearch;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.Refresh;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.elasticsearch.core.search.Hit;
import co.elastic.clients.util.BinaryData;
import co.elastic.clients.util.ContentType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.atnabridge.store.AuditQuery;
import org.atnabridge.store.RaisedLabels;
import org.atnabridge.store.StoreException;
import org.atnabridge.store.internal.AuditEventDocument;
import org.atnabridge.store.internal.AuditEventJson;
import org.atnabridge.store.internal.QueryPlanner;

/**
 * Index-side labels raised on stored events ({@link org.atnabridge.store.AuditStore#raiseLabels}).
 */
final class EsLabels {

  private final EsSettings settings;
  private final ElasticsearchClient client;
  private final EsSearches searches;

  EsLabels(EsSettings settings, ElasticsearchClient client, EsSearches searches) {
    this.settings = settings;
    this.client = client;
    this.searches = searches;
  }

  /**
   * After a refresh (the facade's), rebuilds each matching document from its {@code _source} JSON
   * plus the raised labels and writes it back to the index it came from, conditional on its
   * sequence number and primary term: when the indexer replaced the event meanwhile, the write is
   * refused as a conflict and the newer document stays (it was indexed with the labels known then;
   * a caller repeating the query sees it again if it still lacks them).
   */
  int raise(AuditQuery query, RaisedLabels raised) {
    Query matching = EsQueries.toQuery(QueryPlanner.plan(query));
    try {
      SearchResponse<EsSearches.Source> r =
          searches.search(
              s ->
                  s.index(settings.alias())
                      .ignoreUnavailable(true)
                      .allowNoIndices(true)
                      .query(matching)
                      .size(Math.max(1, query.limit()))
                      .seqNoPrimaryTerm(true),
              EsSearches.Source.class);
      BulkRequest.Builder relabel = new BulkRequest.Builder().refresh(Refresh.True);
      int writes = 0;
      for (Hit<EsSearches.Source> h : r.hits().hits()) {
        AuditEventDocument d =
            AuditEventJson.document(
                Objects.requireNonNull(h.source(), "_source")
                    .json()
                    .getBytes(StandardCharsets.UTF_8));
        AuditEventDocument labelled = d.withIndexLabels(raised);
        if (labelled.keywords().equals(d.keywords())
            || h.seqNo() == null
            || h.primaryTerm() == null) {
          continue;
        }
        BinaryData data =
            BinaryData.of(EsBulkWriter.source(labelled), ContentType.APPLICATION_JSON);
        String index = Objects.requireNonNull(h.index());
        long seqNo = h.seqNo();
        long term = h.primaryTerm();
        relabel.operations(
            op ->
                op.index(
                    ix ->
                        ix.index(index)
                            .id(d.id())
                            .ifSeqNo(seqNo)
                            .ifPrimaryTerm(term)
                            .document(data)));
        writes++;
      }
      if (writes == 0) {
        return 0;
      }
      int changed = 0;
      for (BulkResponseItem item : client.bulk(relabel.build()).items()) {
        if (item.error() == null) {
          changed++;
        } else if (item.status() != 409) { // 409: replaced meanwhile, see above
          throw new StoreException(
              "Elasticsearch relabel of " + item.id() + " failed: " + item.error().type());
        }
      }
      return changed;
    } catch (IOException | RuntimeException e) {
      if (e instanceof StoreException se) {
        throw se;
      }
      throw new StoreException(
          "Elasticsearch relabel in " + settings.url() + "/" + settings.alias() + " failed: " + e,
          e);
    }
  }
}
