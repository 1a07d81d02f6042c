package org.atnabridge.store.elasticsearch;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.HealthStatus;
import co.elastic.clients.elasticsearch._types.Refresh;
import co.elastic.clients.elasticsearch.cluster.HealthResponse;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest5_client.Rest5ClientTransport;
import co.elastic.clients.transport.rest5_client.low_level.Rest5Client;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.atnabridge.store.AuditPage;
import org.atnabridge.store.AuditQuery;
import org.atnabridge.store.RaisedLabels;
import org.atnabridge.store.RetentionPolicy;
import org.atnabridge.store.StoreException;
import org.atnabridge.store.StoreHealth;
import org.atnabridge.store.WriteResult;
import org.atnabridge.store.internal.Cursor;
import org.atnabridge.store.internal.IndexFields;
import org.atnabridge.store.internal.JsonBatch;
import org.atnabridge.store.internal.JsonFirstStore;
import org.atnabridge.store.internal.Pages;
import org.hl7.fhir.r5.model.AuditEvent;
import org.jspecify.annotations.Nullable;

/**
 * AuditEvents in monthly Elasticsearch indices {@code <alias>.yyyy-MM} by the month the repository
 * received them (UTC; {@code meta.lastUpdated}, stamped by the chain step), plus one {@code
 * <alias>.out-of-range} index, behind the alias (default {@value #DEFAULT_INDEX}); document id =
 * event id. A redelivered event overwrites itself; a re-written event that lands in another index
 * has its older copy deleted ({@link EsIndices}). Monthly indices keep each index small and make
 * retention mostly a cheap index delete; a sender's clock never creates an index.
 *
 * <p>The store is the facade of four parts with one job each: {@link EsIndices} (on {@link
 * #start()}: the composable index template {@code <alias>-template} for {@code <alias>.*}: strict
 * mapping of the fields of {@link IndexFields}, {@code _source} reduced to the FHIR JSON, the
 * settings below and the alias, and the current month's write index; routing; retention), {@link
 * EsBulkWriter} (bulks, back-pressure, retries of 429/5xx, rejections for the dead-letter topic),
 * {@link EsQueries} (the planned query as query DSL) and {@link EsPageReader} (search_after pages
 * and aggregations). A bulk is acknowledged only after the translog fsync ({@code
 * index.translog.durability=request}, the default), so {@link #flush()} has nothing left to do.
 *
 * <p><b>Settings for a real cluster</b> ({@link Builder}): {@code shards} (default 1: audit months
 * are small; raise for more than ~50 M events a month), {@code replicas} (default {@code 0-1}
 * auto-expand: 0 on one node, 1 as soon as a second node joins), {@code refreshInterval} (default 1
 * s; the {@code refresh} policy decides whether a bulk waits for it).
 */
public final class ElasticsearchAuditStore extends JsonFirstStore {

  public static final String DEFAULT_INDEX = "audit-events";

  /** Where events on legal hold go when retention drops their month. */
  public static final String HOLD_SUFFIX = "legal-hold";

  private final EsSettings settings;
  private final Rest5ClientTransport transport;
  private final ElasticsearchClient client;
  private final EsSearches searches;
  private final EsBulkWriter bulk;
  private final EsIndices indices;
  private final EsPageReader pages;
  private final EsLabels labels;
  private final EsAvailability availability;

  private ElasticsearchAuditStore(EsSettings settings) {
    this.settings = settings;
    var rest5 =
        Rest5Client.builder(EsHosts.parse(settings.url()).uris())
            .setDefaultHeaders(settings.credentials().headers());
    javax.net.ssl.SSLContext tls = settings.credentials().sslContext();
    if (tls != null) {
      rest5.setSSLContext(tls);
    }
    Rest5Client rest = rest5.build();
    this.transport = new Rest5ClientTransport(rest, new JacksonJsonpMapper());
    this.client = new ElasticsearchClient(transport);
    this.searches = new EsSearches(client);
    this.bulk = new EsBulkWriter(settings, client);
    this.indices = new EsIndices(settings, client, searches, bulk);
    this.pages = new EsPageReader(settings, searches);
    this.labels = new EsLabels(settings, client, searches);
    this.availability = new EsAvailability(settings.url() + "/" + settings.alias());
  }

