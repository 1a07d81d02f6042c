package org.atnabridge.schemas.chain;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r5.model.AuditEvent;

/**
 * Every stored event read once, by resource id and by chain position: the reads {@link
 * ChainVerifier} makes in a window ({@code lookup} and {@link ChainVerifier.Positions}) answered
 * from memory, for a caller that had to read everything to select a window by receipt time.
 */
public final class StoredChains {

  private final Map<String, AuditEvent> byId = new HashMap<>();
  private final Map<Integer, Map<Long, List<AuditEvent>>> byPosition = new HashMap<>();

  public StoredChains(Collection<AuditEvent> events) {
    for (AuditEvent e : events) {
      byId.put(e.getIdElement().getIdPart(), e);
      ChainLink link = ChainLink.from(e);
      if (link != null) {
        byPosition
            .computeIfAbsent(link.partition(), p -> new HashMap<>())
            .computeIfAbsent(link.seq(), s -> new ArrayList<>())
            .add(e);
      }
    }
  }

  public Optional<AuditEvent> byId(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  /** The events at these positions of the chain of {@code partition}. */
  public List<AuditEvent> at(int partition, List<Long> seqs) {
    Map<Long, List<AuditEvent>> chain = byPosition.getOrDefault(partition, Map.of());
    List<AuditEvent> out = new ArrayList<>();
    seqs.forEach(s -> out.addAll(chain.getOrDefault(s, List.of())));
    return out;
  }
}
