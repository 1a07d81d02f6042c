package org.atnabridge.store;

import java.nio.file.Path;
import org.atnabridge.store.elasticsearch.ElasticsearchAuditStore;
import org.atnabridge.store.lucene.LuceneAuditStore;

/** Factories for the engines; all-in-one chooses one from its configuration. */
public final class AuditStores {

  private AuditStores() {}

  /**
   * The embedded default: opens (or creates) the Lucene index in {@code dir} and locks it for this
   * process.
   *
   * @throws StoreException when the directory cannot be opened or is locked by another store
   */
  public static AuditStore lucene(Path dir) {
    return LuceneAuditStore.open(dir);
  }

  /**
   * Elasticsearch at {@code url} (e.g. {@code http://127.0.0.1:9200}), index {@value
   * ElasticsearchAuditStore#DEFAULT_INDEX}. No I/O until first use; see {@link
   * ElasticsearchAuditStore#builder(String)} for the index name and refresh policy.
   */
  public static AuditStore elasticsearch(String url) {
    return ElasticsearchAuditStore.builder(url).build();
  }
}
