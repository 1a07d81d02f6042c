package org.atnabridge.schemas.chain;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The part of one chain that is chained (in {@code audit.enriched}) but not yet durably indexed:
 * the records past the indexer's committed position. A store answers only for what it has indexed,
 * so {@link ChainVerifier} checks a chain for gaps up to {@code indexedThrough} and reports the
 * rest as pending, not missing.
 *
 * @param partition the chain
 * @param indexedThrough the sequence number up to which every event has been indexed (the first
 *     pending one minus 1); with nothing pending every chained number is indexed, whatever this
 *     says
 * @param count chained events not yet indexed
 * @param lastSeq the highest pending sequence number (= {@code indexedThrough} when nothing is
 *     pending)
 * @param oldestReceipt when the repository received the oldest pending event, or null when none is
 *     pending
 */
public record PendingTail(
    int partition, long indexedThrough, long count, long lastSeq, @Nullable Instant oldestReceipt) {

  public PendingTail {
    if (count < 0 || indexedThrough < 0 || lastSeq < indexedThrough) {
      throw new IllegalArgumentException(
          "pending tail out of order: " + indexedThrough + ", " + count + ", " + lastSeq);
    }
  }

  /** Nothing pending in the chain: every chained event is indexed. */
  public static PendingTail none(int partition, long lastSeq) {
    return new PendingTail(partition, lastSeq, 0, lastSeq, null);
  }
}
