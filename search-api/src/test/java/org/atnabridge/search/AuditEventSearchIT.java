package org.atnabridge.search;

import java.nio.file.Path;
import org.atnabridge.store.AuditStore;
import org.atnabridge.store.AuditStores;
import org.junit.jupiter.api.io.TempDir;

/**
 * The FHIR search contract over the embedded Lucene store (the name predates the contract; the feed
 * and self-audit ITs use its event helpers).
 */
class AuditEventSearchIT extends AbstractFhirSearchIT {

  @TempDir static Path indexDir;

  @Override
  protected AuditStore newStore(String name) {
    return AuditStores.lucene(indexDir.resolve(name));
  }

  /** A Lucene directory has one writer: a second server in the same process shares the store. */
  @Override
  protected AuditStore secondInstance(AuditStore first) {
    return first;
  }
}
