package org.atnabridge.schemas.chain;

import org.jspecify.annotations.Nullable;

/**
 * One problem found by {@link ChainVerifier}, naming the exact sequence numbers.
 *
 * @param kind what is wrong
 * @param partition the chain
 * @param fromSeq first sequence number concerned
 * @param toSeq last sequence number concerned (= fromSeq for one event)
 * @param id the resource id of the event concerned, when there is one
 * @param detail a human-readable explanation
 */
public record ChainFinding(
    Kind kind, int partition, long fromSeq, long toSeq, @Nullable String id, String detail) {

  /** The kinds of problem, each with the trigger that reports it. */
  public enum Kind {
    /**
     * Sequence numbers with no stored event although the indexer has indexed past them (deleted, or
     * refused by the store); numbers past the indexer's committed position are pending instead.
     */
    GAP,
    /** The event's content no longer matches its own hash (altered after chaining). */
    ALTERED,
    /** The event links to an event other than its predecessor (moved in the chain). */
    REORDERED,
    /**
     * The event's previous hash matches no stored event (its predecessor was altered along with its
     * hash).
     */
    BROKEN_LINK,
    /** Two different stored events claim the same sequence number. */
    DUPLICATE_SEQ,
    /** A stored event without (valid) chain fields. */
    UNCHAINED,
    /**
     * A checkpoint with the trusted key's id whose Ed25519 signature does not verify (or an
     * unreadable one).
     */
    BAD_SIGNATURE,
    /**
     * A checkpoint signed by another instance's key (its key id is not the trusted key's): the
     * checkpoints read belong to another repository, or the trusted key does; not evidence of
     * tampering by itself, but nothing it states is trusted.
     */
    OTHER_KEY,
    /** Chained events that are still not indexed longer than the bound after they were received. */
    PENDING_OVERDUE,
    /**
     * A validly signed checkpoint whose hash differs from the stored event at its sequence number.
     */
    CHECKPOINT_MISMATCH
  }

  /** One line, e.g. {@code GAP partition 0 seq 17..18: no stored event}. */
  @Override
  public String toString() {
    return kind
        + " partition "
        + partition
        + " seq "
        + (fromSeq == toSeq ? Long.toString(fromSeq) : fromSeq + ".." + toSeq)
        + (id == null ? "" : " id " + id)
        + ": "
        + detail;
  }
}
