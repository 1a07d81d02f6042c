package org.atnabridge.store.internal;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The keywords a {@link FieldExtractor} collected, handed to {@link AuditEventDocument} without a
 * copy: the extractor is dropped once the document exists, so no one else holds the map, and a copy
 * per event was a measurable part of the in-memory matching every alert rule runs.
 */
final class FrozenKeywords extends AbstractMap<String, Set<String>> {

  private final Map<String, Set<String>> map;

  /** {@code map} must not be changed by the caller afterwards. */
  FrozenKeywords(LinkedHashMap<String, Set<String>> map) {
    this.map = map;
  }

  @Override
  public @Nullable Set<String> get(@Nullable Object key) {
    return map.get(key);
  }

  @Override
  public Set<String> getOrDefault(@Nullable Object key, Set<String> defaultValue) {
    return map.getOrDefault(key, defaultValue);
  }

  @Override
  public boolean containsKey(@Nullable Object key) {
    return map.containsKey(key);
  }

  @Override
  public int size() {
    return map.size();
  }

  @Override
  public Set<Entry<String, Set<String>>> entrySet() {
    return Collections.unmodifiableMap(map).entrySet();
  }
}
