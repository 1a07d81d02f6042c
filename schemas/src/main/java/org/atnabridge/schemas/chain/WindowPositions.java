package org.atnabridge.schemas.chain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.atnabridge.schemas.chain.ChainVerifier.Positions;
import org.hl7.fhir.r5.model.AuditEvent;

/**
 * Completes a window: per chain the window is every position from its first to its last selected
 * event, so the positions the selection left out are read by sequence number, and a missing
 * predecessor by its {@code prev-id} (it may have been received outside the window).
 */
final class WindowPositions {

  private WindowPositions() {}

  /** Adds the events read to {@code bySeq}; returns how many it fetched. */
  static long complete(
      int partition,
      TreeMap<Long, List<ChainEntry>> bySeq,
      Map<Long, String> replaced,
      Function<String, Optional<AuditEvent>> lookup,
      Positions positions,
      List<ChainFinding> findings) {
    long fetched = 0;
    if (!bySeq.isEmpty()) {
      // the window is every position from its first to its last event: read the ones not selected
      List<Long> unselected = new ArrayList<>();
      for (long s = bySeq.firstKey(); s < bySeq.lastKey(); s++) {
        if (!bySeq.containsKey(s) && !replaced.containsKey(s)) {
          unselected.add(s);
        }
      }
      for (int i = 0; i < unselected.size(); i += 1000) {
        for (AuditEvent e :
            positions.at(partition, unselected.subList(i, Math.min(unselected.size(), i + 1000)))) {
          ChainEntry p = ChainEntry.of(e, findings);
          fetched++;
          if (p != null && p.link().partition() == partition) {
            bySeq.computeIfAbsent(p.link().seq(), s -> new ArrayList<>()).add(p);
          }
        }
      }
    }
    // a missing predecessor may only have been received outside the window
    for (Map.Entry<Long, List<ChainEntry>> atSeq : new ArrayList<>(bySeq.entrySet())) {
      ChainEntry first = atSeq.getValue().get(0);
      long prevSeq = atSeq.getKey() - 1;
      String prevId = first.link().prevId();
      if (prevSeq >= 1
          && !bySeq.containsKey(prevSeq)
          && !replaced.containsKey(prevSeq)
          && prevId != null) {
        Optional<AuditEvent> prev = lookup.apply(prevId);
        if (prev.isPresent()) {
          fetched++;
          ChainEntry p = ChainEntry.of(prev.get(), findings);
          if (p != null && p.link().partition() == partition && p.link().seq() == prevSeq) {
            bySeq.computeIfAbsent(prevSeq, s -> new ArrayList<>()).add(p);
          }
        }
      }
    }
    return fetched;
  }
}
