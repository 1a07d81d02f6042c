package org.atnabridge.store;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.atnabridge.store.internal.AuditEventDocument;
import org.atnabridge.store.internal.AuditEventJson;
import org.atnabridge.store.internal.DocumentMatcher;
import org.atnabridge.store.internal.QueryPlanner;
import org.hl7.fhir.r5.model.AuditEvent;

/**
 * An engine under test with the in-memory matcher beside it: it keeps what the engine stored (the
 * documents as both engines index them, with index-side labels raised and retention applied) and,
 * for every first-page search, checks that {@link AuditEventMatcher}'s evaluation selects exactly
 * the ids the engine finds for the whole query. So every parameter and modifier case of {@link
 * AuditStoreContract} also runs through the matcher, on each engine.
 */
final class MatcherCheckedStore implements AuditStore, AuditEventWriter, AuditEventSearch {

  private final AuditStore engine;
  private final Map<String, AuditEventDocument> stored = new LinkedHashMap<>();
  private int checked;

  MatcherCheckedStore(AuditStore engine) {
    this.engine = engine;
  }

  /** Forgets the stored documents: the engine was emptied behind this wrapper. */
  synchronized void forget() {
    stored.clear();
  }

  /** How many searches were compared so far. */
  synchronized int checked() {
    return checked;
  }

  @Override
  public AuditEventWriter writer() {
    return this;
  }

  @Override
  public AuditEventSearch search() {
    return this;
  }

  @Override
  public WriteResult index(List<AuditEvent> events) {
    return AuditEventWriter.indexAsJson(this, events);
  }

  @Override
  public WriteResult indexJson(List<byte[]> events) {
    return indexJson(events, RaisedLabels.NONE);
  }

  @Override
  public synchronized WriteResult indexJson(List<byte[]> events, RaisedLabels raised) {
    WriteResult r = engine.writer().indexJson(events, raised);
    Set<Integer> rejected = new HashSet<>();
    r.rejected().forEach(x -> rejected.add(x.index()));
    for (int i = 0; i < events.size(); i++) {
      if (!rejected.contains(i)) {
        AuditEventDocument d = AuditEventJson.document(events.get(i)).withIndexLabels(raised);
        stored.put(d.id(), d);
      }
    }
    return r;
  }

  @Override
  public void flush() {
    engine.writer().flush();
  }

  /** The engine labels at most a page per call; the caller repeats until 0, so all end labelled. */
  @Override
  public synchronized int raiseLabels(AuditQuery query, RaisedLabels raised) {
    int n = engine.raiseLabels(query, raised);
    var plan = QueryPlanner.plan(query);
    stored.replaceAll((id, d) -> DocumentMatcher.matches(plan, d) ? d.withIndexLabels(raised) : d);
    return n;
  }

  @Override
  public synchronized long applyRetention(RetentionPolicy policy, java.time.Instant now) {
    long n = engine.applyRetention(policy, now);
    stored.keySet().removeIf(id -> engine.search().read(id).isEmpty());
    return n;
  }

  @Override
  public Optional<AuditEvent> read(String id) {
    return engine.search().read(id);
  }

  @Override
  public synchronized AuditPage search(AuditQuery query) {
    AuditPage page = engine.search().search(query);
    if (query.cursor() == null) {
      compare(query, page);
    }
    return page;
  }

  private void compare(AuditQuery query, AuditPage page) {
    var plan = QueryPlanner.plan(query);
    Set<String> matched = new TreeSet<>();
    stored.forEach(
        (id, d) -> {
          if (DocumentMatcher.matches(plan, d)) {
            matched.add(id);
          }
        });
    Set<String> found = new TreeSet<>(engineIds(query));
    if (!matched.equals(found) || page.total() != matched.size()) {
      throw new AssertionError(
          "the matcher disagrees with "
              + engine.getClass().getSimpleName()
              + " on "
              + query
              + ":\n  engine (total "
              + page.total()
              + "): "
              + found
              + "\n  matcher: "
              + matched);
    }
    checked++;
  }

  /** Every id the engine finds for the query, all pages. */
  private List<String> engineIds(AuditQuery query) {
    List<String> ids = new ArrayList<>();
    AuditQuery.Builder all = query.toBuilder().limit(AuditQuery.MAX_LIMIT);
    String cursor = null;
    do {
      AuditPage p = engine.search().search(all.cursor(cursor).build());
      p.events().forEach(e -> ids.add(e.getIdElement().getIdPart()));
      cursor = p.nextCursor();
    } while (cursor != null);
    return ids;
  }

  @Override
  public StoreHealth check() {
    return engine.check();
  }

  @Override
  public void close() {
    engine.close();
  }
}
