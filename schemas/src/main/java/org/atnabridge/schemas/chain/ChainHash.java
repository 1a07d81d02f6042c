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
 * encoded as compact FHIR R5 JSON by {@link Fhir#toJson} (HAPI FHIR's JSON encoding, byte for
 * byte: element order is the order of the StructureDefinition, repeating elements keep their
 * order). Producer and verifier both use that one encoder. Every other element,
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
    return Fhir.toJson(copy);
  }

  /** The hash of the event with the given chain fields (the event's own chain extension is ignored). */
  public static String compute(AuditEvent event, int partition, long seq, String prev, @Nullable String prevId,
      @Nullable Long replacesSeq, @Nullable String replacesHash) {
    return digest(VERSION + "\n" + partition + "\n" + seq + "\n" + prev + "\n" + nz(prevId) + "\n"
        + (replacesSeq == null ? "" : replacesSeq.toString()) + "\n" + nz(replacesHash) + "\n" + canonicalJson(event));
  }

  /**
   * Chains the event and encodes it in one go: sets the chain extension (with {@code hash}) on
   * the event and returns its hash with the event's JSON, which is exactly what {@link
   * org.atnabridge.schemas.AuditEventSerde} would write. Equal to {@link #compute} followed by
   * {@link ChainLink#applyTo} and encoding, but encodes the event once instead of twice (copy +
   * canonical encode + output encode): the canonical form is cut out of the output JSON, which is
   * valid because HAPI encodes each element independently of its siblings. Falls back to the
   * two-encode path when the event has what the canonical form strips (meta.versionId,
   * lastUpdated, source, narrative) or other chain extensions.
   */
  public static Chained chainAndEncode(AuditEvent event, int partition, long seq, String prev, @Nullable String prevId,
      @Nullable Long replacesSeq, @Nullable String replacesHash) {
    ChainLink.remove(event);
    boolean plain = !event.hasText() && !(event.hasMeta() && (event.getMeta().hasVersionId()
        || event.getMeta().hasLastUpdated() || event.getMeta().hasSource()));
    if (plain) {
      new ChainLink(partition, seq, prev, PLACEHOLDER, prevId, replacesSeq, replacesHash).applyTo(event);
      String json = Fhir.toJson(event);
      String canonical = cutChain(json);
      if (canonical != null) {
        String hash = digest(VERSION + "\n" + partition + "\n" + seq + "\n" + prev + "\n" + nz(prevId) + "\n"
            + (replacesSeq == null ? "" : replacesSeq.toString()) + "\n" + nz(replacesHash) + "\n" + canonical);
        new ChainLink(partition, seq, prev, hash, prevId, replacesSeq, replacesHash).applyTo(event);
        int at = json.indexOf(PLACEHOLDER);
        return new Chained(hash, (json.substring(0, at) + hash + json.substring(at + PLACEHOLDER.length()))
            .getBytes(StandardCharsets.UTF_8));
      }
      ChainLink.remove(event);
    }
    String hash = compute(event, partition, seq, prev, prevId, replacesSeq, replacesHash);
    new ChainLink(partition, seq, prev, hash, prevId, replacesSeq, replacesHash).applyTo(event);
    return new Chained(hash, Fhir.toJson(event).getBytes(StandardCharsets.UTF_8));
  }

  /** A chained event: its hash and its JSON (with the chain extension). */
  public record Chained(String hash, byte[] json) {}

  private static final String PLACEHOLDER = "~".repeat(64);
  private static final String CHAIN_OBJECT = "{\"url\":\"" + ChainLink.URL + "\"";
  private static final String EXTENSION_ARRAY = "\"extension\":[";

  /** The JSON without the (last, top-level) chain extension object, or null when it is not where expected. */
  private static @Nullable String cutChain(String json) {
    int start = json.indexOf(CHAIN_OBJECT);
    if (start < 1 || json.indexOf(CHAIN_OBJECT, start + 1) >= 0) {
      return null;
    }
    int depth = 0;
    int end = -1;
    for (int i = start; i < json.length(); i++) {
      char c = json.charAt(i);
      if (c == '{') {
        depth++;
      } else if (c == '}' && --depth == 0) {
        end = i + 1;
        break;
      }
    }
    if (end < 0 || end >= json.length() || json.charAt(end) != ']') {
      return null; // not the last extension
    }
    if (json.charAt(start - 1) == ',') {
      return json.substring(0, start - 1) + json.substring(end);
    }
    int arrayStart = start - EXTENSION_ARRAY.length();
    if (arrayStart > 0 && json.startsWith(EXTENSION_ARRAY, arrayStart) && json.charAt(arrayStart - 1) == ','
        && end + 1 < json.length() && json.charAt(end + 1) == ',') {
      return json.substring(0, arrayStart) + json.substring(end + 2);
    }
    return null;
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
