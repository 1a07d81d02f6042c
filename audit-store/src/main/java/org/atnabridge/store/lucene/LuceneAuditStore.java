package org.atnabridge.store.lucene;

import static org.atnabridge.store.internal.IndexFields.ID;
import static org.atnabridge.store.internal.IndexFields.JSON;
import static org.atnabridge.store.internal.IndexFields.RECORDED;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KeywordField;
import org.apache.lucene.document.LongField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortedNumericSelector;
import org.apache.lucene.search.SortedSetSelector;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TermRangeQuery;
import org.apache.lucene.search.TopFieldDocs;
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
import org.atnabridge.store.StoreException;
import org.atnabridge.store.StoreHealth;
import org.atnabridge.store.internal.AuditEventDocument;
import org.atnabridge.store.internal.Cursor;
import org.atnabridge.store.internal.RecordedRange;
import org.atnabridge.store.internal.TermClauses;
import org.hl7.fhir.r5.model.AuditEvent;
import org.jspecify.annotations.Nullable;

/**
 * AuditEvents in a Lucene index directory. One document per event id: {@code id} (KeywordField,
 * sorted), {@code recorded} (LongField, ranges and sort), the token fields of {@link
 * org.atnabridge.store.internal.IndexFields} (StringField, terms only) and the JSON (stored
 * only).
 *
 * <p>{@link #write} replaces by id, commits (fsync) and refreshes the searcher before returning,
 * so a returned write is durable and visible. Only one store may hold a directory: Lucene's
 * native write lock makes a second open fail instead of corrupting the index.
 */
public final class LuceneAuditStore implements AuditStore, AuditEventWriter, AuditEventSearch {

  /** Newest first, ties by id: the order of {@link AuditEventSearch#search}. */
  private static final Sort ORDER = new Sort(
      LongField.newSortField(RECORDED, true, SortedNumericSelector.Type.MIN),
      KeywordField.newSortField(ID, false, SortedSetSelector.Type.MIN));

  private final Path path;
  private final FSDirectory directory;
  private final IndexWriter writer;
  private final SearcherManager searchers;
  private final Object lock = new Object();
  private volatile boolean closed;

  private LuceneAuditStore(Path path, FSDirectory directory, IndexWriter writer, SearcherManager searchers) {
    this.path = path;
    this.directory = directory;
    this.writer = writer;
    this.searchers = searchers;
  }

  /**
   * Opens (creating if needed) the index in {@code dir} and takes its write lock; existing
   * events stay.
   *
   * @throws StoreException when the directory is unusable or another store holds it
   */
  public static LuceneAuditStore open(Path dir) {
    FSDirectory directory = null;
    IndexWriter writer = null;
    try {
      Files.createDirectories(dir);
      directory = FSDirectory.open(dir);
      writer = new IndexWriter(directory, new IndexWriterConfig()
          .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
          .setCommitOnClose(true));
      return new LuceneAuditStore(dir, directory, writer, new SearcherManager(writer, null));
    } catch (LockObtainFailedException e) {
      closeQuietly(writer, directory);
      throw new StoreException("Lucene index " + dir + " is in use by another store or process", e);
    } catch (IOException | RuntimeException e) {
      closeQuietly(writer, directory);
      throw new StoreException("cannot open the Lucene index at " + dir + ": " + e.getMessage(), e);
    }
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

  @Override
  public void write(List<AuditEvent> events) {
    if (events.isEmpty()) {
      return;
    }
    List<AuditEventDocument> docs = events.stream().map(AuditEventDocument::from).toList();
    synchronized (lock) {
      ensureOpen();
      try {
        for (AuditEventDocument d : docs) {
          writer.updateDocument(new Term(ID, d.id()), toLucene(d));
        }
        writer.commit();
        searchers.maybeRefreshBlocking();
      } catch (IOException | RuntimeException e) {
        throw new StoreException("Lucene write of " + docs.size() + " events to " + path + " failed: " + e, e);
      }
    }
  }

  @Override
  public Optional<AuditEvent> read(String id) {
    return withSearcher(s -> {
      TopFieldDocs td = s.search(new TermQuery(new Term(ID, id)), 1, ORDER);
      return td.scoreDocs.length == 0 ? Optional.<AuditEvent>empty() : Optional.of(json(s, td.scoreDocs[0]));
    });
  }

  @Override
  public AuditPage search(AuditQuery query) {
    Query matching = toLucene(query);
    Query page = matching;
    if (query.cursor() != null) {
      page = new BooleanQuery.Builder().add(matching, Occur.FILTER).add(after(Cursor.decode(query.cursor())), Occur.FILTER)
          .build();
    }
    Query pageQuery = page;
    int limit = query.limit();
    return withSearcher(s -> {
      long total = s.count(matching);
      TopFieldDocs td = s.search(pageQuery, limit + 1, ORDER); // one extra tells whether a next page exists
      List<AuditEvent> events = new ArrayList<>(Math.min(limit, td.scoreDocs.length));
      for (int i = 0; i < Math.min(limit, td.scoreDocs.length); i++) {
        events.add(json(s, td.scoreDocs[i]));
      }
      String next = null;
      if (td.scoreDocs.length > limit) {
        Object[] last = ((FieldDoc) td.scoreDocs[limit - 1]).fields;
        next = new Cursor((Long) last[0], ((BytesRef) last[1]).utf8ToString()).encode();
      }
      return new AuditPage(events, total, next);
    });
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

  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      try {
        searchers.close();
        writer.close();
      } catch (IOException e) {
        throw new StoreException("closing the Lucene index at " + path + " failed", e);
      } finally {
        closeQuietly(directory);
      }
    }
  }

