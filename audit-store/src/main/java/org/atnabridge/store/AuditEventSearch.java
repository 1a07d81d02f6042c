package org.atnabridge.store;

import java.util.Optional;
import org.hl7.fhir.r5.model.AuditEvent;

/** The read side of a store. */
public interface AuditEventSearch {

  Optional<AuditEvent> read(String id);

  /**
   * Events matching every criterion of the query, newest {@code recorded} first, ties broken by id
   * ascending; at most {@link AuditQuery#limit()} of them, with a cursor to the next page.
   */
  AuditPage search(AuditQuery query);

  /**
   * What this view of the store shows, for sharing work between callers: two calls whose views are
   * equal see the same events (a store: always; a view restricted per caller: the caller's
   * restrictions).
   */
  default Object view() {
    return "all";
  }
}