  /**
   * @param url {@code http(s)://host:port} of a node, or of several nodes of the cluster
   *     comma-separated, one scheme for all: requests go round them and move on from a node that
   *     does not answer
   */
  public static Builder builder(String url) {
    return new Builder(url);
  }

  /** The alias searches go through. */
  public String index() {
    return settings.alias();
  }

  /**
   * The index an event is written to: the month it was received ({@code meta.lastUpdated}), or for
   * an event without one the month of {@code recorded} unless that is far off ({@code
   * <alias>.out-of-range}).
   *
   * @param received the event's {@code meta.lastUpdated}, or null when it has none
   */
  public String indexFor(Instant recorded, @Nullable Instant received) {
    long r = recorded.toEpochMilli();
    return indices.indexFor(r, received == null ? r : received.toEpochMilli());
  }

  /**
   * Installs the index template and creates the current month's write index behind the alias, and
   * checks both (idempotent). Until this succeeds {@link #check()} reports the store down, and
   * tries again.
   *
   * @throws StoreException when Elasticsearch refuses the template or the index ({@link
   *     org.atnabridge.store.StoreUnavailableException} when it is unreachable)
   */
  public ElasticsearchAuditStore start() {
    indices.ensureLayout();
    return this;
  }

  @Override
  public WriteResult indexJson(List<byte[]> events, RaisedLabels raised) {
    if (events.isEmpty()) {
      return WriteResult.EMPTY;
    }
    indices.ensureLayout();
    List<EsBulkWriter.Item> items = new ArrayList<>(events.size());
    List<WriteResult.Rejection> invalid;
    try {
      invalid =
          JsonBatch.extract(
              events,
              0,
              events.size(),
              (i, d) -> {
                items.add(
                    new EsBulkWriter.Item(
                        i,
                        indices.indexFor(d.recordedMillis(), d.lastUpdatedMillis()),
                        d.withIndexLabels(raised)));
                return null;
              });
    } catch (IOException e) {
      throw new StoreException(
          "Elasticsearch write to " + settings.url() + " failed: " + e, e); // never: no I/O
    }
    if (invalid.isEmpty()) {
      return removeStaleCopies(items, bulk.sendAll(items));
    }
    List<WriteResult.Rejection> rejected = new ArrayList<>(invalid);
    if (!items.isEmpty()) {
      rejected.addAll(removeStaleCopies(items, bulk.sendAll(items)).rejected());
    }
    return JsonBatch.result(events.size(), rejected);
  }

  /** After the new copies are written, so an event is searchable throughout. */
  private WriteResult removeStaleCopies(List<EsBulkWriter.Item> items, WriteResult written) {
    Set<String> refused = new HashSet<>();
    written.rejected().forEach(r -> refused.add(r.id()));
    Map<String, List<String>> idsByIndex = new LinkedHashMap<>();
    for (EsBulkWriter.Item it : items) {
      if (!refused.contains(it.id())) {
        idsByIndex.computeIfAbsent(it.index(), k -> new ArrayList<>()).add(it.id());
      }
    }
    indices.removeStaleCopies(idsByIndex);
    return written;
  }

  /** See {@link EsLabels#raise}. */
  @Override
  public int raiseLabels(AuditQuery query, RaisedLabels raised) {
    indices.ensureTemplate();
    indices.refresh();
    return labels.raise(query, raised);
  }

  /** Nothing to do: a bulk item is acknowledged after its translog fsync. */
  @Override
  public void flush() {
    bulk.ensureOpen();
  }

  @Override
  public Optional<AuditEvent> read(String id) {
    return availability.read(
        () -> {
          indices.ensureLayout();
          return pages.read(id);
        });
  }

  /**
   * @throws org.atnabridge.store.StoreUnavailableException while Elasticsearch cannot be reached
   *     (the outage is logged once, not per search: {@link EsAvailability})
   */
  @Override
  public AuditPage search(AuditQuery query) {
    Cursor cursor = Pages.cursor(query);
    return availability.read(
        () -> {
          indices.ensureLayout();
          return pages.search(query, cursor);
        });
  }

