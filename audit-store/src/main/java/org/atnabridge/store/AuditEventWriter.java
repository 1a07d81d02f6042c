package org.atnabridge.store;

import java.util.List;
import org.hl7.fhir.r5.model.AuditEvent;

/**
 * The write side of a store. Two steps, so that engines can batch their expensive durability
 * work: {@link #index} stores events (visible to searches within the engine's refresh interval,
 * at most 1 s), {@link #flush()} makes everything indexed so far durable. The indexer commits
 * Kafka offsets only after a flush, which is what makes a crash lose and duplicate nothing.
 */
public interface AuditEventWriter {

  /**
   * Stores the events, each under its resource id ({@code AuditEvent.id}, which must be set):
   * writing an id again replaces the earlier document, so redelivery never duplicates. Events the
   * engine can never take are returned as rejections, not thrown.
   *
   * @throws IllegalArgumentException when an event has no id or no {@code recorded}
   * @throws StoreException when the engine is unavailable; nothing of the batch may be assumed
   *     stored then
   */
  WriteResult index(List<AuditEvent> events);

  /**
   * Makes every event indexed before the call durable (Lucene: commit with fsync; Elasticsearch:
   * a no-op, a bulk is acknowledged after its translog fsync).
   *
   * @throws StoreException when that failed; then nothing since the last flush is durable
   */
  void flush();

  /**
   * {@link #index} then {@link #flush()}: when this returns the events are durable and visible
   * to searches made afterwards by this process (Lucene) or within the refresh interval.
   *
   * @throws StoreException when the batch could not be stored or an event was rejected
   */
  default void write(List<AuditEvent> events) {
    WriteResult r = index(events);
    if (!r.rejected().isEmpty()) {
      WriteResult.Rejection first = r.rejected().get(0);
      throw new StoreException("store rejected " + r.rejected().size() + " of " + events.size() + " events, e.g. "
          + first.id() + ": " + first.reason() + " " + first.detail());
    }
    flush();
  }
}
