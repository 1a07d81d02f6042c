package org.atnabridge.store.lucene;

import static org.atnabridge.store.internal.IndexFields.ID;
import static org.atnabridge.store.internal.IndexFields.JSON;
import static org.atnabridge.store.internal.IndexFields.RECORDED;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.LongField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopFieldDocs;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;
import org.apache.lucene.util.BytesRef;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.store.AuditEventSearch;
import org.atnabridge.store.AuditEventWriter;
import org.atnabridge.store.AuditPage;
import org.atnabridge.store.AuditQuery;
import org.atnabridge.store.AuditStore;
import org.atnabridge.store.RaisedLabels;
import org.atnabridge.store.RetentionPolicy;
import org.atnabridge.store.SearchField;
import org.atnabridge.store.SortOrder;
import org.atnabridge.store.StoreException;
import org.atnabridge.store.StoreHealth;
import org.atnabridge.store.WriteResult;
import org.atnabridge.store.internal.AuditEventDocument;
import org.atnabridge.store.internal.AuditEventJson;
import org.atnabridge.store.internal.Cursor;
import org.atnabridge.store.internal.IndexFields;
import org.atnabridge.store.internal.JsonBatch;
import org.atnabridge.store.internal.Pages;
import org.atnabridge.store.internal.QueryNode;
import org.atnabridge.store.internal.QueryPlanner;
import org.hl7.fhir.r5.model.AuditEvent;
import org.jspecify.annotations.Nullable;

/**
 * AuditEvents in a Lucene index directory, one document per event id ({@link LuceneDocuments}),
 * queried through {@link LuceneQueries} and aggregated by {@link LuceneAggregations}.
 *
 * <p><b>Durability and visibility.</b> {@link #index} only adds to the IndexWriter: it neither
 * commits nor reopens, because both cost far more than the add at 30k events/s. A background
 * thread reopens the near-real-time searcher every {@code refreshInterval} (default 500 ms,
 * always ≤ 1 s) and commits every {@code commitInterval} (default 5 s) when there are changes;
 * {@link #flush()} commits at once and {@link #close()} commits last. A search made after an
 * index call of this process reopens first when there is anything new, so this process reads
 * its own writes. After a crash (kill -9) the index reopens at its last commit; the indexer
 * commits Kafka offsets only after {@link #flush()}, so it re-reads exactly what the crash lost
 * and the upserts by id make the replay idempotent.
 *
 * <p>Only one store may hold a directory: Lucene's native write lock makes a second open fail
 * instead of corrupting the index; the OS releases it when the process dies.
 */
public final class LuceneAuditStore implements AuditStore, AuditEventWriter, AuditEventSearch {

  private final Path path;
  private final FSDirectory directory;
  private final IndexWriter writer;
  private final SearcherManager searchers;
  private final ScheduledExecutorService scheduler;
  /** Threads besides the caller's that add the parts of a large batch. */
  private final ExecutorService indexPool;
  private final int indexThreads;
  private static final int MIN_PER_THREAD = 100;
  private final AtomicBoolean dirty = new AtomicBoolean();
  private final java.util.concurrent.locks.ReadWriteLock relabelLock =
      new java.util.concurrent.locks.ReentrantReadWriteLock();
  private final Object lifecycle = new Object();
  private volatile boolean closed;

