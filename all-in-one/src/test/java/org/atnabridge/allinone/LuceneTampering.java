package org.atnabridge.allinone;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.store.FSDirectory;
import org.atnabridge.store.AuditStore;
import org.atnabridge.store.AuditStores;
import org.atnabridge.store.internal.IndexFields;
import org.hl7.fhir.r5.model.AuditEvent;

/**
 * Someone with access to a Lucene data dir tampering with the stored events while the store is
 * closed (as after a stop of {@code serve}): documents rewritten through the store, or deleted with
 * Lucene's own {@link IndexWriter}, behind the store's back.
 */
final class LuceneTampering {

  private LuceneTampering() {}

  /** Deletes the document of the event {@code id} with Lucene itself. */
  static void delete(Path index, String id) {
    try (FSDirectory d = FSDirectory.open(index);
        IndexWriter w = new IndexWriter(d, new IndexWriterConfig(new StandardAnalyzer()))) {
      w.deleteDocuments(new Term(IndexFields.ID, id));
      w.commit();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Replaces the stored events of these ids with these (altered) ones, chain fields as they are.
   */
  static void rewrite(Path index, List<AuditEvent> altered) {
    try (AuditStore store = AuditStores.lucene(index)) {
      store.writer().write(altered);
    }
  }
}