  /** Removes every event; for tests. */
  void deleteAll() {
    synchronized (lock) {
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

  private static Document toLucene(AuditEventDocument d) {
    Document doc = new Document();
    doc.add(new KeywordField(ID, d.id(), Field.Store.NO));
    doc.add(new LongField(RECORDED, d.recordedMillis(), Field.Store.NO));
    for (Map.Entry<String, Set<String>> e : d.keywords().entrySet()) {
      for (String v : e.getValue()) {
        doc.add(new StringField(e.getKey(), v, Field.Store.NO));
      }
    }
    doc.add(new StoredField(JSON, d.json()));
    return doc;
  }

  private static Query toLucene(AuditQuery q) {
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    boolean any = false;
    RecordedRange range = RecordedRange.of(q);
    if (range != null) {
      if (range.isEmpty()) {
        return new MatchNoDocsQuery("empty period");
      }
      b.add(LongField.newRangeQuery(RECORDED, range.fromMillis(), range.toMillis()), Occur.FILTER);
      any = true;
    }
    for (List<TermClauses.Term> clause : TermClauses.of(q)) {
      if (clause.size() == 1) {
        b.add(term(clause.get(0)), Occur.FILTER);
      } else {
        BooleanQuery.Builder or = new BooleanQuery.Builder().setMinimumNumberShouldMatch(1);
        clause.forEach(t -> or.add(term(t), Occur.SHOULD));
        b.add(or.build(), Occur.FILTER);
      }
      any = true;
    }
    return any ? b.build() : new MatchAllDocsQuery();
  }

  private static Query term(TermClauses.Term t) {
    return new TermQuery(new Term(t.field(), t.value()));
  }

  /** Everything after the cursor in the order: older, or as old with a greater id. */
  private static Query after(Cursor c) {
    Query older = LongField.newRangeQuery(RECORDED, Long.MIN_VALUE, c.recordedMillis() - 1);
    Query sameTimeLaterId = new BooleanQuery.Builder()
        .add(LongField.newExactQuery(RECORDED, c.recordedMillis()), Occur.FILTER)
        .add(TermRangeQuery.newStringRange(ID, c.id(), null, false, false), Occur.FILTER)
        .build();
    return new BooleanQuery.Builder().setMinimumNumberShouldMatch(1)
        .add(older, Occur.SHOULD).add(sameTimeLaterId, Occur.SHOULD).build();
  }

  private static AuditEvent json(IndexSearcher s, ScoreDoc hit) throws IOException {
    return Fhir.auditEventFromJson(s.storedFields().document(hit.doc, Set.of(JSON)).get(JSON));
  }

  private interface SearcherTask<T> {
    T run(IndexSearcher s) throws IOException;
  }

  private <T> T withSearcher(SearcherTask<T> task) {
    ensureOpen();
    IndexSearcher s;
    try {
      s = searchers.acquire();
    } catch (IOException | AlreadyClosedException e) {
      throw new StoreException("Lucene store " + path + " cannot open a searcher: " + e, e);
    }
    try {
      return task.run(s);
    } catch (IOException | RuntimeException e) {
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
}
