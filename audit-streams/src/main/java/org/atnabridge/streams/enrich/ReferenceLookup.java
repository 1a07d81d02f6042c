package org.atnabridge.streams.enrich;

import org.hl7.fhir.r5.model.Resource;
import org.jspecify.annotations.Nullable;

/**
 * Read access to the reference data as known right now (the GlobalKTables in the topology, a map in
 * tests). Unknown keys return null: the event is then enriched with what is known.
 */
public interface ReferenceLookup {

  @Nullable Resource person(String userId);

  @Nullable Resource patient(String key);

  @Nullable Resource node(String key);

  /** Knows nothing. */
  static ReferenceLookup empty() {
    return new ReferenceLookup() {
      @Override
      public @Nullable Resource person(String userId) {
        return null;
      }

      @Override
      public @Nullable Resource patient(String key) {
        return null;
      }

      @Override
      public @Nullable Resource node(String key) {
        return null;
      }
    };
  }
}
