package org.atnabridge.search;

import org.atnabridge.store.AuditStore;
import org.atnabridge.store.elasticsearch.ElasticsearchAuditStore;
import org.atnabridge.testing.ElasticsearchExtension;
import org.atnabridge.testing.ElasticsearchNode;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The FHIR search contract over a real Elasticsearch node; never skipped (the fixture fails
 * instead). The second server instance opens its own store client on the same index, as a second
 * process behind a load balancer would.
 */
@ExtendWith(ElasticsearchExtension.class)
class ElasticsearchFhirSearchIT extends AbstractFhirSearchIT {

  /** Unique per run: the node may outlive a run, and this suite expects an empty index. */
  private static final String INDEX = "fhir-search-it-" + Long.toHexString(System.nanoTime());

  private final ElasticsearchNode es;

  ElasticsearchFhirSearchIT(ElasticsearchNode es) {
    this.es = es;
  }

  @Override
  protected AuditStore newStore(String name) {
    return open(INDEX + "-" + name);
  }

  @Override
  protected AuditStore secondInstance(AuditStore first) {
    return open(INDEX + "-main");
  }

  private ElasticsearchAuditStore open(String index) {
    return ElasticsearchAuditStore.builder(es.url()).index(index).refreshImmediately(true).build();
  }
}
