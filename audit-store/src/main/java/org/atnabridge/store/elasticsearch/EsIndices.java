package org.atnabridge.store.elasticsearch;

import static org.atnabridge.store.internal.IndexFields.ID;
import static org.atnabridge.store.internal.IndexFields.JSON;
import static org.atnabridge.store.internal.IndexFields.TEXT;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
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
import org.atnabridge.store.RetentionPolicy;
import org.atnabridge.store.SearchField;
import org.atnabridge.store.StoreException;
import org.atnabridge.store.WriteResult;
import org.atnabridge.store.internal.AuditEventDocument;
import org.atnabridge.store.internal.AuditEventJson;
import org.atnabridge.store.internal.IndexFields;
import org.jspecify.annotations.Nullable;

/**
 * The life of the indices behind the alias: the composable index template {@code <alias>-template}
 * for {@code <alias>.*} (strict mapping of the fields of {@link IndexFields}, the settings, the
 * alias), the index an event goes to, and retention.
 *
 * <p><b>Routing.</b> An event goes to the index of the month the repository received it, {@code
 * <alias>.yyyy-MM} (UTC), by its {@code meta.lastUpdated}: the chain step stamps it with the
 * repository's own clock, so a sender's clock can never pick an index. An event without it (written
 * to the store directly, not through the pipeline) goes by its {@code recorded}, and when that is
 * more than {@value #PAST_DAYS} days before or a day after the repository's clock, to the one
 * {@code <alias>.out-of-range} index: a sender with a wrong or hostile clock creates at most that
 * one index, never one per month. Searches go through the alias over every index and match {@code
 * recorded} exactly, wherever the event was routed. A re-written event can change index (a replayed
 * event is stamped anew): {@link #removeStaleCopies} deletes the older copy, so an id is never
 * stored twice.
 *
 * <p><b>Retention</b> keeps the events recorded since the cutoff, exactly as the Lucene store: an
 * index whose whole month was received before the cutoff is dropped after moving its events on
 * legal hold to {@code <alias>.legal-hold} and its events recorded after the cutoff to {@code
 * <alias>.out-of-range}; in the other indices the events recorded before the cutoff (and not held)
 * are deleted one by one. Nothing here needs ILM, ingest pipelines, scripts, data streams or
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
  static final String OUT_OF_RANGE = "out-of-range";

  /** How far before the repository's clock a {@code recorded} may be and still pick a month. */
  static final int PAST_DAYS = 366;

  /** How far after the repository's clock a date may be and still pick a month. */
  private static final Duration FUTURE = Duration.ofDays(1);

  /** Ids per lookup of stale copies. */
  private static final int LOOKUP_CHUNK = 1000;

  private volatile boolean templateReady;

  /** The write index last found in place behind the alias, or null. */
  private volatile @Nullable String layoutChecked;

  EsIndices(
      EsSettings settings, ElasticsearchClient client, EsSearches searches, EsBulkWriter bulk) {
    this.settings = settings;
    this.alias = settings.alias();
    this.client = client;
    this.searches = searches;
    this.bulk = bulk;
  }

  /**
   * The index an event goes to (see the class comment).
   *
   * @param receivedMillis {@code meta.lastUpdated}, or {@code recordedMillis} when the event has
   *     none ({@link org.atnabridge.store.internal.AuditEventDocument#lastUpdatedMillis})
   */
  String indexFor(long recordedMillis, long receivedMillis) {
    Instant now = settings.clock().instant();
    boolean received = receivedMillis != recordedMillis;
    Instant at = Instant.ofEpochMilli(received ? receivedMillis : recordedMillis);
    if (at.isAfter(now.plus(FUTURE))
        || !received && at.isBefore(now.minus(Duration.ofDays(PAST_DAYS)))) {
      return outOfRangeIndex();
    }
    return alias + "." + MONTH.format(at);
  }

  String outOfRangeIndex() {
    return alias + "." + OUT_OF_RANGE;
  }

  /** The index of the current month, where events received now go. */
  String writeIndex() {
    return alias + "." + MONTH.format(settings.clock().instant());
  }

  /**
   * Installs the template and makes sure the write index exists behind the alias: done at start,
   * and by the readiness check until it succeeds, so a store that says it is ready can write and
   * search. Checked again when the month changes.
   *
   * @throws StoreException ({@link org.atnabridge.store.StoreUnavailableException} when the cluster
   *     cannot be reached)
   */
  void ensureLayout() {
    ensureTemplate();
    String write = writeIndex();
    if (write.equals(layoutChecked)) {
      return;
    }
    try {
      if (!client.indices().exists(e -> e.index(write)).value()) {
        try {
          // waits for the primary shard, so the first searches of the month find it started
          client.indices().create(c -> c.index(write));
        } catch (ElasticsearchException e) {
          if (!"resource_already_exists_exception".equals(e.error().type())) {
            throw e;
          }
        }
      }
      if (!client.indices().existsAlias(a -> a.name(alias).index(write)).value()) {
        throw new StoreException(
            "index "
                + write
                + " is not behind the alias "
                + alias
                + " (created outside the template "
                + alias
                + "-template?)");
      }
      layoutChecked = write;
    } catch (StoreException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw EsFailures.wrap(
          "cannot create or check the write index " + write + " at " + settings.url() + ": " + e,
          e);
    }
  }

  /** After the indices were deleted: the next use creates the write index again. */
  void forgetLayout() {
    layoutChecked = null;
  }

  /** True once {@link #ensureLayout} succeeded for the current month. */
  boolean layoutReady() {
    return writeIndex().equals(layoutChecked);
  }

  /**
   * Deletes the copies of these ids stored in another index than the one they were just written to
   * (a replayed event stamped in a later month, a clock that moved an event out of range). Found by
   * search, so a copy written less than a refresh interval ago is not seen; a re-write that soon
   * comes from the same indexer batch and goes to the same index.
   *
   * @param idsByIndex the ids just written, by the index each went to
   * @return how many stale copies were deleted
   */
  long removeStaleCopies(Map<String, List<String>> idsByIndex) {
    Map<String, List<String>> stale = new LinkedHashMap<>();
    try {
      for (Map.Entry<String, List<String>> written : idsByIndex.entrySet()) {
        String target = written.getKey();
        List<String> all = written.getValue();
        for (int from = 0; from < all.size(); from += LOOKUP_CHUNK) {
          List<String> ids = all.subList(from, Math.min(all.size(), from + LOOKUP_CHUNK));
          SearchResponse<JsonData> r =
              searches.search(
                  s ->
                      s.index(alias)
                          .ignoreUnavailable(true)
                          .allowNoIndices(true)
                          .query(
                              q ->
                                  q.bool(
                                      b ->
                                          b.filter(f -> f.ids(i -> i.values(ids)))
                                              .mustNot(
                                                  m ->
                                                      m.term(
                                                          t -> t.field("_index").value(target)))))
                          .size(ids.size())
                          .source(src -> src.fetch(false)),
                  JsonData.class);
          for (Hit<JsonData> h : r.hits().hits()) {
            stale.computeIfAbsent(h.index(), k -> new ArrayList<>()).add(h.id());
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      throw EsFailures.wrap(
          "looking up earlier copies in " + alias + " at " + settings.url() + " failed: " + e, e);
    }
    return stale.isEmpty() ? 0 : bulk.deleteAll(stale);
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
        // indices created from an earlier template lack the fields added since (received, the
        // receipt time): their strict mapping would refuse documents with them, so the date
        // fields are added in place (put-mapping only adds; an identical field is a no-op)
        Map<String, Property> dates = new LinkedHashMap<>();
        for (String date : IndexFields.dateFields()) {
          dates.put(date, properties.get(date));
        }
        client
            .indices()
            .putMapping(
                m ->
                    m.index(alias + ".*")
                        .allowNoIndices(true)
                        .ignoreUnavailable(true)
                        .properties(dates));
        templateReady = true;
      } catch (IOException | RuntimeException e) {
        throw EsFailures.wrap(
            "cannot install the index template for " + alias + " at " + settings.url() + ": " + e,
            e);
      }
    }
  }

  /**
   * Deletes the events recorded before the policy's cutoff, except those on legal hold (see the
   * class comment): whole indices of months received before the cutoff, one by one elsewhere.
   *
   * @return how many events were deleted
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
    Query recent = notHeldRecorded(held, cutoff, false);
    Query expired = notHeldRecorded(held, cutoff, true);
    long deleted = 0;
    try {
      for (String index : storeIndices()) {
        if (index.equals(holdIndex)) {
          continue;
        }
        YearMonth month = month(index);
        client.indices().refresh(x -> x.index(index));
        if (month != null
            && !month
                .plusMonths(1)
                .atDay(1)
                .atStartOfDay(ZoneOffset.UTC)
                .toInstant()
                .isAfter(cutoff)) {
          long count = client.count(c -> c.index(index)).count();
          long moved = copy(index, holdIndex, held);
          long kept = copy(index, outOfRangeIndex(), recent);
          client.indices().delete(d -> d.index(index));
          deleted += count - moved - kept;
        } else {
          deleted += deleteMatching(index, expired);
        }
      }
      return deleted;
    } catch (IOException | RuntimeException e) {
      throw EsFailures.wrap(
          "Elasticsearch retention on "
              + alias
              + " failed after deleting "
              + deleted
              + " events: "
              + e,
          e);
    }
  }

  /** Copies the events of {@code index} that match into {@code target} (same ids). */
  private long copy(String index, String target, Query matching) throws IOException {
    long copied = 0;
    for (List<Hit<EsSearches.Source>> hits = null; ; ) {
      List<FieldValue> after = hits == null ? null : hits.get(hits.size() - 1).sort();
      hits = page(index, matching, after, true);
      if (hits.isEmpty()) {
        return copied;
      }
      List<EsBulkWriter.Item> items = new ArrayList<>();
      for (Hit<EsSearches.Source> h : hits) {
        AuditEventDocument d =
            AuditEventJson.document(
                Objects.requireNonNull(h.source()).json().getBytes(StandardCharsets.UTF_8));
        items.add(new EsBulkWriter.Item(items.size(), target, d));
      }
      WriteResult w = bulk.sendAll(items);
      if (!w.rejected().isEmpty()) {
        throw new StoreException(
            "copying events of " + index + " to " + target + " failed: " + w.rejected().get(0));
      }
      client.indices().refresh(x -> x.index(target));
      copied += hits.size();
    }
  }

  /** Deletes the events of {@code index} that match, by id (no delete-by-query). */
  private long deleteMatching(String index, Query matching) throws IOException {
    long deleted = 0;
    for (List<Hit<EsSearches.Source>> hits = null; ; ) {
      List<FieldValue> after = hits == null ? null : hits.get(hits.size() - 1).sort();
      hits = page(index, matching, after, false);
      if (hits.isEmpty()) {
        return deleted;
      }
      List<String> ids = new ArrayList<>();
      for (Hit<EsSearches.Source> h : hits) {
        ids.add(Objects.requireNonNull(h.id()));
      }
      deleted += bulk.deleteAll(Map.of(index, ids));
      client.indices().refresh(x -> x.index(index));
    }
  }

  private List<Hit<EsSearches.Source>> page(
      String index, Query matching, @Nullable List<FieldValue> after, boolean withSource)
      throws IOException {
    return searches
        .search(
            s -> {
              s.index(index)
                  .query(matching)
                  .size(500)
                  .source(src -> src.fetch(withSource))
                  .sort(so -> so.field(f -> f.field(ID).order(SortOrder.Asc)));
              if (after != null) {
                s.searchAfter(after);
              }
              return s;
            },
            EsSearches.Source.class)
        .hits()
        .hits();
  }

  /** The month of a monthly index, or null for the hold and out-of-range indices. */
  private @Nullable YearMonth month(String index) {
    try {
      return YearMonth.parse(index.substring(alias.length() + 1));
    } catch (DateTimeParseException notAMonth) {
      return null;
    }
  }

  private List<String> storeIndices() throws IOException {
    List<String> indices =
        new ArrayList<>(
            client
                .indices()
                .get(g -> g.index(alias + ".*").ignoreUnavailable(true).allowNoIndices(true))
                .indices()
                .keySet());
    indices.sort(null);
    return indices;
  }

  /** Not on legal hold, and recorded before {@code cutoff} (or at or after it). */
  private static Query notHeldRecorded(Query held, Instant cutoff, boolean before) {
    String millis = String.valueOf(cutoff.toEpochMilli());
    return Query.of(
        q ->
            q.bool(
                b ->
                    b.mustNot(held)
                        .filter(
                            f ->
                                f.range(
                                    r ->
                                        r.date(
                                            d -> {
                                              d.field(IndexFields.RECORDED).format("epoch_millis");
                                              return before ? d.lt(millis) : d.gte(millis);
                                            })))));
  }

  /** Makes recent writes searchable now. */
  void refresh() {
    try {
      client.indices().refresh(r -> r.index(alias).ignoreUnavailable(true).allowNoIndices(true));
    } catch (IOException | RuntimeException e) {
      throw new StoreException("refresh of " + alias + " failed: " + e, e);
    }
  }

  /** Deletes every index of this store; the template stays. */
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
