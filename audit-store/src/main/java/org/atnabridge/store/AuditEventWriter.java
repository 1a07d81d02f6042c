package org.atnabridge.store;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.store.internal.AuditEventDocument;
import org.hl7.fhir.r5.model.AuditEvent;

/**
 * The write side of a store. Two steps, so that engines can batch their expensive durability work:
 * {@link #index} stores events (visible to searches within the engine's refresh interval, at most 1
 * s), {@link #flush()} makes everything indexed so far durable. The indexer commits Kafka offsets
 * only after a flush, which is what makes a crash lose and duplicate nothing.
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
   * Stores events given as FHIR R5 JSON (UTF-8), e.g. the record values of {@code audit.enriched},
   * as {@link #index} does; the JSON is kept byte for byte and returned by reads and searches. This
   * is the indexer's path: the engines extract the index fields from the JSON in one pass, without
   * building and re-encoding HAPI's model. A value that is not an AuditEvent with id and {@code
   * recorded} is rejected with reason {@link WriteResult#NOT_AUDIT_EVENT}, not thrown.
   *
   * <p>This default parses with HAPI and calls {@link #index}: correct for any writer, fast for
   * none; the engines override it.
   *
   * @throws StoreException when the engine is unavailable; nothing of the batch may be assumed
   *     stored then
   */
  default WriteResult indexJson(List<byte[]> events) {
    List<AuditEvent> parsed = new ArrayList<>(events.size());
    List<Integer> positions = new ArrayList<>(events.size());
    List<WriteResult.Rejection> rejected = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      try {
        parsed.add(
            AuditEventDocument.requireIndexable(
                Fhir.auditEventFromJson(new String(events.get(i), StandardCharsets.UTF_8))));
        positions.add(i);
      } catch (RuntimeException e) { // class only: parser messages quote the content
        rejected.add(
            new WriteResult.Rejection(
                i, "", WriteResult.NOT_AUDIT_EVENT, e.getClass().getSimpleName()));
      }
    }
    WriteResult r = index(parsed);
    for (WriteResult.Rejection x : r.rejected()) {
      rejected.add(
          new WriteResult.Rejection(positions.get(x.index()), x.id(), x.reason(), x.detail()));
    }
    rejected.sort((a, b) -> Integer.compare(a.index(), b.index()));
    return new WriteResult(r.accepted(), rejected);
  }

  /**
   * {@link #indexJson(List)}, each event also carrying in the index the labels {@code raised} gives
   * the patients it names ({@link RaisedLabels}); the JSON is stored unchanged. The engines
   * implement it; this default supports {@link RaisedLabels#NONE} only.
   *
   * @throws StoreException when the engine is unavailable
   */
  default WriteResult indexJson(List<byte[]> events, RaisedLabels raised) {
    if (raised != RaisedLabels.NONE) {
      throw new UnsupportedOperationException(
          getClass().getSimpleName() + " does not index raised labels");
    }
    return indexJson(events);
  }

  /**
   * {@link #index} for a writer whose real path is {@link #indexJson}: encodes each event once
   * ({@link Fhir#toJsonBytes}, what audit-streams writes to {@code audit.enriched}) and stores the
   * JSON, so both methods index exactly the same documents.
   *
   * @throws IllegalArgumentException when an event has no id or no {@code recorded}
   */
  static WriteResult indexAsJson(AuditEventWriter writer, List<AuditEvent> events) {
    List<byte[]> json = new ArrayList<>(events.size());
    for (AuditEvent e : events) {
      json.add(Fhir.toJsonBytes(AuditEventDocument.requireIndexable(e)));
    }
    WriteResult r = writer.indexJson(json);
    if (!r.rejected().isEmpty()
        && WriteResult.NOT_AUDIT_EVENT.equals(r.rejected().get(0).reason())) {
      throw new IllegalArgumentException(r.rejected().get(0).detail());
    }
    return r;
  }

  /**
   * Makes every event indexed before the call durable (Lucene: commit with fsync; Elasticsearch: a
   * no-op, a bulk is acknowledged after its translog fsync).
   *
   * @throws StoreException when that failed; then nothing since the last flush is durable
   */
  void flush();

  /**
   * {@link #index} then {@link #flush()}: when this returns the events are durable and visible to
   * searches made afterwards by this process (Lucene) or within the refresh interval.
   *
   * @throws StoreException when the batch could not be stored or an event was rejected
   */
  default void write(List<AuditEvent> events) {
    WriteResult r = index(events);
    if (!r.rejected().isEmpty()) {
      WriteResult.Rejection first = r.rejected().get(0);
      throw new StoreException(
          "store rejected "
              + r.rejected().size()
              + " of "
              + events.size()
              + " events, e.g. "
              + first.id()
              + ": "
              + first.reason()
              + " "
              + first.detail());
    }
    flush();
  }
}
