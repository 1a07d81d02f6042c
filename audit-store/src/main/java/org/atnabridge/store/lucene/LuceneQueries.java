package org.atnabridge.store.lucene;

import java.util.Set;
import org.apache.lucene.document.LongField;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.WildcardQuery;
import org.apache.lucene.util.BytesRef;
import org.atnabridge.store.internal.QueryNode;
import org.atnabridge.store.internal.TextWords;

/** {@link QueryNode} → Lucene query. Everything is a filter: results are ordered, never scored. */
final class LuceneQueries {

  private LuceneQueries() {}

  static Query toLucene(QueryNode n) {
    return switch (n) {
      case QueryNode.All a -> new MatchAllDocsQuery();
      case QueryNode.None x -> new MatchNoDocsQuery("empty criterion");
      case QueryNode.Terms t ->
          t.values().size() == 1
              ? new TermQuery(new Term(t.field(), t.values().get(0)))
              : new TermInSetQuery(t.field(), t.values().stream().map(BytesRef::new).toList());
      case QueryNode.Prefix p -> new PrefixQuery(new Term(p.field(), p.prefix()));
      case QueryNode.Contains c -> new WildcardQuery(new Term(c.field(), c.wildcard()));
      case QueryNode.Range r -> LongField.newRangeQuery(r.field(), r.from(), r.to());
      case QueryNode.Text t -> text(t);
      case QueryNode.And a -> {
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        a.must().forEach(m -> b.add(toLucene(m), Occur.FILTER));
        if (a.must().isEmpty()) {
          b.add(new MatchAllDocsQuery(), Occur.FILTER);
        }
        a.not().forEach(m -> b.add(toLucene(m), Occur.MUST_NOT));
        yield b.build();
      }
      case QueryNode.Or o -> {
        BooleanQuery.Builder b = new BooleanQuery.Builder().setMinimumNumberShouldMatch(1);
        o.any().forEach(m -> b.add(toLucene(m), Occur.SHOULD));
        yield b.build();
      }
    };
  }

  private static Query text(QueryNode.Text t) {
    Set<String> words = TextWords.of(t.text());
    if (words.isEmpty()) {
      return new MatchAllDocsQuery();
    }
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    words.forEach(w -> b.add(new TermQuery(new Term(t.field(), w)), Occur.FILTER));
    return b.build();
  }
}
