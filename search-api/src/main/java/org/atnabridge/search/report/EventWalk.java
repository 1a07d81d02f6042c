package org.atnabridge.search.report;

import java.util.function.Consumer;
import org.atnabridge.store.AuditEventSearch;
import org.atnabridge.store.AuditPage;
import org.atnabridge.store.AuditQuery;
import org.hl7.fhir.r5.model.AuditEvent;
import org.jspecify.annotations.Nullable;

/**
 * The events of a report, walked page by page through the store's cursor (newest first) and handed
 * one at a time to a fold, so a report holds what it folds, never the events. A walk stops after
 * {@code maxEvents} events and then says it is incomplete; {@link #all} never stops early (the CSV
 * exports, which write as they walk).
 *
 * @param counted events handed to the fold
 * @param matching events the query matches (the store's exact total)
 */
record EventWalk(long counted, long matching) {

  /** How many events one report reads at most. */
  static final int DEFAULT_MAX_EVENTS = 100_000;

  boolean complete() {
    return counted >= matching;
  }

  /** Every matching event, however many: for folds that hold nothing per event. */
  static EventWalk all(
      AuditEventSearch search, AuditQuery.Builder query, Consumer<AuditEvent> fold) {
    return run(search, query, Long.MAX_VALUE, fold);
  }

  static EventWalk run(
      AuditEventSearch search,
      AuditQuery.Builder query,
      long maxEvents,
      Consumer<AuditEvent> fold) {
    long counted = 0;
    long matching = 0;
    @Nullable String cursor = null;
    do {
      int limit = (int) Math.min(AuditQuery.MAX_LIMIT, maxEvents - counted);
      AuditPage page = search.search(query.limit(limit).cursor(cursor).build());
      matching = page.total();
      for (AuditEvent event : page.events()) {
        fold.accept(event);
        counted++;
      }
      cursor = page.events().isEmpty() ? null : page.nextCursor();
    } while (cursor != null && counted < maxEvents);
    return new EventWalk(counted, matching);
  }
}
