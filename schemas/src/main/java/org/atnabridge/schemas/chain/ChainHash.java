package org.atnabridge.schemas.chain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.schemas.vocab.Extensions;
import org.hl7.fhir.r5.model.AuditEvent;
import org.jspecify.annotations.Nullable;

/**
 * The hash of a chained AuditEvent: lowercase hex SHA-256 (FIPS 180-4) over the UTF-8 bytes of
 *
 * <pre>
 * "atna-bridge-chain-v1" LF partition LF seq LF prev LF prev-id LF replaces-seq LF replaces-hash LF canonical
 * </pre>
 *
 * where numbers are decimal, absent optional fields are empty strings, and {@code canonical} is the
 * <b>canonical form</b> of the event: a copy of it with
 *
 * <ol>
 *   <li>the chain extension ({@link org.atnabridge.schemas.vocab.Extensions#CHAIN}) removed,
 *   <li>{@code id} reduced to its bare id part (no base URL, type or version),
 *   <li>{@code meta.versionId}, {@code meta.lastUpdated} and {@code meta.source} removed (a server
 *       or store may set them), and {@code meta} removed when that leaves it empty,
 *   <li>{@code text} (narrative) removed,
 * </ol>
 *
 * encoded as compact FHIR R5 JSON by {@link Fhir#toJson} (HAPI FHIR's JSON encoding, byte for byte:
 * element order is the order of the StructureDefinition, repeating elements keep their order).
 * Producer and verifier both use that one encoder. Every other element, including {@code
 * meta.security} labels and the enrichment, is covered.
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

  /**
   * The hash of the event with the given chain fields (the event's own chain extension is ignored).
   */
  public static String compute(
      AuditEvent event,
      int partition,
      long seq,
      String prev,
      @Nullable String prevId,
      @Nullable Long replacesSeq,
      @Nullable String replacesHash) {
    return digest(
        prefix(partition, seq, prev, prevId, replacesSeq, replacesHash) + canonicalJson(event));
  }

  /**
   * Chains the event and encodes it in one go: sets the chain extension (with {@code hash}) on the
   * event and returns its hash with the event's JSON, which is exactly what {@link
   * org.atnabridge.schemas.AuditEventSerde} would write. Equal to {@link #compute} followed by
   * {@link ChainLink#applyTo} and encoding, but encodes the event once instead of twice (copy +
   * canonical encode + output encode): the canonical form is cut out of the output JSON, which is
   * valid because HAPI encodes each element independently of its siblings. Falls back to the
   * two-encode path when the event has what the canonical form strips (meta.versionId, lastUpdated,
   * source, narrative) or other chain extensions.
   */
  public static Chained chainAndEncode(
      AuditEvent event,
      int partition,
      long seq,
      String prev,
      @Nullable String prevId,
      @Nullable Long replacesSeq,
      @Nullable String replacesHash) {
    ChainLink.remove(event);
    boolean plain =
        !event.hasText()
            && !(event.hasMeta()
                && (event.getMeta().hasVersionId()
                    || event.getMeta().hasLastUpdated()
                    || event.getMeta().hasSource()));
    if (plain) {
      new ChainLink(partition, seq, prev, PLACEHOLDER, prevId, replacesSeq, replacesHash)
          .applyTo(event);
      byte[] json = Fhir.toJsonBytes(event);
      long cut = chainObject(json);
      if (cut >= 0) {
        // the canonical form is the JSON without [from, to): hash the two pieces where they lie
        int from = (int) (cut >>> 32);
        int to = (int) cut;
        MessageDigest sha = sha256();
        sha.update(
            prefix(partition, seq, prev, prevId, replacesSeq, replacesHash)
                .getBytes(StandardCharsets.UTF_8));
        sha.update(json, 0, from);
        sha.update(json, to, json.length - to);
        String hash = HexFormat.of().formatHex(sha.digest());
        new ChainLink(partition, seq, prev, hash, prevId, replacesSeq, replacesHash).applyTo(event);
        // the placeholder and the hash are both 64 ASCII characters: the output is patched in place
        int at = indexOf(json, PLACEHOLDER_BYTES, from, to);
        System.arraycopy(
            hash.getBytes(StandardCharsets.US_ASCII), 0, json, at, PLACEHOLDER_BYTES.length);
        return new Chained(hash, json);
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
  private static final byte[] PLACEHOLDER_BYTES = PLACEHOLDER.getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CHAIN_OBJECT =
      ("{\"url\":\"" + Extensions.CHAIN + "\"").getBytes(StandardCharsets.US_ASCII);
  private static final byte[] EXTENSION_ARRAY =
      "\"extension\":[".getBytes(StandardCharsets.US_ASCII);

  /**
   * Where the (last, top-level) chain extension object lies in the UTF-8 JSON, with the comma or
   * the whole one-element extension array around it: {@code from << 32 | to}, the range the
   * canonical form leaves out; -1 when it is not where expected. Only ASCII delimiters are looked
   * at, and UTF-8 never encodes other characters with ASCII bytes.
   */
  private static long chainObject(byte[] json) {
    int start = indexOf(json, CHAIN_OBJECT, 0, json.length);
    if (start < 1 || indexOf(json, CHAIN_OBJECT, start + 1, json.length) >= 0) {
      return -1;
    }
    int depth = 0;
    int end = -1;
    for (int i = start; i < json.length; i++) {
      byte c = json[i];
      if (c == '{') {
        depth++;
      } else if (c == '}' && --depth == 0) {
        end = i + 1;
        break;
      }
    }
    if (end < 0 || end >= json.length || json[end] != ']') {
      return -1; // not the last extension
    }
    if (json[start - 1] == ',') {
      return (long) (start - 1) << 32 | end;
    }
    int arrayStart = start - EXTENSION_ARRAY.length;
    if (arrayStart > 0
        && indexOf(json, EXTENSION_ARRAY, arrayStart, start) == arrayStart
        && json[arrayStart - 1] == ','
        && end + 1 < json.length
        && json[end + 1] == ',') {
      return (long) arrayStart << 32 | (end + 2);
    }
    return -1;
  }

  /** First index of {@code what} (at least 3 bytes) in {@code b[from, to)}, or -1. */
  private static int indexOf(byte[] b, byte[] what, int from, int to) {
    byte first = what[0];
    byte second = what[1];
    byte third = what[2];
    for (int i = from, last = to - what.length; i <= last; i++) {
      // the first bytes ('{', '"', '~') are common in JSON: test three inline before a full compare
      if (b[i] == first
          && b[i + 1] == second
          && b[i + 2] == third
          && java.util.Arrays.equals(b, i, i + what.length, what, 0, what.length)) {
        return i;
      }
    }
    return -1;
  }

  /** Recomputes the hash from the event's chain extension (ignoring its {@code hash} field). */
  public static String recompute(AuditEvent event, ChainLink link) {
    return compute(
        event,
        link.partition(),
        link.seq(),
        link.prev(),
        link.prevId(),
        link.replacesSeq(),
        link.replacesHash());
  }

  /**
   * The hashed text up to the canonical form: the version line and the chain fields, each ending in
   * LF.
   */
  private static String prefix(
      int partition,
      long seq,
      String prev,
      @Nullable String prevId,
      @Nullable Long replacesSeq,
      @Nullable String replacesHash) {
    return VERSION
        + "\n"
        + partition
        + "\n"
        + seq
        + "\n"
        + prev
        + "\n"
        + nz(prevId)
        + "\n"
        + (replacesSeq == null ? "" : replacesSeq.toString())
        + "\n"
        + nz(replacesHash)
        + "\n";
  }

  static String digest(String text) {
    return HexFormat.of().formatHex(sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JDK", e);
    }
  }

  private static String nz(@Nullable String s) {
    return s == null ? "" : s;
  }
}
