package org.atnabridge.store.elasticsearch;

import static org.atnabridge.store.internal.IndexFields.ID;
import static org.atnabridge.store.internal.IndexFields.JSON;
import static org.atnabridge.store.internal.IndexFields.LAST_UPDATED;
import static org.atnabridge.store.internal.IndexFields.RECORDED;
import static org.atnabridge.store.internal.IndexFields.TEXT;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.HealthStatus;
import co.elastic.clients.elasticsearch._types.Refresh;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.aggregations.Aggregate;
import co.elastic.clients.elasticsearch._types.aggregations.CalendarInterval;
import co.elastic.clients.elasticsearch._types.mapping.DynamicMapping;
import co.elastic.clients.elasticsearch._types.mapping.Property;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.cluster.HealthResponse;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.elasticsearch.core.search.Hit;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest5_client.Rest5ClientTransport;
import co.elastic.clients.transport.rest5_client.low_level.Rest5Client;
import co.elastic.clients.util.BinaryData;
import co.elastic.clients.util.ContentType;
import co.elastic.clients.util.NamedValue;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.store.Aggregation;
import org.atnabridge.store.AuditEventSearch;
import org.atnabridge.store.AuditEventWriter;
import org.atnabridge.store.AuditPage;
import org.atnabridge.store.AuditQuery;
import org.atnabridge.store.AuditStore;
import org.atnabridge.store.RaisedLabels;
import org.atnabridge.store.RetentionPolicy;
import org.atnabridge.store.SearchField;
import org.atnabridge.store.StoreException;
import org.atnabridge.store.StoreHealth;
import org.atnabridge.store.WriteResult;
import org.atnabridge.store.internal.AuditEventDocument;
import org.atnabridge.store.internal.AuditEventJson;
import org.atnabridge.store.internal.Cursor;
import org.atnabridge.store.internal.IndexFields;
import org.atnabridge.store.internal.QueryPlanner;
import org.hl7.fhir.r5.model.AuditEvent;
import org.jspecify.annotations.Nullable;

/**
 * AuditEvents in monthly Elasticsearch indices {@code <alias>.yyyy-MM} (by {@code recorded},
 * UTC) behind the alias (default {@value #DEFAULT_INDEX}); document id = event id. An event
 * always lands in the month of its own {@code recorded}, so a redelivered event overwrites
 * itself. Monthly indices make retention a cheap index delete and keep each index small.
 *
 * <p><b>Template.</b> On {@link #start()} (or the first use) the store puts the composable index
 * template {@code <alias>-template} for {@code <alias>.*}: strict mapping of the fields of {@link
 * IndexFields} (keywords, doc values only where sorted or aggregated), {@code recorded} and
 * {@code last_updated} as epoch-millis dates, {@code text} analysed, {@code _source} reduced to
 * the FHIR JSON; the settings below; and the alias. Putting it again is idempotent, and indices
 * are auto-created from it by the first bulk of their month. Nothing here needs ILM, ingest
 * pipelines, scripts, data streams or delete-by-query, which the integ-test distribution lacks.
 *
 * <p><b>Writes.</b> {@link #index} serialises the batch, splits it into bulks of at most {@code
 * maxBulkBytes} and sends up to {@code concurrency} at a time, with all bulks of the store
 * bounded by {@code maxInFlightBytes} (writers block beyond it: back-pressure, not memory
 * growth). Items rejected with 429 or 5xx are resent with exponential backoff; items failing
 * with another error (mapping conflict, strict mapping, bad value) are returned as {@link
 * WriteResult.Rejection}s for the dead-letter topic. A bulk is acknowledged only after the
 * translog fsync ({@code index.translog.durability=request}, the default), so {@link #flush()}
 * has nothing left to do.
 *
 * <p><b>Settings for a real cluster</b> ({@link Builder}): {@code shards} (default 1: audit
 * months are small; raise for more than ~50 M events a month), {@code replicas} (default {@code
 * 0-1} auto-expand: 0 on one node, 1 as soon as a second node joins), {@code refreshInterval}
 * (default 1 s; the {@code refresh} policy decides whether a bulk waits for it).
 */