  private LuceneAuditStore(Path path, FSDirectory directory, IndexWriter writer, SearcherManager searchers,
      Duration refreshInterval, Duration commitInterval, int indexThreads) {
    this.path = path;
    this.indexThreads = indexThreads;
    this.indexPool = Executors.newFixedThreadPool(Math.max(1, indexThreads - 1), r -> {
      Thread t = new Thread(r, "lucene-index-" + path.getFileName());
      t.setDaemon(true);
      return t;
    });
    this.directory = directory;
    this.writer = writer;
    this.searchers = searchers;
    this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "lucene-store-" + path.getFileName());
      t.setDaemon(true);
      return t;
    });
    scheduler.scheduleWithFixedDelay(this::refreshQuietly, refreshInterval.toMillis(), refreshInterval.toMillis(),
        TimeUnit.MILLISECONDS);
    scheduler.scheduleWithFixedDelay(this::commitQuietly, commitInterval.toMillis(), commitInterval.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** Opens {@code dir} with the default intervals. */
  public static LuceneAuditStore open(Path dir) {
    return builder(dir).build();
  }

  public static Builder builder(Path dir) {
    return new Builder(dir);
  }

  public Path path() {
    return path;
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

  /**
   * Extracts and adds the documents; batches of at least {@value #MIN_PER_THREAD} events per
   * thread are split over {@code indexThreads} threads (the caller's and the store's pool), so
   * the single indexer thread still uses every core: IndexWriter takes concurrent adds, each
   * thread filling its own segment buffer.
   */
  @Override
  public WriteResult indexJson(List<byte[]> events) {
    return indexJson(events, RaisedLabels.NONE);
  }

  @Override
  public WriteResult indexJson(List<byte[]> events, RaisedLabels raised) {
    if (events.isEmpty()) {
      return WriteResult.EMPTY;
    }
    ensureOpen();
    int parts = Math.min(indexThreads, Math.max(1, events.size() / MIN_PER_THREAD));
    List<WriteResult.Rejection> rejected = new ArrayList<>();
    relabelLock.readLock().lock(); // a relabel's read-modify-write of a document never interleaves with its upsert
    try {
      if (parts == 1) {
        rejected.addAll(add(events, 0, events.size(), raised));
      } else {
        int step = (events.size() + parts - 1) / parts;
        List<Future<List<WriteResult.Rejection>>> others = new ArrayList<>();
        for (int from = step; from < events.size(); from += step) {
          int f = from;
          others.add(indexPool.submit(() -> add(events, f, Math.min(events.size(), f + step), raised)));
        }
        rejected.addAll(add(events, 0, step, raised));
        for (Future<List<WriteResult.Rejection>> f : others) {
          rejected.addAll(f.get());
        }
      }
    } catch (ExecutionException e) {
      throw new StoreException("Lucene write of " + events.size() + " events to " + path + " failed: " + e.getCause(),
          e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while writing to " + path, e);
    } catch (IOException | RuntimeException e) {
      throw new StoreException("Lucene write of " + events.size() + " events to " + path + " failed: " + e, e);
    } finally {
      relabelLock.readLock().unlock();
      dirty.set(true);
    }
    return JsonBatch.result(events.size(), rejected);
  }

  private List<WriteResult.Rejection> add(List<byte[]> events, int from, int to, RaisedLabels raised)
      throws IOException {
    return JsonBatch.extract(events, from, to, (i, d) -> {
      try {
        AuditEventDocument labelled = d.withIndexLabels(raised);
        writer.updateDocument(new Term(ID, labelled.id()), LuceneDocuments.toLucene(labelled));
        return null;
      } catch (IllegalArgumentException e) { // this document only (e.g. a value Lucene cannot index)
        return new WriteResult.Rejection(i, d.id(), "illegal_argument", String.valueOf(e.getMessage()));
      }
    });
  }

  /**
   * Rebuilds each matching document from its stored JSON plus the raised labels, under the write
   * side of {@link #relabelLock} so that no upsert of the same id by {@link #indexJson} slips
   * between the read and the update (a replaced event must never come back).
   */
  @Override
  public int raiseLabels(AuditQuery query, RaisedLabels raised) {
    Query matching = LuceneQueries.toLucene(QueryPlanner.plan(query));
    relabelLock.writeLock().lock();
    try {
      ensureOpen();
      searchers.maybeRefreshBlocking();
      int n = withSearcher(s -> {
        int changed = 0;
        for (ScoreDoc hit : s.search(matching, Math.max(1, query.limit())).scoreDocs) {
          String json = s.storedFields().document(hit.doc, Set.of(JSON)).get(JSON);
          AuditEventDocument d = AuditEventJson.document(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
          AuditEventDocument labelled = d.withIndexLabels(raised);
          if (!labelled.keywords().equals(d.keywords())) {
            writer.updateDocument(new Term(ID, d.id()), LuceneDocuments.toLucene(labelled));
            changed++;
          }
        }
        return changed;
      });
      if (n > 0) {
        searchers.maybeRefreshBlocking();
      }
      return n;
    } catch (IOException e) {
      throw new StoreException("Lucene relabel in " + path + " failed: " + e, e);
    } finally {
      relabelLock.writeLock().unlock();
    }
  }

  @Override
  public void flush() {
    ensureOpen();
    try {
      writer.commit();
    } catch (IOException | RuntimeException e) {
      throw new StoreException("Lucene commit of " + path + " failed: " + e, e);
    }
  }

  @Override
  public Optional<AuditEvent> read(String id) {
    return withSearcher(s -> {
      TopFieldDocs td = s.search(new TermQuery(new Term(ID, id)), 1, LuceneDocuments.sort(SortOrder.DATE_DESC, false));
      return td.scoreDocs.length == 0 ? Optional.<AuditEvent>empty() : Optional.of(json(s, td.scoreDocs[0]));
    });
  }

  @Override
  public AuditPage search(AuditQuery query) {
    Cursor cursor = Pages.cursor(query);
    Query matching = LuceneQueries.toLucene(QueryPlanner.plan(query));
    int limit = query.limit();
    Sort sort = LuceneDocuments.sort(query.sort(), Pages.backward(cursor));
    return withSearcher(s -> {
      long total = s.count(matching);
      var aggregations = LuceneAggregations.compute(s, matching, query.aggregations());
      if (limit == 0) {
        return Pages.assemble(query, cursor, List.<ScoreDoc>of(), hits(s), total, aggregations);
      }
      TopDocs td;
      if (cursor == null) {
        td = s.search(matching, Pages.hitsToFetch(limit), sort);
      } else {
        // the id makes every sort key unique, so the doc tiebreak never decides: the largest doc id
        FieldDoc after = new FieldDoc(Math.max(0, s.getIndexReader().maxDoc() - 1), Float.NaN,
            new Object[] {cursor.millis(), new BytesRef(cursor.id())});
        td = s.searchAfter(after, matching, Pages.hitsToFetch(limit), sort);
      }
      return Pages.assemble(query, cursor, List.of(td.scoreDocs), hits(s), total, aggregations);
    });
  }

  /** A hit's sort values (the date field, then the id) and its stored JSON. */
  private static Pages.HitReader<ScoreDoc> hits(IndexSearcher s) {
    return new Pages.HitReader<>() {
      @Override
      public long millis(ScoreDoc hit) {
        return (Long) ((FieldDoc) hit).fields[0];
      }

      @Override
      public String id(ScoreDoc hit) {
        return ((BytesRef) ((FieldDoc) hit).fields[1]).utf8ToString();
      }

      @Override
      public AuditEvent event(ScoreDoc hit) throws IOException {
        return json(s, hit);
      }
    };
  }

  @Override
  public StoreHealth check() {
    if (closed) {
      return StoreHealth.down("Lucene store " + path + " is closed");
    }
    Throwable tragic = writer.getTragicException();
    if (tragic != null) {
      return StoreHealth.down("Lucene index " + path + " failed: " + tragic);
    }
    return StoreHealth.OK;
  }

  /**
   * Deletes by query what was recorded before the cutoff and is not on legal hold, and commits.
   *
   * @return how many events were deleted
   */
  @Override
  public long applyRetention(RetentionPolicy policy, Instant now) {
    if (!policy.enabled()) {
      return 0;
    }
    long cutoff = policy.cutoff(now).toEpochMilli();
    Query expired = new BooleanQuery.Builder()
        .add(LongField.newRangeQuery(RECORDED, Long.MIN_VALUE, cutoff - 1), Occur.FILTER)
        .add(new TermQuery(new Term(IndexFields.tokenField(SearchField.TAG),
            IndexFields.token(policy.legalHoldSystem(), policy.legalHoldCode()))), Occur.MUST_NOT)
        .build();
    synchronized (lifecycle) {
      ensureOpen();
      try {
        searchers.maybeRefreshBlocking();
        long n = withSearcher(s -> (long) s.count(expired));
        if (n > 0) {
          writer.deleteDocuments(expired);
          writer.commit();
          searchers.maybeRefreshBlocking();
        }
        return n;
      } catch (IOException e) {
        throw new StoreException("Lucene retention in " + path + " failed: " + e, e);
      }
    }
  }

  @Override
  public void close() {
    synchronized (lifecycle) {
      if (closed) {
        return;
      }
      closed = true;
      scheduler.shutdownNow();
      indexPool.shutdown();
      try {
        scheduler.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      try {
        searchers.close();
        writer.close(); // commits (commitOnClose)
      } catch (IOException e) {
        throw new StoreException("closing the Lucene index at " + path + " failed", e);
      } finally {
        closeQuietly(directory);
      }
    }
  }

  /** Removes every event and commits; for tests. */
  void deleteAll() {
    synchronized (lifecycle) {
      ensureOpen();
      try {
        writer.deleteAll();
        writer.commit();
        searchers.maybeRefreshBlocking();
      } catch (IOException e) {
        throw new StoreException("Lucene deleteAll failed", e);
      }
    }
  }

  private void refreshQuietly() {
    try {
      if (!closed) {
        searchers.maybeRefresh();
      }
    } catch (IOException | AlreadyClosedException ignored) {
      // the next tick or a search retries; check() reports a broken writer
    }
  }

  private void commitQuietly() {
    try {
      if (!closed && writer.hasUncommittedChanges()) {
        writer.commit();
      }
    } catch (IOException | IllegalStateException ignored) {
      // a failing commit leaves the tragic exception on the writer, which check() reports
    }
  }

  private static AuditEvent json(IndexSearcher s, ScoreDoc hit) throws IOException {
    return Fhir.auditEventFromJson(s.storedFields().document(hit.doc, Set.of(JSON)).get(JSON));
  }

  interface SearcherTask<T> {
    T run(IndexSearcher s) throws IOException;
  }

  private <T> T withSearcher(SearcherTask<T> task) {
    ensureOpen();
    IndexSearcher s;
    try {
      if (dirty.getAndSet(false)) {
        searchers.maybeRefreshBlocking(); // read-your-writes for this process
      }
      s = searchers.acquire();
    } catch (IOException | AlreadyClosedException e) {
      throw new StoreException("Lucene store " + path + " cannot open a searcher: " + e, e);
    }
    try {
      return task.run(s);
    } catch (IOException e) {
      throw new StoreException("Lucene search in " + path + " failed: " + e, e);
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new StoreException("Lucene search in " + path + " failed: " + e, e);
    } finally {
      try {
        searchers.release(s);
      } catch (IOException | AlreadyClosedException ignored) {
        // closed meanwhile: the reader is released by close()
      }
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new StoreException("Lucene store " + path + " is closed");
    }
  }

  private static void closeQuietly(@Nullable AutoCloseable... closeables) {
    for (AutoCloseable c : closeables) {
      if (c != null) {
        try {
          c.close();
        } catch (Exception ignored) {
          // already failing; the first error is the one reported
        }
      }
    }
  }

  /** Settings; {@link #build()} opens the index. */
  public static final class Builder {
    private final Path dir;
    private Duration refreshInterval = Duration.ofMillis(500);
    private Duration commitInterval = Duration.ofSeconds(5);
    private double ramBufferMb = 64;
    private int indexThreads = Math.min(2, Runtime.getRuntime().availableProcessors());

    private Builder(Path dir) {
      this.dir = dir;
    }

    /** How often the searcher reopens; 10 ms .. 1 s. */
    public Builder refreshInterval(Duration v) {
      if (v.toMillis() < 10 || v.compareTo(Duration.ofSeconds(1)) > 0) {
        throw new IllegalArgumentException("refreshInterval must be 10 ms .. 1 s: " + v);
      }
      refreshInterval = v;
      return this;
    }

    /** How often changes are committed without a {@link #flush()}; at least 100 ms. */
    public Builder commitInterval(Duration v) {
      if (v.toMillis() < 100) {
        throw new IllegalArgumentException("commitInterval < 100 ms: " + v);
      }
      commitInterval = v;
      return this;
    }

    public Builder ramBufferMb(double v) {
      if (v < 1) {
        throw new IllegalArgumentException("ramBufferMb < 1: " + v);
      }
      ramBufferMb = v;
      return this;
    }

    /** Threads one large {@link #indexJson} batch is spread over (1 .. 64; default min(2, cores)). */
    public Builder indexThreads(int v) {
      if (v < 1 || v > 64) {
        throw new IllegalArgumentException("indexThreads must be 1..64: " + v);
      }
      indexThreads = v;
      return this;
    }

    /**
     * Opens (creating if needed) the index and takes its write lock; existing events stay.
     *
     * @throws StoreException when the directory is unusable or another store holds it
     */
    public LuceneAuditStore build() {
      FSDirectory directory = null;
      IndexWriter writer = null;
      try {
        Files.createDirectories(dir);
        directory = FSDirectory.open(dir);
        writer = new IndexWriter(directory, new IndexWriterConfig(new StandardAnalyzer())
            .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
            .setRAMBufferSizeMB(ramBufferMb)
            .setUseCompoundFile(false) // flushed segments stay as written: no copy into a .cfs while indexing
            .setCommitOnClose(true));
        return new LuceneAuditStore(dir, directory, writer, new SearcherManager(writer, null), refreshInterval,
            commitInterval, indexThreads);
      } catch (LockObtainFailedException e) {
        closeQuietly(writer, directory);
        throw new StoreException("Lucene index " + dir + " is in use by another store or process", e);
      } catch (IOException | RuntimeException e) {
        closeQuietly(writer, directory);
        throw new StoreException("cannot open the Lucene index at " + dir + ": " + e.getMessage(), e);
      }
    }
  }
}
