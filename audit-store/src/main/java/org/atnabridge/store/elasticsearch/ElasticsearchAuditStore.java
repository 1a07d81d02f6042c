package org.atnabridge.store.elasticsearch;

import static org.atnabridge.store.internal.IndexFields.ID;
import static org.atnabridge.store.internal.IndexFields.JSON;
import static org.atnabridge.store.internal.IndexFields.KEYWORDS;
import static org.atnabridge.store.internal.IndexFields.RECORDED;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.HealthStatus;
import co.elastic.clients.elasticsearch._types.Refresh;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.mapping.DynamicMapping;
import co.elastic.clients.elasticsearch._types.mapping.Property;
import co.elastic.clients.elasticsearch._types.query_dsl.BoolQuery;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.cluster.HealthResponse;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.GetResponse;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.elasticsearch.core.search.Hit;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest5_client.Rest5ClientTransport;
import co.elastic.clients.transport.rest5_client.low_level.Rest5Client;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.store.AuditEventSearch;
import org.atnabridge.store.AuditEventWriter;
import org.atnabridge.store.AuditPage;
import org.atnabridge.store.AuditQuery;
import org.atnabridge.store.AuditStore;
import org.atnabridge.store.StoreException;
import org.atnabridge.store.StoreHealth;
import org.atnabridge.store.internal.AuditEventDocument;
import org.atnabridge.store.internal.Cursor;
import org.atnabridge.store.internal.RecordedRange;
import org.atnabridge.store.internal.TermClauses;
import org.hl7.fhir.r5.model.AuditEvent;

/**
 * AuditEvents in one Elasticsearch index (default {@value #DEFAULT_INDEX}), document id = event
 * id, so a redelivered event overwrites itself. The mapping is strict: the fields of {@link
 * org.atnabridge.store.internal.IndexFields} as keywords, {@code recorded} as an epoch-millis
 * date, and the FHIR JSON kept in {@code _source} only (neither indexed nor in doc values).
 *
 * <p>Construction does no I/O; the index is created on first use, so a store can be built while
 * the cluster is still down and {@link #check()} reports it. Bulk writes wait for a refresh
 * ({@code refresh=wait_for}, or {@code true} if asked) so a returned write is searchable; ES
 * acknowledges only after its translog is fsynced, which makes it durable. Paging is {@code
 * search_after} on (recorded desc, id asc), encoded as the same {@link Cursor} the Lucene engine
 * uses.
 */
public final class ElasticsearchAuditStore implements AuditStore, AuditEventWriter, AuditEventSearch {

  public static final String DEFAULT_INDEX = "audit-events";

  private final String url;
  private final String index;
  private final Refresh refresh;
  private final Rest5ClientTransport transport;
  private final ElasticsearchClient client;
  private volatile boolean indexReady;
  private volatile boolean closed;

  private ElasticsearchAuditStore(Builder b) {
    this.url = b.url;
    this.index = b.index;
    this.refresh = b.refreshImmediately ? Refresh.True : Refresh.WaitFor;
    Rest5Client rest = Rest5Client.builder(URI.create(b.url)).build();
    this.transport = new Rest5ClientTransport(rest, new JacksonJsonpMapper());
    this.client = new ElasticsearchClient(transport);
  }

  public static Builder builder(String url) {
    return new Builder(url);
  }

  public String index() {
    return index;
  }

  @Override
  public AuditEventWriter writer() {
    return this;
  }

  @Override
  public AuditEventSearch search() {
    return this;
  }

  @Override
  public void write(List<AuditEvent> events) {
    if (events.isEmpty()) {
      return;
    }
    List<AuditEventDocument> docs = events.stream().map(AuditEventDocument::from).toList();
    ensureIndex();
    BulkRequest.Builder bulk = new BulkRequest.Builder().index(index).refresh(refresh);
    for (AuditEventDocument d : docs) {
      Map<String, Object> source = toSource(d);
      bulk.operations(op -> op.index(ix -> ix.id(d.id()).document(source)));
    }
    BulkResponse response;
    try {
      response = client.bulk(bulk.build());
    } catch (IOException | RuntimeException e) {
      throw new StoreException("Elasticsearch bulk of " + docs.size() + " events to " + url + "/" + index + " failed: " + e, e);
    }
    if (response.errors()) {
      List<String> failures = new ArrayList<>();
      int failed = 0;
      for (BulkResponseItem item : response.items()) {
        if (item.error() != null) {
          failed++;
          if (failures.size() < 3) {
            failures.add(item.id() + ": " + item.error().type() + " " + item.error().reason());
          }
        }
      }
      throw new StoreException("Elasticsearch rejected " + failed + " of " + docs.size() + " events, e.g. " + failures);
    }
  }

