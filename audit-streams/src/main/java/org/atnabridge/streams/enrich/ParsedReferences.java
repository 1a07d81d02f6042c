package org.atnabridge.streams.enrich;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.atnabridge.schemas.ResourceSerde;
import org.hl7.fhir.r5.model.Resource;
import org.jspecify.annotations.Nullable;

/**
 * One reference GlobalKTable read as parsed resources. The store holds the topic's bytes; each
 * distinct value is parsed once and reused while the store returns the same bytes for its key
 * (parsing on every lookup cost more than the rest of enrichment). An update arrives as new bytes,
 * so it is parsed on its first lookup; a value that is not a FHIR resource reads as absent. Used by
 * one stream thread: not thread-safe. The alert engine reads its own reference tables so.
 */
public final class ParsedReferences {

  /** Parsed values kept per store; least recently used ones are dropped beyond this. */
  static final int CAPACITY = 10_000;

  private record Parsed(byte[] raw, @Nullable Resource resource) {}

  private final KeyValueStore<String, Object> store;
  private final ResourceSerde serde = new ResourceSerde();
  private final Map<String, Parsed> parsed =
      new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Parsed> eldest) {
          return size() > CAPACITY;
        }
      };

  public ParsedReferences(KeyValueStore<String, Object> store) {
    this.store = store;
  }

  public @Nullable Resource get(String key) {
    Object v = store.get(key);
    if (v instanceof ValueAndTimestamp<?> vt) {
      v = vt.value();
    }
    if (!(v instanceof byte[] raw)) {
      parsed.remove(key);
      return null;
    }
    Parsed p = parsed.get(key);
    if (p == null || !Arrays.equals(p.raw(), raw)) {
      p = new Parsed(raw, parse(raw));
      parsed.put(key, p);
    }
    return p.resource();
  }

  private @Nullable Resource parse(byte[] raw) {
    try {
      return serde.deserializer().deserialize(null, raw);
    } catch (RuntimeException e) {
      return null;
    }
  }
}