public final class ElasticsearchAuditStore implements AuditStore, AuditEventWriter, AuditEventSearch {

  public static final String DEFAULT_INDEX = "audit-events";
  /** Searches retried while a new monthly index starts its shard (~2.7 s in all). */
  private static final int SHARD_RETRIES = 10;
  /** Where events on legal hold go when retention drops their month. */
  public static final String HOLD_SUFFIX = "legal-hold";
  private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("yyyy-MM", Locale.ROOT)
      .withZone(ZoneOffset.UTC);
  private static final JsonFactory JSON_FACTORY = new JsonFactory();

  private final Builder settings;
  private final String url;
  private final String alias;
  private final Rest5ClientTransport transport;
  private final ElasticsearchClient client;
  private final ExecutorService bulkThreads;
  /** In-flight bulk bytes, in KiB permits. */
  private final Semaphore inFlight;
  private final int inFlightKib;
  private volatile boolean templateReady;
  private volatile boolean closed;

  private ElasticsearchAuditStore(Builder b) {
    this.settings = b;
    this.url = b.url;
    this.alias = b.index;
    Rest5Client rest = Rest5Client.builder(URI.create(b.url)).build();
    this.transport = new Rest5ClientTransport(rest, new JacksonJsonpMapper());
    this.client = new ElasticsearchClient(transport);
    this.bulkThreads = Executors.newFixedThreadPool(b.concurrency, r -> {
      Thread t = new Thread(r, "es-bulk-" + alias);
      t.setDaemon(true);
      return t;
    });
    this.inFlightKib = (int) Math.max(1, b.maxInFlightBytes / 1024);
    this.inFlight = new Semaphore(inFlightKib);
  }

  public static Builder builder(String url) {
    return new Builder(url);
  }

  /** The alias searches go through. */
  public String index() {
    return alias;
  }

  /** The monthly index an event recorded at {@code recorded} is written to. */
  public String indexFor(Instant recorded) {
    return alias + "." + MONTH.format(recorded);
  }

  /**
   * Installs the index template (idempotent). Optional: the first write or search does it too.
   *
   * @throws StoreException when Elasticsearch is unreachable or refuses the template
   */
  public ElasticsearchAuditStore start() {
    ensureTemplate();
    return this;
  }

  @Override
  public AuditEventWriter writer() {
    return this;
  }

  @Override
  public AuditEventSearch search() {
    return this;
  }

  /** Encodes each event once and takes the JSON path ({@link AuditEventWriter#indexAsJson}). */
  @Override
  public WriteResult index(List<AuditEvent> events) {
    return AuditEventWriter.indexAsJson(this, events);
  }

  @Override
  public WriteResult indexJson(List<byte[]> events) {
    return indexJson(events, RaisedLabels.NONE);
  }

  @Override
  public WriteResult indexJson(List<byte[]> events, RaisedLabels raised) {
    if (events.isEmpty()) {
      return WriteResult.EMPTY;
    }
    ensureTemplate();
    List<Item> items = new ArrayList<>(events.size());
    List<WriteResult.Rejection> invalid = new ArrayList<>(0);
    for (int i = 0; i < events.size(); i++) {
      AuditEventDocument d;
      try {
        d = AuditEventJson.document(events.get(i));
      } catch (IllegalArgumentException e) {
        invalid.add(new WriteResult.Rejection(i, "", WriteResult.NOT_AUDIT_EVENT, e.getMessage()));
        continue;
      }
      items.add(new Item(i, d.id(), indexFor(Instant.ofEpochMilli(d.recordedMillis())), source(d.withIndexLabels(raised))));
    }
    if (invalid.isEmpty()) {
      return sendAll(items);
    }
    WriteResult sent = items.isEmpty() ? WriteResult.EMPTY : sendAll(items);
    List<WriteResult.Rejection> rejected = new ArrayList<>(invalid);
    rejected.addAll(sent.rejected());
    rejected.sort((a, b) -> Integer.compare(a.index(), b.index()));
    return new WriteResult(sent.accepted(), rejected);
  }

