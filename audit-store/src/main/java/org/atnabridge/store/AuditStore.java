package org.atnabridge.store;

import java.time.Instant;

/**
 * A storage engine for AuditEvents. Thread-safe. Construction does no I/O beyond what the engine
 * documents; {@link #close()} releases files, sockets and threads.
 */
public interface AuditStore extends AutoCloseable {

  AuditEventWriter writer();

  AuditEventSearch search();

  /** Cheap health probe; never throws. */
  StoreHealth check();

  /**
   * Deletes events that the policy says are expired at {@code now}, never those on legal hold.
   *
   * @return how many events (Lucene) or whole monthly indices' events (Elasticsearch) were deleted
   */
  long applyRetention(RetentionPolicy policy, Instant now);

  @Override
  void close();
}
