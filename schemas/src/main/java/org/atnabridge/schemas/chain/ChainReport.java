package org.atnabridge.schemas.chain;

import java.util.List;

/**
 * Result of {@link ChainVerifier#verify}.
 *
 * @param eventsChecked stored events examined (including predecessors fetched outside a window)
 * @param checkpointsChecked checkpoints examined
 * @param signaturesChecked false when no trusted public key was given (signatures then unchecked)
 * @param findings every problem, ordered by partition and sequence number; empty = intact
 * @param pending per chain, what is chained but not yet indexed (empty when the indexer's position
 *     was not asked, e.g. without Kafka)
 */
public record ChainReport(
    long eventsChecked,
    long checkpointsChecked,
    boolean signaturesChecked,
    List<ChainFinding> findings,
    List<PendingTail> pending) {

  public ChainReport {
    findings = List.copyOf(findings);
    pending = List.copyOf(pending);
  }

  public ChainReport(
      long eventsChecked,
      long checkpointsChecked,
      boolean signaturesChecked,
      List<ChainFinding> findings) {
    this(eventsChecked, checkpointsChecked, signaturesChecked, findings, List.of());
  }

  /** Chained events not yet indexed, over all chains. */
  public long pendingCount() {
    return pending.stream().mapToLong(PendingTail::count).sum();
  }

  /** When the oldest pending event was received, or null when nothing is pending. */
  public java.time.@org.jspecify.annotations.Nullable Instant oldestPendingReceipt() {
    return pending.stream()
        .map(PendingTail::oldestReceipt)
        .filter(java.util.Objects::nonNull)
        .min(java.util.Comparator.naturalOrder())
        .orElse(null);
  }

  public boolean intact() {
    return findings.isEmpty();
  }
}
