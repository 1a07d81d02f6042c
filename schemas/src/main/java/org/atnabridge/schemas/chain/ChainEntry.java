package org.atnabridge.schemas.chain;

import java.util.List;
import org.atnabridge.schemas.chain.ChainFinding.Kind;
import org.hl7.fhir.r5.model.AuditEvent;
import org.jspecify.annotations.Nullable;

/**
 * A stored event as the verifier keeps it: its resource id and chain fields only, never the
 * resource, so a check of N events holds N small entries (the content is hashed when the entry is
 * made).
 */
record ChainEntry(String id, ChainLink link) {

  /**
   * The event's entry; null (and {@code UNCHAINED}) without chain fields, {@code ALTERED} noted
   * when its recomputed hash differs from its {@code hash}.
   */
  static @Nullable ChainEntry of(AuditEvent e, List<ChainFinding> findings) {
    ChainLink link = ChainLink.from(e);
    String id = e.getIdElement().getIdPart();
    if (link == null) {
      findings.add(
          new ChainFinding(Kind.UNCHAINED, -1, 0, 0, id, "stored event without chain fields"));
      return null;
    }
    if (!ChainHash.recompute(e, link).equals(link.hash())) {
      findings.add(
          new ChainFinding(
              Kind.ALTERED,
              link.partition(),
              link.seq(),
              link.seq(),
              id,
              "content does not match its hash"));
    }
    return new ChainEntry(id, link);
  }
}
