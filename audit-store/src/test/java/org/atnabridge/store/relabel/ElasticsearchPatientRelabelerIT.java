package org.atnabridge.store.relabel;

import org.atnabridge.kafka.embedded.EmbeddedKafkaBroker;
import org.atnabridge.store.AuditStore;
import org.atnabridge.store.elasticsearch.ElasticsearchAuditStore;
import org.atnabridge.testing.ElasticsearchExtension;
import org.atnabridge.testing.ElasticsearchNode;
import org.atnabridge.testing.KafkaBrokerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Against a real Elasticsearch node and a real broker; never skipped (the fixtures fail instead).
 */
@ExtendWith({KafkaBrokerExtension.class, ElasticsearchExtension.class})
class ElasticsearchPatientRelabelerIT extends PatientRelabelerContract {

  private final EmbeddedKafkaBroker kafka;
  private final ElasticsearchAuditStore store;

  ElasticsearchPatientRelabelerIT(EmbeddedKafkaBroker kafka, ElasticsearchNode es) {
    this.kafka = kafka;
    // the serve setting: bulks do not wait for a refresh, so the relabel must refresh itself
    this.store =
        ElasticsearchAuditStore.builder(es.url())
            .index("audit-events-relabel")
            .waitForRefresh(false)
            .build();
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Override
  protected AuditStore store() {
    return store;
  }

  @Override
  protected EmbeddedKafkaBroker kafka() {
    return kafka;
  }

  @Override
  protected void refresh() {
    store.refresh();
  }
}
