package org.atnabridge.schemas.chain;

import java.util.Objects;
import org.atnabridge.schemas.vocab.Extensions;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Extension;
import org.hl7.fhir.r5.model.IntegerType;
import org.hl7.fhir.r5.model.StringType;
import org.jspecify.annotations.Nullable;

/**
 * The chain fields of one AuditEvent, stored as the complex extension {@value Extensions#CHAIN} on
 * the AuditEvent with these sub-extensions:
 *
 * <ul>
 *   <li>{@code partition} (valueInteger): the chain, = the {@code audit.enriched} partition;
 *   <li>{@code seq} (valueString, decimal): sequence number in the chain, from 1;
 *   <li>{@code prev} (valueString, 64 lowercase hex): hash of event {@code seq - 1}, or {@link
 *       ChainHash#GENESIS} for seq 1;
 *   <li>{@code hash} (valueString, 64 lowercase hex): this event's hash ({@link ChainHash});
 *   <li>{@code prev-id} (valueString, optional): resource id of event {@code seq - 1}, so that a
 *       verifier looking at a window can fetch a predecessor received outside it;
 *   <li>{@code replaces-seq}, {@code replaces-hash} (valueString, optional): set when an event with
 *       the same resource id was chained before (a resent or replayed record). The store keeps one
 *       document per id, so the earlier link disappears from it; this names that link's sequence
 *       number and hash so the verifier can still check the chain across it.
 * </ul>
 *
 * @param partition chain (partition) number, ≥ 0
 * @param seq sequence number, ≥ 1
 * @param prev previous hash (hex)
 * @param hash own hash (hex)
 * @param prevId resource id of the previous event, null for seq 1
 * @param replacesSeq seq of the earlier link with the same id, or null
 * @param replacesHash hash of that earlier link, or null
 */
public record ChainLink(
    int partition,
    long seq,
    String prev,
    String hash,
    @Nullable String prevId,
    @Nullable Long replacesSeq,
    @Nullable String replacesHash) {

  public ChainLink {
    Objects.requireNonNull(prev, "prev");
    Objects.requireNonNull(hash, "hash");
    if (partition < 0) {
      throw new IllegalArgumentException("partition < 0");
    }
    if (seq < 1) {
      throw new IllegalArgumentException("seq < 1");
    }
    if ((replacesSeq == null) != (replacesHash == null)) {
      throw new IllegalArgumentException("replacesSeq and replacesHash go together");
    }
  }

  /** Sets (replaces) the chain extension on the event. */
  public void applyTo(AuditEvent event) {
    remove(event);
    Extension ext = event.addExtension().setUrl(Extensions.CHAIN);
    ext.addExtension("partition", new IntegerType(partition));
    ext.addExtension("seq", new StringType(Long.toString(seq)));
    ext.addExtension("prev", new StringType(prev));
    ext.addExtension("hash", new StringType(hash));
    if (prevId != null) {
      ext.addExtension("prev-id", new StringType(prevId));
    }
    if (replacesSeq != null) {
      ext.addExtension("replaces-seq", new StringType(Long.toString(replacesSeq)));
      ext.addExtension("replaces-hash", new StringType(replacesHash));
    }
  }

  /** Removes every chain extension from the event. */
  public static void remove(AuditEvent event) {
    event.getExtension().removeIf(e -> Extensions.CHAIN.equals(e.getUrl()));
  }

  /** The chain fields of the event, or null when it has none or they are malformed. */
  public static @Nullable ChainLink from(AuditEvent event) {
    Extension ext = event.getExtensionByUrl(Extensions.CHAIN);
    if (ext == null) {
      return null;
    }
    try {
      String replacesSeq = ext.getExtensionString("replaces-seq");
      return new ChainLink(
          Integer.parseInt(ext.getExtensionString("partition")),
          Long.parseLong(ext.getExtensionString("seq")),
          Objects.requireNonNull(ext.getExtensionString("prev")),
          Objects.requireNonNull(ext.getExtensionString("hash")),
          ext.getExtensionString("prev-id"),
          replacesSeq == null ? null : Long.parseLong(replacesSeq),
          ext.getExtensionString("replaces-hash"));
    } catch (RuntimeException e) {
      return null;
    }
  }
}