  @Override
  public StoreHealth check() {
    if (bulk.closed()) {
      return StoreHealth.down("Elasticsearch store is closed");
    }
    try {
      indices.ensureLayout();
    } catch (StoreException e) {
      return StoreHealth.down(
          "Elasticsearch index template, alias or write index not in place: " + e.getMessage());
    }
    try {
      HealthResponse h = client.cluster().health(c -> c.timeout(t -> t.time("5s")));
      return h.status() == HealthStatus.Red
          ? StoreHealth.down(
              "Elasticsearch cluster " + h.clusterName() + " at " + settings.url() + " is red")
          : StoreHealth.OK;
    } catch (IOException | RuntimeException e) {
      return StoreHealth.down(
          "Elasticsearch at " + settings.url() + " unreachable: " + e.getMessage());
    }
  }

  /**
   * Deletes the events recorded before the cutoff except those on legal hold: whole indices where
   * it can ({@link EsIndices#applyRetention}).
   *
   * @return how many events were deleted
   */
  @Override
  public long applyRetention(RetentionPolicy policy, Instant now) {
    if (!policy.enabled()) {
      return 0;
    }
    return indices.applyRetention(policy, now);
  }

  @Override
  public void close() {
    if (bulk.closed()) {
      return;
    }
    bulk.close();
    try {
      transport.close();
    } catch (IOException e) {
      throw new StoreException("closing the Elasticsearch client failed", e);
    }
  }

  /** Deletes every index of this store; the template stays. For tests. */
  void deleteAllIndices() {
    indices.deleteAll();
    indices.forgetLayout();
  }

  /** Makes recent writes searchable now; for tests and benchmarks that write without waiting. */
  public void refresh() {
    indices.refresh();
  }

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
    private Clock clock = Clock.systemUTC();
    private ElasticsearchCredentials credentials = ElasticsearchCredentials.NONE;

    private Builder(String url) {
      this.url = EsHosts.parse(url).toString();
    }

    /**
     * The alias, also the prefix of the monthly indices ({@code prod-audit-events} → {@code
     * prod-audit-events.2026-03}); lowercase, no dots.
     */
    public Builder index(String v) {
      if (v.isEmpty()
          || !v.equals(v.toLowerCase(Locale.ROOT))
          || v.startsWith("_")
          || v.startsWith("-")
          || v.contains(".")
          || v.contains("*")) {
        throw new IllegalArgumentException(
            "index must be a lowercase Elasticsearch index name without dots: " + v);
      }
      index = v;
      return this;
    }

    /**
     * {@code true}: each bulk refreshes (tests, tiny loads; makes small segments). Otherwise {@code
     * wait_for}: a write returns once searchable.
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

    /**
     * Index refresh interval in ES time units, e.g. {@code 1s}; at most 1 s keeps the 1 s
     * visibility promise.
     */
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
        throw new IllegalArgumentException(
            "retries must be >= 0 with a backoff >= 0: " + maxRetries + ", " + backoff);
      }
      this.maxRetries = maxRetries;
      this.retryBackoff = backoff;
      return this;
    }

    /**
     * The repository's clock: which month receives events, which dates are far off. Default the
     * system's, in UTC; tests set another.
     */
    public Builder clock(Clock v) {
      clock = Objects.requireNonNull(v, "clock");
      return this;
    }

    /**
     * No I/O: the template and write index are installed by {@link ElasticsearchAuditStore#start()}
     * (or by {@link ElasticsearchAuditStore#check()} or the first use, once it is reachable).
     */
    public ElasticsearchAuditStore build() {
      return new ElasticsearchAuditStore(
          new EsSettings(
              url,
              index,
              refresh,
              shards,
              replicas,
              refreshInterval,
              maxBulkBytes,
              maxBulkActions,
              maxInFlightBytes,
              concurrency,
              maxRetries,
              retryBackoff,
              clock,
              credentials));
    }

    /**
     * A cluster with security on: the CA its HTTPS certificate chains to, and an API key or a user
     * and password (default: none).
     */
    public Builder credentials(ElasticsearchCredentials v) {
      this.credentials = Objects.requireNonNull(v, "credentials");
      return this;
    }
  }
}
