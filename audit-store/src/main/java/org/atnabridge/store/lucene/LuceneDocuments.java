package org.atnabridge.store.lucene;

import static org.atnabridge.store.internal.IndexFields.ID;
import static org.atnabridge.store.internal.IndexFields.JSON;
import static org.atnabridge.store.internal.IndexFields.LAST_UPDATED;
import static org.atnabridge.store.internal.IndexFields.RECEIVED;
import static org.atnabridge.store.internal.IndexFields.RECORDED;
import static org.atnabridge.store.internal.IndexFields.TEXT;

import java.util.Map;
import java.util.Set;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KeywordField;
import org.apache.lucene.document.LongField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortedNumericSelector;
import org.apache.lucene.search.SortedSetSelector;
import org.atnabridge.store.SortOrder;
import org.atnabridge.store.internal.AuditEventDocument;
import org.atnabridge.store.internal.IndexFields;
import org.atnabridge.store.internal.Pages;

/**
 * The Lucene layout of a document: {@code id} (keyword, sorted), {@code recorded}, {@code
 * last_updated} and {@code received} (LongField: points and doc values), the keyword fields of
 * {@link IndexFields} (those with doc values as KeywordField, the rest as StringField), {@code
 * text} (StandardAnalyzer) and the JSON (stored only); and the sort over it.
 */
final class LuceneDocuments {

  private static final Map<String, Boolean> KEYWORD_FIELDS = IndexFields.keywordFields();

  private LuceneDocuments() {}

  static Document toLucene(AuditEventDocument d) {
    Document doc = new Document();
    doc.add(new KeywordField(ID, d.id(), Field.Store.NO));
    doc.add(new LongField(RECORDED, d.recordedMillis(), Field.Store.NO));
    doc.add(new LongField(LAST_UPDATED, d.lastUpdatedMillis(), Field.Store.NO));
    doc.add(new LongField(RECEIVED, d.receivedMillis(), Field.Store.NO));
    for (Map.Entry<String, Set<String>> e : d.keywords().entrySet()) {
      boolean dv = KEYWORD_FIELDS.getOrDefault(e.getKey(), false);
      for (String v : e.getValue()) {
        doc.add(
            dv
                ? new KeywordField(e.getKey(), v, Field.Store.NO)
                : new StringField(e.getKey(), v, Field.Store.NO));
      }
    }
    if (!d.text().isEmpty()) {
      doc.add(new TextField(TEXT, d.text(), Field.Store.NO));
    }
    doc.add(new StoredField(JSON, d.json()));
    return doc;
  }

  /** The order's sort, or its exact reverse (field and id tiebreak both flipped). */
  static Sort sort(SortOrder order, boolean reversed) {
    return new Sort(
        LongField.newSortField(
            Pages.sortField(order),
            Pages.descending(order, reversed),
            SortedNumericSelector.Type.MIN),
        KeywordField.newSortField(ID, reversed, SortedSetSelector.Type.MIN));
  }
}
