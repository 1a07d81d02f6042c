package org.atnabridge.search.report;

import java.nio.file.Path;
import org.atnabridge.store.AuditStore;
import org.atnabridge.store.elasticsearch.ElasticsearchAuditStore;
import org.atnabridge.testing.ElasticsearchExtension;
import org.atnabridge.testing.ElasticsearchNode;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The reports over a real Elasticsearch node (terms and date-histogram aggregations, cursor walk
 * across monthly indices); never skipped (the fixture fails instead).
 */
@ExtendWith(ElasticsearchExtension.class)
class ReportsElasticsearchIT extends ReportsIT {

  /** Unique per run: the node may outlive a run, and these tests expect an empty index. */
  private static final String INDEX = "reports-it-" + Long.toHexString(System.nanoTime());

  private final ElasticsearchNode es;

  ReportsElasticsearchIT(ElasticsearchNode es) {
    this.es = es;
  }

  @Override
  protected AuditStore newStore(Path ignored) {
    return ElasticsearchAuditStore.builder(es.url()).index(INDEX).refreshImmediately(true).build();
  }
}