  @Override
  public Optional<AuditEvent> read(String id) {
    ensureIndex();
    try {
      GetResponse<Source> r = client.get(g -> g.index(index).id(id).sourceIncludes(JSON), Source.class);
      return r.found() && r.source() != null ? Optional.of(Fhir.auditEventFromJson(r.source().json())) : Optional.empty();
    } catch (IOException | RuntimeException e) {
      throw new StoreException("Elasticsearch read of " + id + " from " + url + "/" + index + " failed: " + e, e);
    }
  }

  @Override
  public AuditPage search(AuditQuery query) {
    Cursor cursor = query.cursor() == null ? null : Cursor.decode(query.cursor());
    ensureIndex();
    int limit = query.limit();
    Query matching = toQuery(query);
    SearchResponse<Source> r;
    try {
      r = client.search(s -> {
        s.index(index).query(matching).size(limit + 1) // one extra tells whether a next page exists
            .trackTotalHits(t -> t.enabled(true))
            .source(src -> src.filter(f -> f.includes(JSON)))
            .sort(so -> so.field(f -> f.field(RECORDED).order(SortOrder.Desc)))
            .sort(so -> so.field(f -> f.field(ID).order(SortOrder.Asc)));
        if (cursor != null) {
          s.searchAfter(FieldValue.of(cursor.recordedMillis()), FieldValue.of(cursor.id()));
        }
        return s;
      }, Source.class);
    } catch (IOException | RuntimeException e) {
      throw new StoreException("Elasticsearch search in " + url + "/" + index + " failed: " + e, e);
    }
    List<Hit<Source>> hits = r.hits().hits();
    List<AuditEvent> events = new ArrayList<>();
    for (int i = 0; i < Math.min(limit, hits.size()); i++) {
      events.add(Fhir.auditEventFromJson(Objects.requireNonNull(hits.get(i).source(), "_source").json()));
    }
    String next = null;
    if (hits.size() > limit) {
      List<FieldValue> sort = hits.get(limit - 1).sort();
      next = new Cursor(sort.get(0).longValue(), sort.get(1).stringValue()).encode();
    }
    long total = r.hits().total() == null ? hits.size() : r.hits().total().value();
    return new AuditPage(events, total, next);
  }

  @Override
  public StoreHealth check() {
    if (closed) {
      return StoreHealth.down("Elasticsearch store is closed");
    }
    try {
      HealthResponse h = client.cluster().health(c -> c.timeout(t -> t.time("5s")));
      return h.status() == HealthStatus.Red
          ? StoreHealth.down("Elasticsearch cluster " + h.clusterName() + " at " + url + " is red")
          : StoreHealth.OK;
    } catch (IOException | RuntimeException e) {
      return StoreHealth.down("Elasticsearch at " + url + " unreachable: " + e.getMessage());
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      transport.close();
    } catch (IOException e) {
      throw new StoreException("closing the Elasticsearch client failed", e);
    }
  }

  /** Drops the index (and its events); the next use recreates it. For tests. */
  void deleteIndex() {
    try {
      client.indices().delete(d -> d.index(index).ignoreUnavailable(true));
      indexReady = false;
    } catch (IOException | RuntimeException e) {
      throw new StoreException("deleting index " + index + " failed: " + e, e);
    }
  }

