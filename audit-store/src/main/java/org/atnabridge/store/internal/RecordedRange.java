package org.atnabridge.store.internal;

import java.time.Instant;
import org.atnabridge.store.AuditQuery;
import org.jspecify.annotations.Nullable;

/**
 * The query's period as an inclusive range of epoch millis, the resolution events are indexed
 * at. Sub-millisecond bounds are rounded so that [from, to) keeps its meaning: from rounds up, to
 * rounds down to the last millisecond before it.
 */
public record RecordedRange(long fromMillis, long toMillis) {

  /** Null when the query has no period bounds. */
  public static @Nullable RecordedRange of(AuditQuery q) {
    if (q.recordedFrom() == null && q.recordedTo() == null) {
      return null;
    }
    long from = q.recordedFrom() == null ? Long.MIN_VALUE : ceilMillis(q.recordedFrom());
    long to = q.recordedTo() == null ? Long.MAX_VALUE : exclusiveToInclusive(q.recordedTo());
    return new RecordedRange(from, to);
  }

  public boolean isEmpty() {
    return fromMillis > toMillis;
  }

  private static long ceilMillis(Instant i) {
    long ms = i.toEpochMilli();
    return i.getNano() % 1_000_000 == 0 ? ms : ms + 1;
  }

  private static long exclusiveToInclusive(Instant i) {
    long ms = i.toEpochMilli();
    return i.getNano() % 1_000_000 == 0 ? ms - 1 : ms;
  }
}
