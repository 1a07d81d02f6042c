package org.atnabridge.streams.chain;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import org.atnabridge.schemas.Fhir;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.InstantType;
import org.jspecify.annotations.Nullable;

/**
 * {@code meta.lastUpdated} of a chained event: the time the repository took it into its record, as
 * FHIR defines {@code Resource.meta.lastUpdated} for a server ("when the resource last changed" on
 * this server), whatever the sender wrote in {@code recorded}. It is set at the chain step because
 * that is where an event enters the repository's record, converted and posted events alike: what
 * the chain step writes is what the stores index and what reads return, so the value is the same in
 * both engines and after a rebuild of an index (set at indexing it would change with every
 * reindex). The hash chain leaves {@code meta.lastUpdated} out of the hashed form ({@link
 * org.atnabridge.schemas.chain.ChainHash}), so setting it never changes a hash.
 *
 * <p>Most events reach the chain without {@code meta.lastUpdated} (converted ones always), and the
 * chain encodes them in one pass; {@link #stamp} adds the element to those bytes exactly where
 * HAPI's encoder puts it instead of encoding the event again, and falls back to encoding when the
 * bytes are not in the shape it knows.
 */
final class StoredTime {

  private static final byte[] RESOURCE_START =
      "{\"resourceType\":\"AuditEvent\",\"id\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] META = ",\"meta\":{".getBytes(StandardCharsets.US_ASCII);

  /** The meta children that HAPI writes after {@code lastUpdated} (R5 Meta element order). */
  private static final String[] AFTER_LAST_UPDATED = {
    "\"source\"", "\"_source\"", "\"profile\"", "\"_profile\"", "\"security\"", "\"tag\""
  };

  private static final DateTimeFormatter MILLIS_UTC =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private StoredTime() {}

  /** The instant as the element holds it: UTC, milliseconds ({@code 2026-12-06T14:21:26.123Z}). */
  static InstantType element(Instant at) {
    return new InstantType(MILLIS_UTC.format(at));
  }

  /**
   * Replaces the {@code meta.lastUpdated} an event already carries (a posted event: the API's time
   * of acceptance) with {@code at}, before the event is encoded; false when it has none.
   */
  static boolean replace(AuditEvent event, Instant at) {
    if (!event.getMeta().hasLastUpdated()) {
      return false;
    }
    event.getMeta().setLastUpdatedElement(element(at));
    return true;
  }

  /**
   * Sets {@code meta.lastUpdated} on an event that had none and returns its JSON: {@code json} (its
   * encoding without the element) with the element added in place, or a fresh encoding when the
   * bytes are not in the shape this knows.
   */
  static byte[] add(AuditEvent event, byte[] json, Instant at) {
    InstantType element = element(at);
    event.getMeta().setLastUpdatedElement(element);
    byte[] stamped = stamp(json, event.getIdElement().getIdPart(), element.getValueAsString());
    return stamped != null ? stamped : Fhir.toJsonBytes(event);
  }

  /**
   * {@code json} with {@code "lastUpdated":"<value>"} as the first child of {@code meta}, or null
   * when the JSON is not {@code {"resourceType":"AuditEvent","id":"<id>",...}} followed by a meta
   * whose first child comes after {@code lastUpdated}, or by no meta at all.
   */
  static byte @Nullable [] stamp(byte[] json, String id, String value) {
    byte[] start = concat(RESOURCE_START, (id + "\"").getBytes(StandardCharsets.UTF_8));
    if (json.length <= start.length
        || !Arrays.equals(json, 0, start.length, start, 0, start.length)
        || json[start.length] != ',') {
      return null;
    }
    int at = start.length;
    byte[] element = ("\"lastUpdated\":\"" + value + "\"").getBytes(StandardCharsets.US_ASCII);
    if (startsWith(json, at, META)) {
      int child = at + META.length;
      if (!Arrays.stream(AFTER_LAST_UPDATED)
          .anyMatch(k -> startsWith(json, child, k.getBytes(StandardCharsets.US_ASCII)))) {
        return null; // versionId, an element id or extension, or lastUpdated itself come first
      }
      return insert(json, child, concat(element, new byte[] {','}));
    }
    if (json[at + 1] != '"' || json[at + 2] == '_') {
      return null; // an extension of id (_id) would be written before meta
    }
    return insert(json, at, concat(META, concat(element, new byte[] {'}'})));
  }

  private static boolean startsWith(byte[] b, int at, byte[] what) {
    return b.length >= at + what.length
        && Arrays.equals(b, at, at + what.length, what, 0, what.length);
  }

  private static byte[] insert(byte[] b, int at, byte[] what) {
    byte[] out = new byte[b.length + what.length];
    System.arraycopy(b, 0, out, 0, at);
    System.arraycopy(what, 0, out, at, what.length);
    System.arraycopy(b, at, out, at + what.length, b.length - at);
    return out;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
