package org.atnabridge.schemas.chain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.atnabridge.schemas.Fhir;
import org.hl7.fhir.r5.model.AuditEvent;
import org.jspecify.annotations.Nullable;

/**
 * The hash of a chained AuditEvent: lowercase hex SHA-256 (FIPS 180-4) over the UTF-8 bytes of
 *
 * <pre>
 * "atna-bridge-chain-v1" LF partition LF seq LF prev LF prev-id LF replaces-seq LF replaces-hash LF canonical
 * </pre>
 *
 * where numbers are decimal, absent optional fields are empty strings, and {@code canonical} is
 * the <b>canonical form</b> of the event: a copy of it with
 *
 * <ol>
 *   <li>the chain extension ({@link ChainLink#URL}) removed,
 *   <li>{@code id} reduced to its bare id part (no base URL, type or version),
 *   <li>{@code meta.versionId}, {@code meta.lastUpdated} and {@code meta.source} removed (a
 *       server or store may set them), and {@code meta} removed when that leaves it empty,
 *   <li>{@code text} (narrative) removed,
 * </ol>
 *
 * encoded by HAPI FHIR's JSON parser for R5 without pretty printing (element order is the
 * order of the StructureDefinition, repeating elements keep their order). Every other element,
 * including {@code meta.security} labels and the enrichment, is covered.
 */
public final class ChainHash {

  /** The previous hash of the first event of a chain: 64 zeros. */
  public static final String GENESIS = "0".repeat(64);

  private static final String VERSION = "atna-bridge-chain-v1";

  private ChainHash() {}

  /** The canonical form (see class javadoc) of the event; the event itself is not changed. */
  public static String canonicalJson(AuditEvent event) {
    AuditEvent copy = event.copy();
    ChainLink.remove(copy);
    if (event.getIdElement().hasIdPart()) {
      copy.setId(event.getIdElement().getIdPart());
    }
    if (copy.hasMeta()) {
      copy.getMeta().setVersionIdElement(null).setLastUpdatedElement(null).setSourceElement(null);
      if (copy.getMeta().isEmpty()) {
        copy.setMeta(null);
      }
    }
    copy.setText(null);
    return Fhir.jsonParser().encodeResourceToString(copy);
  }

  /** The hash of the event with the given chain fields (the event's own chain extension is ignored). */
  public static String compute(AuditEvent event, int partition, long seq, String prev, @Nullable String prevId,
      @Nullable Long replacesSeq, @Nullable String replacesHash) {
    return digest(VERSION + "\n" + partition + "\n" + seq + "\n" + prev + "\n" + nz(prevId) + "\n"
        + (replacesSeq == null ? "" : replacesSeq.toString()) + "\n" + nz(replacesHash) + "\n" + canonicalJson(event));
  }

  /** Recomputes the hash from the event's chain extension (ignoring its {@code hash} field). */
  public static String recompute(AuditEvent event, ChainLink link) {
    return compute(event, link.partition(), link.seq(), link.prev(), link.prevId(), link.replacesSeq(),
        link.replacesHash());
  }

  static String digest(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JDK", e);
    }
  }

  private static String nz(@Nullable String s) {
    return s == null ? "" : s;
  }
}