  /**
   * Refreshes, then rebuilds each matching document from its {@code _source} JSON plus the raised
   * labels and writes it back to the index it came from, conditional on its sequence number and
   * primary term: when the indexer replaced the event meanwhile, the write is refused as a
   * conflict and the newer document stays (it was indexed with the labels known then; a caller
   * repeating the query sees it again if it still lacks them).
   */
  @Override
  public int raiseLabels(AuditQuery query, RaisedLabels raised) {
    ensureTemplate();
    refresh();
    Query matching = EsQueries.toQuery(QueryPlanner.plan(query));
    try {
      SearchResponse<Source> r = searchWithShardRetry(s -> s.index(alias).ignoreUnavailable(true)
          .allowNoIndices(true).query(matching).size(Math.max(1, query.limit())).seqNoPrimaryTerm(true), Source.class);
      BulkRequest.Builder bulk = new BulkRequest.Builder().refresh(Refresh.True);
      int writes = 0;
      for (Hit<Source> h : r.hits().hits()) {
        AuditEventDocument d = AuditEventJson.document(
            Objects.requireNonNull(h.source(), "_source").json().getBytes(StandardCharsets.UTF_8));
        AuditEventDocument labelled = d.withIndexLabels(raised);
        if (labelled.keywords().equals(d.keywords()) || h.seqNo() == null || h.primaryTerm() == null) {
          continue;
        }
        BinaryData data = BinaryData.of(source(labelled), ContentType.APPLICATION_JSON);
        String index = Objects.requireNonNull(h.index());
        long seqNo = h.seqNo();
        long term = h.primaryTerm();
        bulk.operations(op -> op.index(ix -> ix.index(index).id(d.id()).ifSeqNo(seqNo).ifPrimaryTerm(term)
            .document(data)));
        writes++;
      }
      if (writes == 0) {
        return 0;
      }
      int changed = 0;
      for (BulkResponseItem item : client.bulk(bulk.build()).items()) {
        if (item.error() == null) {
          changed++;
        } else if (item.status() != 409) { // 409: replaced meanwhile, see above
          throw new StoreException("Elasticsearch relabel of " + item.id() + " failed: " + item.error().type());
        }
      }
      return changed;
    } catch (IOException | RuntimeException e) {
      if (e instanceof StoreException se) {
        throw se;
      }
      throw new StoreException("Elasticsearch relabel in " + url + "/" + alias + " failed: " + e, e);
    }
  }

  /** Nothing to do: a bulk item is acknowledged after its translog fsync. */
  @Override
  public void flush() {
    ensureOpen();
  }

  @Override
  public Optional<AuditEvent> read(String id) {
    ensureTemplate();
    try {
      SearchResponse<Source> r = searchWithShardRetry(s -> s.index(alias).ignoreUnavailable(true).allowNoIndices(true)
          .query(q -> q.ids(i -> i.values(id))).size(1), Source.class);
      return r.hits().hits().stream().findFirst()
          .map(h -> Fhir.auditEventFromJson(Objects.requireNonNull(h.source(), "_source").json()));
    } catch (IOException | RuntimeException e) {
      throw new StoreException("Elasticsearch read of " + id + " from " + url + "/" + alias + " failed: " + e, e);
    }
  }

