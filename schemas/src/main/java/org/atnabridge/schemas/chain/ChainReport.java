package org.atnabridge.schemas.chain;

import java.util.List;

/**
 * Result of {@link ChainVerifier#verify}.
 *
 * @param eventsChecked stored events examined (including predecessors fetched outside a window)
 * @param checkpointsChecked checkpoints examined
 * @param signaturesChecked false when no trusted public key was given (signatures then unchecked)
 * @param findings every problem, ordered by partition and sequence number; empty = intact
 */
public record ChainReport(long eventsChecked, long checkpointsChecked, boolean signaturesChecked,
    List<ChainFinding> findings) {

  public ChainReport {
    findings = List.copyOf(findings);
  }

  public boolean intact() {
    return findings.isEmpty();
  }
}
