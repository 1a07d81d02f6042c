package org.atnabridge.store;

import java.util.List;
import org.hl7.fhir.r5.model.AuditEvent;
import org.jspecify.annotations.Nullable;

/**
 * One page of search results.
 *
 * @param events the events of this page, in the query's order
 * @param total how many events match the whole query
 * @param nextCursor opaque cursor for the next page, or null when this is the last page
 */
public record AuditPage(List<AuditEvent> events, long total, @Nullable String nextCursor) {
  public AuditPage {
    events = List.copyOf(events);
  }
}
