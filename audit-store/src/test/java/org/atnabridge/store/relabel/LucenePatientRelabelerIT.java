package org.atnabridge.store.relabel;

import java.nio.file.Path;
import org.atnabridge.kafka.embedded.EmbeddedKafkaBroker;
import org.atnabridge.store.AuditStore;
import org.atnabridge.store.AuditStores;
import org.atnabridge.testing.KafkaBrokerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(KafkaBrokerExtension.class)
class LucenePatientRelabelerIT extends PatientRelabelerContract {

  private final EmbeddedKafkaBroker kafka;
  private final AuditStore store;

  LucenePatientRelabelerIT(EmbeddedKafkaBroker kafka, @TempDir Path dir) {
    this.kafka = kafka;
    this.store = AuditStores.lucene(dir);
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
}
