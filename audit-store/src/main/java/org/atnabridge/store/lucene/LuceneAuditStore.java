package org.atnabridge.store.lucene;

import static org.atnabridge.store.internal.IndexFields.RECORDED;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.LongField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;
import org.atnabridge.store.AuditPage;
import org.atnabridge.store.AuditQuery;
import org.atnabridge.store.RaisedLabels;
import org.atnabridge.store.RetentionPolicy;
import org.atnabridge.store.SearchField;
import org.atnabridge.store.StoreException;
import org.atnabridge.store.StoreHealth;
import org.atnabridge.store.WriteResult;
import org.atnabridge.store.internal.IndexFields;
import org.atnabridge.store.internal.JsonFirstStore;
import org.hl7.fhir.r5.model.AuditEvent;
import org.jspecify.annotations.Nullable;

/**
 * AuditEvents in a Lucene index directory, one document per event id ({@link LuceneDocuments}),
 * queried through {@link LuceneQueries} and aggregated by {@link LuceneAggregations}.
 *
 * <p><b>Durability and visibility.</b> {@link #index} only adds to the IndexWriter: it neither
 * commits nor reopens, because both cost far more than the add at 30k events/s. A background thread
 * reopens the near-real-time searcher every {@code refreshInterval} (default 500 ms, always ≤ 1 s)
 * and commits every {@code commitInterval} (default 5 s) when there are changes; {@link #flush()}
 * commits at once and {@link #close()} commits last. A search made after an index call of this
 * process reopens first when there is anything new, so this process reads its own writes. After a
 * crash (kill -9) the index reopens at its last commit; the indexer commits Kafka offsets only
 * after {@link #flush()}, so it re-reads exactly what the crash lost and the upserts by id make the
 * replay idempotent.
 *
 * <p>Only one store may hold a directory: Lucene's native write lock makes a second open fail
 * instead of corrupting the index; the OS releases it when the process dies.
 */
public final class LuceneAuditStore extends JsonFirstStore {

  private final Path path;
  private final FSDirectory directory;
  private final IndexWriter writer;
  private final LuceneSearchers searchers;
  private final ScheduledExecutorService scheduler;
  private final LuceneWrites writes;
  private final Object lifecycle = new Object();
  private volatile boolean closed;

  private LuceneAuditStore(
      Path path,
      FSDirectory directory,
      IndexWriter writer,
      SearcherManager searchers,
      Duration refreshInterval,
      Duration commitInterval,
      int indexThreads) {
    this.path = path;
    this.directory = directory;
    this.writer = writer;
    this.searchers = new LuceneSearchers(path, searchers, this::ensureOpen);
    this.writes = new LuceneWrites(path, writer, this.searchers, indexThreads, this::ensureOpen);
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "lucene-store-" + path.getFileName());
              t.setDaemon(true);
              return t;
            });
    scheduler.scheduleWithFixedDelay(
        this::refreshQuietly,
        refreshInterval.toMillis(),
        refreshInterval.toMillis(),
        TimeUnit.MILLISECONDS);
    scheduler.scheduleWithFixedDelay(
        this::commitQuietly,
        commitInterval.toMillis(),
        commitInterval.toMillis(),
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

  /**
   * Extracts and adds the documents, a large batch spread over {@code indexThreads} threads ({@link
   * LuceneWrites}).
   */
  @Override
  public WriteResult indexJson(List<byte[]> events, RaisedLabels raised) {
    return writes.indexJson(events, raised);
  }

  /** See {@link LuceneWrites#raiseLabels}. */
  @Override
  public int raiseLabels(AuditQuery query, RaisedLabels raised) {
    return writes.raiseLabels(query, raised);
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
    return searchers.read(id);
  }

  @Override
  public AuditPage search(AuditQuery query) {
    return searchers.search(query);
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
    Query expired =
        new BooleanQuery.Builder()
            .add(LongField.newRangeQuery(RECORDED, Long.MIN_VALUE, cutoff - 1), Occur.FILTER)
            .add(
                new TermQuery(
                    new Term(
                        IndexFields.tokenField(SearchField.TAG),
                        IndexFields.token(policy.legalHoldSystem(), policy.legalHoldCode()))),
                Occur.MUST_NOT)
            .build();
    synchronized (lifecycle) {
      ensureOpen();
      try {
        searchers.refreshBlocking();
        long n = searchers.withSearcher(s -> (long) s.count(expired));
        if (n > 0) {
          writer.deleteDocuments(expired);
          writer.commit();
          searchers.refreshBlocking();
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
      writes.close();
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
        searchers.refreshBlocking();
      } catch (IOException e) {
        throw new StoreException("Lucene deleteAll failed", e);
      }
    }
  }

  private void refreshQuietly() {
    if (!closed) {
      searchers.refreshQuietly();
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

    /**
     * Threads one large {@link #indexJson} batch is spread over (1 .. 64; default min(2, cores)).
     */
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
        writer =
            new IndexWriter(
                directory,
                new IndexWriterConfig(new StandardAnalyzer())
                    .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                    .setRAMBufferSizeMB(ramBufferMb)
                    .setUseCompoundFile(
                        false) // flushed segments stay as written: no copy into a .cfs while
                    // indexing
                    .setCommitOnClose(true));
        return new LuceneAuditStore(
            dir,
            directory,
            writer,
            new SearcherManager(writer, null),
            refreshInterval,
            commitInterval,
            indexThreads);
      } catch (LockObtainFailedException e) {
        closeQuietly(writer, directory);
        throw new StoreException(
            "Lucene index " + dir + " is in use by another store or process", e);
      } catch (IOException | RuntimeException e) {
        closeQuietly(writer, directory);
        throw new StoreException(
            "cannot open the Lucene index at " + dir + ": " + e.getMessage(), e);
      }
    }
  }
}
