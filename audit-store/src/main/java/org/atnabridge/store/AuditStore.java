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

  /**
   * Re-indexes the stored events matching {@code query} (at most {@link AuditQuery#limit()} of
   * them, in no promised order) with the index-side labels {@code raised} gives the patients they
   * name; the stored JSON stays byte for byte what was chained. Makes earlier writes visible first,
   * so an event indexed before this call is seen. A caller that repeats a query which excludes the
   * labels already carried (e.g. {@code _security:not}) until it returns 0 walks a patient's events
   * in bounded batches; calling it again changes nothing.
   *
   * @return how many events were re-indexed with at least one label they did not carry
   * @throws StoreException when the engine is unavailable
   */
  default int raiseLabels(AuditQuery query, RaisedLabels raised) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot raise labels");
  }

  @Override
  void close();
}