  @Override
  public AuditPage search(AuditQuery query) {
    Cursor cursor = query.cursor() == null ? null : Cursor.decode(query.cursor(), query.sort());
    ensureTemplate();
    int limit = query.limit();
    Query matching = EsQueries.toQuery(QueryPlanner.plan(query));
    String sortField = query.sort().field() == SearchField.LAST_UPDATED ? LAST_UPDATED : RECORDED;
    // a backward cursor: the same search_after in the exactly reversed order, hits handed back reversed
    boolean backward = cursor != null && cursor.backward();
    SortOrder order = query.sort().descending() != backward ? SortOrder.Desc : SortOrder.Asc;
    SortOrder idOrder = backward ? SortOrder.Desc : SortOrder.Asc;
    SearchResponse<Source> r;
    try {
      r = searchWithShardRetry(s -> {
        s.index(alias).ignoreUnavailable(true).allowNoIndices(true)
            .query(matching).size(limit == 0 ? 0 : limit + 1) // one extra tells whether a next page exists
            .trackTotalHits(t -> t.enabled(true))
            .sort(so -> so.field(f -> f.field(sortField).order(order)))
            .sort(so -> so.field(f -> f.field(ID).order(idOrder)));
        if (cursor != null) {
          s.searchAfter(FieldValue.of(cursor.millis()), FieldValue.of(cursor.id()));
        }
        for (Aggregation a : query.aggregations()) {
          switch (a) {
            case Aggregation.Terms t -> s.aggregations(t.name(), ag -> ag.terms(x -> x
                .field(IndexFields.aggregationField(t.field())).size(t.size()).shardSize(Math.max(100, t.size() * 5))
                .order(List.of(NamedValue.of("_count", SortOrder.Desc), NamedValue.of("_key", SortOrder.Asc)))));
            case Aggregation.DateHistogram h -> s.aggregations(h.name(), ag -> ag.dateHistogram(x -> x
                .field(h.field().indexName()).calendarInterval(interval(h.interval())).minDocCount(1)));
          }
        }
        return s;
      }, Source.class);
    } catch (IOException | RuntimeException e) {
      throw new StoreException("Elasticsearch search in " + url + "/" + alias + " failed: " + e, e);
    }
    List<Hit<Source>> hits = r.hits().hits();
    List<AuditEvent> events = new ArrayList<>();
    List<Cursor> positions = new ArrayList<>();
    for (int i = 0; i < Math.min(limit, hits.size()); i++) {
      events.add(Fhir.auditEventFromJson(Objects.requireNonNull(hits.get(i).source(), "_source").json()));
      List<FieldValue> sort = hits.get(i).sort();
      positions.add(new Cursor(query.sort(), sort.get(0).longValue(), sort.get(1).stringValue()));
    }
    if (backward) {
      java.util.Collections.reverse(events);
      java.util.Collections.reverse(positions);
    }
    boolean more = limit > 0 && hits.size() > limit; // beyond this page in the direction searched
    long total = r.hits().total() == null ? hits.size() : r.hits().total().value();
    return new AuditPage(events, total, Cursor.next(cursor, positions, more), aggregations(query, r.aggregations()),
        Cursor.previous(cursor, positions, more));
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

  /**
   * Drops every monthly index whose whole month was recorded before the cutoff, after copying
   * its events on legal hold into {@code <alias>.legal-hold} (same ids, still behind the alias).
   * An event redelivered after its month was dropped recreates that month's index; the next run
   * drops it again.
   *
   * @return how many events were deleted with the dropped indices
   */
  @Override
  public long applyRetention(RetentionPolicy policy, Instant now) {
    if (!policy.enabled()) {
      return 0;
    }
    ensureTemplate();
    Instant cutoff = policy.cutoff(now);
    String holdIndex = alias + "." + HOLD_SUFFIX;
    Query held = Query.of(q -> q.term(t -> t.field(IndexFields.tokenField(SearchField.TAG))
        .value(IndexFields.token(policy.legalHoldSystem(), policy.legalHoldCode()))));
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
      throw new StoreException("Elasticsearch retention on " + alias + " failed after deleting " + deleted + " events: "
          + e, e);
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    bulkThreads.shutdownNow();
    try {
      transport.close();
    } catch (IOException e) {
      throw new StoreException("closing the Elasticsearch client failed", e);
    }
  }

  /**
   * A monthly index is auto-created by the first bulk of its month and joins the alias at once,
   * before its primary shard has started; a search in that window fails with 503
   * {@code no_shard_available_action_exception}. That is transient, so retry briefly instead of
   * failing the user's search.
   */
  private <T> SearchResponse<T> searchWithShardRetry(
      java.util.function.Function<co.elastic.clients.elasticsearch.core.SearchRequest.Builder,
          co.elastic.clients.util.ObjectBuilder<co.elastic.clients.elasticsearch.core.SearchRequest>> request,
      Class<T> type) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        return client.search(request, type);
      } catch (IOException | RuntimeException e) {
        if (attempt >= SHARD_RETRIES || !String.valueOf(e.getMessage()).contains("no_shard_available_action_exception")) {
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

  /** Deletes every index of this store (monthly and hold); the template stays. For tests. */
  void deleteAllIndices() {
    try {
      for (String index : client.indices().get(g -> g.index(alias + ".*").ignoreUnavailable(true)
          .allowNoIndices(true)).indices().keySet()) {
        client.indices().delete(d -> d.index(index).ignoreUnavailable(true));
      }
    } catch (IOException | RuntimeException e) {
      throw new StoreException("deleting indices " + alias + ".* failed: " + e, e);
    }
  }

  /** Makes recent writes searchable now; for tests and benchmarks that write without waiting. */
  public void refresh() {
    try {
      client.indices().refresh(r -> r.index(alias).ignoreUnavailable(true).allowNoIndices(true));
    } catch (IOException | RuntimeException e) {
      throw new StoreException("refresh of " + alias + " failed: " + e, e);
    }
  }

  private List<String> monthlyIndices() throws IOException {
    List<String> months = new ArrayList<>();
    for (String index : client.indices().get(g -> g.index(alias + ".*").ignoreUnavailable(true).allowNoIndices(true))
        .indices().keySet()) {
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

  private long copyHeld(String index, String holdIndex, Query held) throws IOException {
    long moved = 0;
    List<FieldValue> after = null;
    while (true) {
      List<FieldValue> from = after;
      SearchResponse<Source> r = searchWithShardRetry(s -> {
        s.index(index).query(held).size(500).sort(so -> so.field(f -> f.field(ID).order(SortOrder.Asc)));
        if (from != null) {
          s.searchAfter(from);
        }
        return s;
      }, Source.class);
      List<Hit<Source>> hits = r.hits().hits();
      if (hits.isEmpty()) {
        return moved;
      }
      List<Item> items = new ArrayList<>();
      for (Hit<Source> h : hits) {
        AuditEventDocument d = AuditEventJson.document(
            Objects.requireNonNull(h.source()).json().getBytes(StandardCharsets.UTF_8));
        items.add(new Item(items.size(), d.id(), holdIndex, source(d)));
      }
      WriteResult w = sendAll(items);
      if (!w.rejected().isEmpty()) {
        throw new StoreException("copying held events of " + index + " failed: " + w.rejected().get(0));
      }
      client.indices().refresh(x -> x.index(holdIndex));
      moved += hits.size();
      after = hits.get(hits.size() - 1).sort();
    }
  }

  /** One document ready for a bulk: its position in the caller's batch, target and serialised source. */
  private record Item(int position, String id, String index, byte[] source) {}

  private WriteResult sendAll(List<Item> items) {
    List<List<Item>> bulks = new ArrayList<>();
    List<Item> current = new ArrayList<>();
    long bytes = 0;
    for (Item it : items) {
      if (!current.isEmpty() && (bytes + it.source.length > settings.maxBulkBytes || current.size() >= settings.maxBulkActions)) {
        bulks.add(current);
        current = new ArrayList<>();
        bytes = 0;
      }
      current.add(it);
      bytes += it.source.length + 100;
    }
    bulks.add(current);
    List<WriteResult.Rejection> rejected = new ArrayList<>();
    if (bulks.size() == 1) {
      rejected.addAll(sendWithRetry(bulks.get(0)));
    } else {
      List<Future<List<WriteResult.Rejection>>> futures = new ArrayList<>();
      for (List<Item> bulk : bulks) {
        futures.add(bulkThreads.submit(() -> sendWithRetry(bulk)));
      }
      StoreException failure = null;
      for (Future<List<WriteResult.Rejection>> f : futures) {
        try {
          rejected.addAll(f.get());
        } catch (ExecutionException e) {
          if (failure == null) {
            failure = e.getCause() instanceof StoreException se ? se
                : new StoreException("Elasticsearch bulk failed: " + e.getCause(), e.getCause());
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new StoreException("interrupted while indexing", e);
        }
      }
      if (failure != null) {
        throw failure;
      }
    }
    rejected.sort((a, b) -> Integer.compare(a.index(), b.index()));
    return new WriteResult(items.size() - rejected.size(), rejected);
  }

  /**
   * Sends one bulk, holding its size in {@link #inFlight} until the answer. Items that ES
   * rejected for load (429) or a transient server error (5xx) are resent alone, after a backoff
   * that doubles from {@code retryBackoff}; after {@code maxRetries} the whole call fails as
   * transient ({@link StoreException}), so the caller retries later instead of dropping them.
   */
  private List<WriteResult.Rejection> sendWithRetry(List<Item> bulk) {
    ensureOpen();
    long size = bulk.stream().mapToLong(i -> i.source.length + 100L).sum();
    int permits = (int) Math.min(inFlightKib, Math.max(1, size / 1024));
    try {
      inFlight.acquire(permits);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while waiting for bulk capacity", e);
    }
    try {
      List<WriteResult.Rejection> rejected = new ArrayList<>();
      List<Item> pending = bulk;
      Duration backoff = settings.retryBackoff;
      for (int attempt = 0; ; attempt++) {
        BulkResponse response = send(pending);
        List<Item> retry = new ArrayList<>();
        List<String> retryReasons = new ArrayList<>();
        List<BulkResponseItem> results = response.items();
        for (int i = 0; i < results.size(); i++) {
          BulkResponseItem r = results.get(i);
          if (r.error() == null) {
            continue;
          }
          Item it = pending.get(i);
          if (r.status() == 429 || r.status() >= 500) {
            retry.add(it);
            retryReasons.add(r.error().type());
          } else {
            rejected.add(new WriteResult.Rejection(it.position, it.id, String.valueOf(r.error().type()),
                String.valueOf(r.error().reason())));
          }
        }
        if (retry.isEmpty()) {
          return rejected;
        }
        if (attempt >= settings.maxRetries) {
          throw new StoreException("Elasticsearch kept rejecting " + retry.size() + " items after " + attempt
              + " retries: " + retryReasons.get(0));
        }
        sleep(backoff);
        backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(10)) > 0 ? Duration.ofSeconds(10)
            : backoff.multipliedBy(2);
        pending = retry;
      }
    } finally {
      inFlight.release(permits);
    }
  }

  private BulkResponse send(List<Item> items) {
    BulkRequest.Builder bulk = new BulkRequest.Builder().refresh(settings.refresh);
    for (Item it : items) {
      BinaryData data = BinaryData.of(it.source, ContentType.APPLICATION_JSON);
      bulk.operations(op -> op.index(ix -> ix.index(it.index).id(it.id).document(data)));
    }
    try {
      return client.bulk(bulk.build());
    } catch (IOException | RuntimeException e) {
      throw new StoreException("Elasticsearch bulk of " + items.size() + " events to " + url + "/" + alias + " failed: "
          + e, e);
    }
  }

  /** The bulk source, streamed: the fields of {@link IndexFields} and the JSON as a string. */
  private static byte[] source(AuditEventDocument d) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(d.json().length() * 3);
    try (JsonGenerator g = JSON_FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField(ID, d.id());
      g.writeNumberField(RECORDED, d.recordedMillis());
      g.writeNumberField(LAST_UPDATED, d.lastUpdatedMillis());
      for (Map.Entry<String, java.util.Set<String>> e : d.keywords().entrySet()) {
        if (ID.equals(e.getKey())) {
          continue;
        }
        g.writeArrayFieldStart(e.getKey());
        for (String v : e.getValue()) {
          g.writeString(v);
        }
        g.writeEndArray();
      }
      if (!d.text().isEmpty()) {
        g.writeStringField(TEXT, d.text());
      }
      g.writeStringField(JSON, d.json());
      g.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise the document of " + d.id(), e);
    }
    return out.toByteArray();
  }

  private Map<String, List<Aggregation.Bucket>> aggregations(AuditQuery q, Map<String, Aggregate> result) {
    Map<String, List<Aggregation.Bucket>> out = new LinkedHashMap<>();
    for (Aggregation a : q.aggregations()) {
      Aggregate r = result.get(a.name());
      List<Aggregation.Bucket> buckets = new ArrayList<>();
      if (r != null && r.isSterms()) {
        r.sterms().buckets().array().forEach(b -> buckets.add(new Aggregation.Bucket(b.key().stringValue(), b.docCount())));
      } else if (r != null && r.isDateHistogram()) {
        r.dateHistogram().buckets().array().forEach(b -> buckets.add(
            new Aggregation.Bucket(Instant.ofEpochMilli(b.key()).toString(), b.docCount())));
      }
      out.put(a.name(), buckets);
    }
    return out;
  }

  private static CalendarInterval interval(Aggregation.Interval i) {
    return switch (i) {
      case HOUR -> CalendarInterval.Hour;
      case DAY -> CalendarInterval.Day;
      case WEEK -> CalendarInterval.Week;
      case MONTH -> CalendarInterval.Month;
    };
  }

  private void ensureTemplate() {
    ensureOpen();
    if (templateReady) {
      return;
    }
    synchronized (this) {
      if (templateReady) {
        return;
      }
      Map<String, Property> properties = new LinkedHashMap<>();
      IndexFields.keywordFields().forEach((field, docValues) ->
          properties.put(field, Property.of(p -> p.keyword(k -> k.docValues(docValues)))));
      for (String date : IndexFields.dateFields()) {
        properties.put(date, Property.of(p -> p.date(d -> d.format("epoch_millis"))));
      }
      properties.put(TEXT, Property.of(p -> p.text(t -> t.analyzer("standard"))));
      properties.put(JSON, Property.of(p -> p.keyword(k -> k.index(false).docValues(false))));
      try {
        client.indices().putIndexTemplate(t -> t.name(alias + "-template")
            .indexPatterns(alias + ".*")
            .priority(200L)
            .meta("managed-by", co.elastic.clients.json.JsonData.of("atna-bridge audit-store"))
            .template(tt -> tt
                .settings(s -> {
                  s.numberOfShards(String.valueOf(settings.shards)).refreshInterval(ri -> ri.time(settings.refreshInterval));
                  return settings.replicas == null ? s.autoExpandReplicas("0-1")
                      : s.numberOfReplicas(String.valueOf(settings.replicas));
                })
                .mappings(m -> m.dynamic(DynamicMapping.Strict).source(src -> src.includes(JSON)).properties(properties))
                .aliases(alias, a -> a)));
        templateReady = true;
      } catch (IOException | RuntimeException e) {
        throw new StoreException("cannot install the index template for " + alias + " at " + url + ": " + e, e);
      }
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new StoreException("Elasticsearch store is closed");
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted during bulk retry backoff", e);
    }
  }

  /** The {@code _source} fields a hit is read from. */
  record Source(String json) {}

  /** Settings of the store; every setter rejects bad values at once. */
  public static final class Builder {
    private final String url;
    private String index = DEFAULT_INDEX;
    private Refresh refresh = Refresh.WaitFor;
    private int shards = 1;
    private @Nullable Integer replicas;
    private String refreshInterval = "1s";
    private long maxBulkBytes = 5L << 20;
    private int maxBulkActions = 5000;
    private long maxInFlightBytes = 20L << 20;
    private int concurrency = 2;
    private int maxRetries = 8;
    private Duration retryBackoff = Duration.ofMillis(100);

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

    /**
     * The alias, also the prefix of the monthly indices ({@code prod-audit-events} →
     * {@code prod-audit-events.2026-03}); lowercase, no dots.
     */
    public Builder index(String v) {
      if (v.isEmpty() || !v.equals(v.toLowerCase(Locale.ROOT)) || v.startsWith("_") || v.startsWith("-")
          || v.contains(".") || v.contains("*")) {
        throw new IllegalArgumentException("index must be a lowercase Elasticsearch index name without dots: " + v);
      }
      index = v;
      return this;
    }

    /**
     * {@code true}: each bulk refreshes (tests, tiny loads; makes small segments). Otherwise
     * {@code wait_for}: a write returns once searchable.
     */
    public Builder refreshImmediately(boolean v) {
      refresh = v ? Refresh.True : Refresh.WaitFor;
      return this;
    }

    /**
     * {@code false}: a write returns as soon as it is durable, searchable within {@code
     * refreshInterval}: the fastest bulk loading. Default {@code wait_for}.
     */
    public Builder waitForRefresh(boolean v) {
      refresh = v ? Refresh.WaitFor : Refresh.False;
      return this;
    }

    public Builder shards(int v) {
      if (v < 1) {
        throw new IllegalArgumentException("shards < 1: " + v);
      }
      shards = v;
      return this;
    }

    /** A fixed replica count instead of the default auto-expanding 0-1. */
    public Builder replicas(int v) {
      if (v < 0) {
        throw new IllegalArgumentException("replicas < 0: " + v);
      }
      replicas = v;
      return this;
    }

    /** Index refresh interval in ES time units, e.g. {@code 1s}; at most 1 s keeps the 1 s visibility promise. */
    public Builder refreshInterval(String v) {
      if (!v.matches("\\d+(ms|s)")) {
        throw new IllegalArgumentException("refreshInterval must look like 500ms or 1s: " + v);
      }
      refreshInterval = v;
      return this;
    }

    public Builder maxBulkBytes(long v) {
      if (v < 1024) {
        throw new IllegalArgumentException("maxBulkBytes < 1024: " + v);
      }
      maxBulkBytes = v;
      return this;
    }

    public Builder maxBulkActions(int v) {
      if (v < 1) {
        throw new IllegalArgumentException("maxBulkActions < 1: " + v);
      }
      maxBulkActions = v;
      return this;
    }

    /** Upper bound on the bytes of all bulks in flight from this store. */
    public Builder maxInFlightBytes(long v) {
      if (v < 1024) {
        throw new IllegalArgumentException("maxInFlightBytes < 1024: " + v);
      }
      maxInFlightBytes = v;
      return this;
    }

    /** Bulks sent in parallel by one write. */
    public Builder concurrency(int v) {
      if (v < 1 || v > 64) {
        throw new IllegalArgumentException("concurrency must be 1..64: " + v);
      }
      concurrency = v;
      return this;
    }

    /** Resends of items rejected with 429/5xx, and the first backoff (doubling, at most 10 s). */
    public Builder retries(int maxRetries, Duration backoff) {
      if (maxRetries < 0 || backoff.isNegative()) {
        throw new IllegalArgumentException("retries must be >= 0 with a backoff >= 0: " + maxRetries + ", " + backoff);
      }
      this.maxRetries = maxRetries;
      this.retryBackoff = backoff;
      return this;
    }

    /** No I/O: the template is installed by {@link ElasticsearchAuditStore#start()} or the first use. */
    public ElasticsearchAuditStore build() {
      return new ElasticsearchAuditStore(this);
    }
  }
}
