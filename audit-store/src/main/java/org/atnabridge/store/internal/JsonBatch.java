package org.atnabridge.store.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.atnabridge.store.WriteResult;
import org.jspecify.annotations.Nullable;

/**
 * A batch of FHIR JSON values on its way into an engine: each is extracted to its document ({@link
 * AuditEventJson}) and handed on with its position in the batch; one that is no indexable
 * AuditEvent becomes a {@link WriteResult#NOT_AUDIT_EVENT} rejection at that position, and the
 * rejections of all parts of a batch merge into one result in batch order.
 */
public final class JsonBatch {

  private JsonBatch() {}

  /** Where an engine takes one extracted document. */
  public interface DocumentSink {
    /**
     * @return the rejection of this document by the engine, or null when taken
     */
    WriteResult.@Nullable Rejection accept(int position, AuditEventDocument document)
        throws IOException;
  }

  /** Extracts {@code events[from, to)} into {@code sink}; returns the rejections, in order. */
  public static List<WriteResult.Rejection> extract(
      List<byte[]> events, int from, int to, DocumentSink sink) throws IOException {
    List<WriteResult.Rejection> rejected = new ArrayList<>(0);
    for (int i = from; i < to; i++) {
      AuditEventDocument d;
      try {
        d = AuditEventJson.document(events.get(i));
      } catch (IllegalArgumentException e) {
        rejected.add(
            new WriteResult.Rejection(
                i,
                "",
                WriteResult.NOT_AUDIT_EVENT,
                Objects.requireNonNullElse(e.getMessage(), "")));
        continue;
      }
      WriteResult.Rejection r = sink.accept(i, d);
      if (r != null) {
        rejected.add(r);
      }
    }
    return rejected;
  }

  /** The result of a batch of {@code size} events with these rejections (from any of its parts). */
  public static WriteResult result(int size, List<WriteResult.Rejection> rejected) {
    List<WriteResult.Rejection> sorted = new ArrayList<>(rejected);
    sorted.sort(Comparator.comparingInt(WriteResult.Rejection::index));
    return new WriteResult(size - sorted.size(), sorted);
  }
}