  private void ensureIndex() {
    if (closed) {
      throw new StoreException("Elasticsearch store is closed");
    }
    if (indexReady) {
      return;
    }
    synchronized (this) {
      if (indexReady) {
        return;
      }
      try {
        if (!client.indices().exists(e -> e.index(index)).value()) {
          createIndex();
        }
        indexReady = true;
      } catch (IOException | RuntimeException e) {
        throw new StoreException("cannot prepare index " + index + " at " + url + ": " + e, e);
      }
    }
  }

  private void createIndex() throws IOException {
    Map<String, Property> properties = new LinkedHashMap<>();
    properties.put(ID, Property.of(p -> p.keyword(k -> k)));
    properties.put(RECORDED, Property.of(p -> p.date(d -> d.format("epoch_millis"))));
    KEYWORDS.forEach(f -> properties.put(f, Property.of(p -> p.keyword(k -> k))));
    properties.put(JSON, Property.of(p -> p.keyword(k -> k.index(false).docValues(false))));
    try {
      client.indices().create(c -> c.index(index)
          .settings(s -> s.numberOfShards("1").autoExpandReplicas("0-1"))
          .mappings(m -> m.dynamic(DynamicMapping.Strict).properties(properties)));
    } catch (ElasticsearchException e) {
      if (!"resource_already_exists_exception".equals(e.error().type())) {
        throw e; // another store created it meanwhile: fine
      }
    }
  }

  private static Map<String, Object> toSource(AuditEventDocument d) {
    Map<String, Object> source = new HashMap<>();
    source.put(ID, d.id());
    source.put(RECORDED, d.recordedMillis());
    d.keywords().forEach((field, values) -> source.put(field, List.copyOf(values)));
    source.put(JSON, d.json());
    return source;
  }

  private static Query toQuery(AuditQuery q) {
    BoolQuery.Builder b = new BoolQuery.Builder();
    RecordedRange range = RecordedRange.of(q);
    if (range != null) {
      if (range.isEmpty()) {
        return Query.of(x -> x.matchNone(n -> n));
      }
      b.filter(f -> f.range(r -> r.date(d -> {
        d.field(RECORDED).format("epoch_millis");
        if (range.fromMillis() != Long.MIN_VALUE) {
          d.gte(String.valueOf(range.fromMillis()));
        }
        if (range.toMillis() != Long.MAX_VALUE) {
          d.lte(String.valueOf(range.toMillis()));
        }
        return d;
      })));
    }
    for (List<TermClauses.Term> clause : TermClauses.of(q)) {
      if (clause.size() == 1) {
        b.filter(term(clause.get(0)));
      } else {
        b.filter(f -> f.bool(or -> or.should(clause.stream().map(ElasticsearchAuditStore::term).toList())
            .minimumShouldMatch("1")));
      }
    }
    return Query.of(x -> x.bool(b.build()));
  }

  private static Query term(TermClauses.Term t) {
    return Query.of(q -> q.term(x -> x.field(t.field()).value(t.value())));
  }

  /** The {@code _source} fields a hit is read from. */
  record Source(String json) {}

  /** Settings of the store; {@link #build()} rejects bad values. */
  public static final class Builder {
    private final String url;
    private String index = DEFAULT_INDEX;
    private boolean refreshImmediately;

    private Builder(String url) {
      URI uri;
      try {
        uri = URI.create(Objects.requireNonNull(url, "url"));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("url is not a URI: " + url, e);
      }
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
        throw new IllegalArgumentException("url must be http(s)://host:port: " + url);
      }
      this.url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** Index name, e.g. with a deployment prefix ({@code prod-audit-events}); lowercase. */
    public Builder index(String v) {
      if (v.isEmpty() || !v.equals(v.toLowerCase(java.util.Locale.ROOT)) || v.startsWith("_") || v.startsWith("-")) {
        throw new IllegalArgumentException("index must be a lowercase Elasticsearch index name: " + v);
      }
      index = v;
      return this;
    }

    /**
     * {@code refresh=true} on each bulk instead of {@code wait_for}: the write returns without
     * waiting up to a refresh interval, at the price of small segments. For tests and tiny loads.
     */
    public Builder refreshImmediately(boolean v) {
      refreshImmediately = v;
      return this;
    }

    public ElasticsearchAuditStore build() {
      return new ElasticsearchAuditStore(this);
    }
  }
}
