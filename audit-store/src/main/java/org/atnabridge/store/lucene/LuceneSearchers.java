package org.atnabridge.store.lucene;

import static org.atnabridge.store.internal.IndexFields.ID;
import static org.atnabridge.store.internal.IndexFields.JSON;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopFieldDocs;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.util.BytesRef;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.store.AuditPage;
import org.atnabridge.store.AuditQuery;
import org.atnabridge.store.SortOrder;
import org.atnabridge.store.StoreException;
import org.atnabridge.store.internal.Cursor;
import org.atnabridge.store.internal.Pages;
import org.atnabridge.store.internal.QueryPlanner;
import org.hl7.fhir.r5.model.AuditEvent;

/**
 * The read side of the index: near-real-time searchers (reopened by the store's timer, and before a
 * search that follows a write of this process: read-your-writes), reads by id and pages of a query
 * (search-after on the sort of {@link LuceneDocuments}, the page made by {@link Pages}).
 */
final class LuceneSearchers {

  private final Path path;
  private final SearcherManager searchers;
  private final Runnable ensureOpen;
  private final AtomicBoolean dirty = new AtomicBoolean();

  LuceneSearchers(Path path, SearcherManager searchers, Runnable ensureOpen) {
    this.path = path;
    this.searchers = searchers;
    this.ensureOpen = ensureOpen;
  }

  /** The writer has changes a search of this process must see. */
  void changed() {
    dirty.set(true);
  }

  void refreshBlocking() throws IOException {
    searchers.maybeRefreshBlocking();
  }

  void refreshQuietly() {
    try {
      searchers.maybeRefresh();
    } catch (IOException | AlreadyClosedException ignored) {
      // the next tick or a search retries; check() reports a broken writer
    }
  }

  Optional<AuditEvent> read(String id) {
    return withSearcher(
        s -> {
          TopFieldDocs td =
              s.search(
                  new TermQuery(new Term(ID, id)),
                  1,
                  LuceneDocuments.sort(SortOrder.DATE_DESC, false));
          return td.scoreDocs.length == 0
              ? Optional.<AuditEvent>empty()
              : Optional.of(json(s, td.scoreDocs[0]));
        });
  }

  AuditPage search(AuditQuery query) {
    Cursor cursor = Pages.cursor(query);
    Query matching = LuceneQueries.toLucene(QueryPlanner.plan(query));
    int limit = query.limit();
    Sort sort = LuceneDocuments.sort(query.sort(), Pages.backward(cursor));
    return withSearcher(
        s -> {
          long total = s.count(matching);
          var aggregations = LuceneAggregations.compute(s, matching, query.aggregations());
          if (limit == 0) {
            return Pages.assemble(query, cursor, List.<ScoreDoc>of(), hits(s), total, aggregations);
          }
          TopDocs td;
          if (cursor == null) {
            td = s.search(matching, Pages.hitsToFetch(limit), sort);
          } else {
            // the id makes every sort key unique, so the doc tiebreak never decides: the largest
            // doc id
            FieldDoc after =
                new FieldDoc(
                    Math.max(0, s.getIndexReader().maxDoc() - 1),
                    Float.NaN,
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

  private static AuditEvent json(IndexSearcher s, ScoreDoc hit) throws IOException {
    return Fhir.auditEventFromJson(s.storedFields().document(hit.doc, Set.of(JSON)).get(JSON));
  }

  interface SearcherTask<T> {
    T run(IndexSearcher s) throws IOException;
  }

  <T> T withSearcher(SearcherTask<T> task) {
    ensureOpen.run();
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

  void close() throws IOException {
    searchers.close();
  }
}
