package org.atnabridge.store.lucene;

import static org.atnabridge.store.internal.IndexFields.ID;
import static org.atnabridge.store.internal.IndexFields.JSON;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.atnabridge.store.AuditQuery;
import org.atnabridge.store.RaisedLabels;
import org.atnabridge.store.StoreException;
import org.atnabridge.store.WriteResult;
import org.atnabridge.store.internal.AuditEventDocument;
import org.atnabridge.store.internal.AuditEventJson;
import org.atnabridge.store.internal.JsonBatch;
import org.atnabridge.store.internal.QueryPlanner;

/**
 * The write path: upserts by id, batches of at least {@value #MIN_PER_THREAD} events per thread
 * split over {@code indexThreads} threads (the caller's and a small pool), so the single indexer
 * thread still uses every core: IndexWriter takes concurrent adds, each thread filling its own
 * segment buffer. Index-side labels are raised by read-modify-write under {@link #relabelLock}.
 * Neither commits nor reopens: the store's timer and {@code flush()} do.
 */
final class LuceneWrites implements AutoCloseable {

  private static final int MIN_PER_THREAD = 100;

  private final Path path;
  private final IndexWriter writer;
  private final LuceneSearchers searchers;
  private final int indexThreads;

  /** Threads besides the caller's that add the parts of a large batch. */
  private final ExecutorService indexPool;

  private final ReadWriteLock relabelLock = new ReentrantReadWriteLock();
  private final Runnable ensureOpen;

  LuceneWrites(
      Path path,
      IndexWriter writer,
      LuceneSearchers searchers,
      int indexThreads,
      Runnable ensureOpen) {
    this.path = path;
    this.writer = writer;
    this.searchers = searchers;
    this.indexThreads = indexThreads;
    this.ensureOpen = ensureOpen;
    this.indexPool =
        Executors.newFixedThreadPool(
            Math.max(1, indexThreads - 1),
            r -> {
              Thread t = new Thread(r, "lucene-index-" + path.getFileName());
              t.setDaemon(true);
              return t;
            });
  }

  WriteResult indexJson(List<byte[]> events, RaisedLabels raised) {
    if (events.isEmpty()) {
      return WriteResult.EMPTY;
    }
    ensureOpen.run();
    int parts = Math.min(indexThreads, Math.max(1, events.size() / MIN_PER_THREAD));
    List<WriteResult.Rejection> rejected = new ArrayList<>();
    relabelLock
        .readLock()
        .lock(); // a relabel's read-modify-write of a document never interleaves with its upsert
    try {
      if (parts == 1) {
        rejected.addAll(add(events, 0, events.size(), raised));
      } else {
        int step = (events.size() + parts - 1) / parts;
        List<Future<List<WriteResult.Rejection>>> others = new ArrayList<>();
        for (int from = step; from < events.size(); from += step) {
          int f = from;
          others.add(
              indexPool.submit(() -> add(events, f, Math.min(events.size(), f + step), raised)));
        }
        rejected.addAll(add(events, 0, step, raised));
        for (Future<List<WriteResult.Rejection>> f : others) {
          rejected.addAll(f.get());
        }
      }
    } catch (ExecutionException e) {
      throw new StoreException(
          "Lucene write of " + events.size() + " events to " + path + " failed: " + e.getCause(),
          e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while writing to " + path, e);
    } catch (IOException | RuntimeException e) {
      throw new StoreException(
          "Lucene write of " + events.size() + " events to " + path + " failed: " + e, e);
    } finally {
      relabelLock.readLock().unlock();
      searchers.changed();
    }
    return JsonBatch.result(events.size(), rejected);
  }

  private List<WriteResult.Rejection> add(
      List<byte[]> events, int from, int to, RaisedLabels raised) throws IOException {
    return JsonBatch.extract(
        events,
        from,
        to,
        (i, d) -> {
          try {
            AuditEventDocument labelled = d.withIndexLabels(raised);
            writer.updateDocument(new Term(ID, labelled.id()), LuceneDocuments.toLucene(labelled));
            return null;
          } catch (
              IllegalArgumentException e) { // this document only (e.g. a value Lucene cannot index)
            return new WriteResult.Rejection(
                i, d.id(), "illegal_argument", String.valueOf(e.getMessage()));
          }
        });
  }

  /**
   * Rebuilds each matching document from its stored JSON plus the raised labels, under the write
   * side of {@link #relabelLock} so that no upsert of the same id by {@link #indexJson} slips
   * between the read and the update (a replaced event must never come back).
   */
  int raiseLabels(AuditQuery query, RaisedLabels raised) {
    Query matching = LuceneQueries.toLucene(QueryPlanner.plan(query));
    relabelLock.writeLock().lock();
    try {
      ensureOpen.run();
      searchers.refreshBlocking();
      int n =
          searchers.withSearcher(
              s -> {
                int changed = 0;
                for (ScoreDoc hit : s.search(matching, Math.max(1, query.limit())).scoreDocs) {
                  String json = s.storedFields().document(hit.doc, Set.of(JSON)).get(JSON);
                  AuditEventDocument d =
                      AuditEventJson.document(json.getBytes(StandardCharsets.UTF_8));
                  AuditEventDocument labelled = d.withIndexLabels(raised);
                  if (!labelled.keywords().equals(d.keywords())) {
                    writer.updateDocument(new Term(ID, d.id()), LuceneDocuments.toLucene(labelled));
                    changed++;
                  }
                }
                return changed;
              });
      if (n > 0) {
        searchers.refreshBlocking();
      }
      return n;
    } catch (IOException e) {
      throw new StoreException("Lucene relabel in " + path + " failed: " + e, e);
    } finally {
      relabelLock.writeLock().unlock();
    }
  }

  @Override
  public void close() {
    indexPool.shutdown();
  }
}
