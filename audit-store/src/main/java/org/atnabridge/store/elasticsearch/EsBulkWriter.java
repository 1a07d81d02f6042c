package org.atnabridge.store.elasticsearch;

import static org.atnabridge.store.internal.IndexFields.ID;
import static org.atnabridge.store.internal.IndexFields.JSON;
import static org.atnabridge.store.internal.IndexFields.LAST_UPDATED;
import static org.atnabridge.store.internal.IndexFields.RECEIVED;
import static org.atnabridge.store.internal.IndexFields.RECORDED;
import static org.atnabridge.store.internal.IndexFields.TEXT;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.util.BinaryData;
import co.elastic.clients.util.ContentType;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.atnabridge.store.StoreException;
import org.atnabridge.store.StoreUnavailableException;
import org.atnabridge.store.WriteResult;
import org.atnabridge.store.internal.AuditEventDocument;
import org.atnabridge.store.internal.IndexFields;
import org.atnabridge.store.internal.JsonBatch;

/**
 * The bulk write path: documents are serialised once, split into bulks of at most {@code
 * maxBulkBytes} / {@code maxBulkActions} and sent up to {@code concurrency} at a time, all bulks of
 * the store bounded by {@code maxInFlightBytes} (writers block beyond it: back-pressure, not memory
 * growth). Items rejected with 429 or 5xx are resent with exponential backoff; items failing with
 * another error (mapping conflict, strict mapping, bad value) come back as {@link
 * WriteResult.Rejection}s for the dead-letter topic.
 */
final class EsBulkWriter implements AutoCloseable {

  private static final JsonFactory JSON_FACTORY = new JsonFactory();

  private final EsSettings settings;
  private final ElasticsearchClient client;
  private final ExecutorService bulkThreads;

  /** In-flight bulk bytes, in KiB permits. */
  private final Semaphore inFlight;

  private final int inFlightKib;
  private volatile boolean closed;

  EsBulkWriter(EsSettings settings, ElasticsearchClient client) {
    this.settings = settings;
    this.client = client;
    this.bulkThreads =
        Executors.newFixedThreadPool(
            settings.concurrency(),
            r -> {
              Thread t = new Thread(r, "es-bulk-" + settings.alias());
              t.setDaemon(true);
              return t;
            });
    this.inFlightKib = (int) Math.max(1, settings.maxInFlightBytes() / 1024);
    this.inFlight = new Semaphore(inFlightKib);
  }

  /**
   * One document ready for a bulk: its position in the caller's batch, target and serialised
   * source.
   */
  record Item(int position, String id, String index, byte[] source) {

    Item(int position, String index, AuditEventDocument d) {
      this(position, d.id(), index, EsBulkWriter.source(d));
    }
  }

  /** Sends every item; the rejections are in batch order. */
  WriteResult sendAll(List<Item> items) {
    List<List<Item>> bulks = new ArrayList<>();
    List<Item> current = new ArrayList<>();
    long bytes = 0;
    for (Item it : items) {
      if (!current.isEmpty()
          && (bytes + it.source.length > settings.maxBulkBytes()
              || current.size() >= settings.maxBulkActions())) {
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
            failure =
                e.getCause() instanceof StoreException se
                    ? se
                    : new StoreException(
                        "Elasticsearch bulk failed: " + e.getCause(), e.getCause());
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
    return JsonBatch.result(items.size(), rejected);
  }

  /**
   * Sends one bulk, holding its size in {@link #inFlight} until the answer. Items that ES rejected
   * for load (429) or a transient server error (5xx) are resent alone, after a backoff that doubles
   * from {@code retryBackoff}; after {@code maxRetries} the whole call fails as transient ({@link
   * StoreException}), so the caller retries later instead of dropping them.
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
      Duration backoff = settings.retryBackoff();
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
            rejected.add(
                new WriteResult.Rejection(
                    it.position,
                    it.id,
                    String.valueOf(r.error().type()),
                    String.valueOf(r.error().reason())));
          }
        }
        if (retry.isEmpty()) {
          return rejected;
        }
        if (attempt >= settings.maxRetries()) {
          throw new StoreUnavailableException(
              "Elasticsearch kept rejecting "
                  + retry.size()
                  + " items after "
                  + attempt
                  + " retries: "
                  + retryReasons.get(0),
              null);
        }
        sleep(backoff);
        backoff =
            backoff.multipliedBy(2).compareTo(Duration.ofSeconds(10)) > 0
                ? Duration.ofSeconds(10)
                : backoff.multipliedBy(2);
        pending = retry;
      }
    } finally {
      inFlight.release(permits);
    }
  }

  private BulkResponse send(List<Item> items) {
    BulkRequest.Builder bulk = new BulkRequest.Builder().refresh(settings.refresh());
    for (Item it : items) {
      BinaryData data = BinaryData.of(it.source, ContentType.APPLICATION_JSON);
      bulk.operations(op -> op.index(ix -> ix.index(it.index).id(it.id).document(data)));
    }
    try {
      return client.bulk(bulk.build());
    } catch (IOException | RuntimeException e) {
      throw EsFailures.wrap(
          "Elasticsearch bulk of "
              + items.size()
              + " events to "
              + settings.url()
              + "/"
              + settings.alias()
              + " failed: "
              + e,
          e);
    }
  }

  /**
   * Deletes documents by index and id, in bulks of at most {@code maxBulkActions}; a document
   * already gone counts as deleted by someone else.
   *
   * @return how many documents this call deleted
   */
  long deleteAll(Map<String, List<String>> idsByIndex) {
    ensureOpen();
    long deleted = 0;
    for (Map.Entry<String, List<String>> e : idsByIndex.entrySet()) {
      List<String> ids = e.getValue();
      for (int from = 0; from < ids.size(); from += settings.maxBulkActions()) {
        BulkRequest.Builder b = new BulkRequest.Builder().refresh(settings.refresh());
        for (String id :
            ids.subList(from, Math.min(ids.size(), from + settings.maxBulkActions()))) {
          b.operations(op -> op.delete(d -> d.index(e.getKey()).id(id)));
        }
        BulkResponse response;
        try {
          response = client.bulk(b.build());
        } catch (IOException | RuntimeException x) {
          throw EsFailures.wrap(
              "Elasticsearch delete in " + e.getKey() + " at " + settings.url() + " failed: " + x,
              x);
        }
        for (BulkResponseItem r : response.items()) {
          if (r.error() != null) {
            throw new StoreException(
                "Elasticsearch refused to delete "
                    + r.id()
                    + " from "
                    + e.getKey()
                    + ": "
                    + r.error().type());
          }
          if ("deleted".equals(r.result())) {
            deleted++;
          }
        }
      }
    }
    return deleted;
  }

  /** The bulk source, streamed: the fields of {@link IndexFields} and the JSON as a string. */
  static byte[] source(AuditEventDocument d) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(d.json().length() * 3);
    try (JsonGenerator g = JSON_FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField(ID, d.id());
      g.writeNumberField(RECORDED, d.recordedMillis());
      g.writeNumberField(LAST_UPDATED, d.lastUpdatedMillis());
      g.writeNumberField(RECEIVED, d.receivedMillis());
      for (Map.Entry<String, Set<String>> e : d.keywords().entrySet()) {
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

  void ensureOpen() {
    if (closed) {
      throw new StoreException("Elasticsearch store is closed");
    }
  }

  boolean closed() {
    return closed;
  }

  @Override
  public void close() {
    closed = true;
    bulkThreads.shutdownNow();
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted during bulk retry backoff", e);
    }
  }
}
