package org.atnabridge.store;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.atnabridge.store.internal.AuditEventDocument;
import org.atnabridge.store.internal.DocumentMatcher;
import org.atnabridge.store.internal.ProjectedFields;
import org.atnabridge.store.internal.QueryAnchors;
import org.atnabridge.store.internal.QueryNode;
import org.atnabridge.store.internal.QueryPlanner;
import org.hl7.fhir.r5.model.AuditEvent;
import org.jspecify.annotations.Nullable;

/**
 * Whether one AuditEvent matches the criteria of an {@link AuditQuery}, decided in memory with
 * exactly the meaning both engines give the query: the event is projected onto the index fields of
 * {@link SearchField} as the engines index it, and the query is planned once by the same planner
 * the engines translate, so "would a search find it" and "does it match" cannot disagree (the
 * engine contract tests check every case through both). For alert rules and Subscription {@code
 * filterBy} (FHIR R5 Subscriptions: a topic's filter is a search parameter criterion on the event).
 *
 * <p>Only the criteria count: period, {@link AuditQuery#criteria()} and free text. Limit, cursor,
 * sort and aggregations are about pages and are ignored. Labels the store adds on the index side
 * only ({@link RaisedLabels}) are not in the event and so are not seen here.
 *
 * <pre>{@code
 * AuditQuery rule = AuditQuery.builder().token(SearchField.OUTCOME, new IdentifierToken(null, "8")).build();
 * Predicate<AuditEvent> failed = AuditEventMatcher.of(rule); // plan once, test many
 * if (failed.test(event)) { ... }
 * EventValues projected = EventValues.of(event); // many matchers, one event: project once
 * if (failed.test(projected)) { ... }
 * }</pre>
 */
public final class AuditEventMatcher implements Predicate<AuditEvent> {

  private final QueryNode plan;
  private final List<IndexTerm> anchorTerms;
  private final Set<String> reads;
  private final boolean readsText;
  // the last scope found to hold every field read: checked once per scope, not once per event
  // (a stale value only means checking again; scopes are immutable)
  private @Nullable ProjectionScope checked;

  private AuditEventMatcher(QueryNode plan) {
    this.plan = plan;
    this.anchorTerms = QueryAnchors.of(plan);
    Set<String> fields = new HashSet<>();
    boolean[] text = {false};
    ProjectedFields.reads(plan, fields, text);
    this.reads = Set.copyOf(fields);
    this.readsText = text[0];
  }

  /** The physical fields the plan reads ({@link ProjectionScope}). */
  Set<String> reads() {
    return reads;
  }

  boolean readsText() {
    return readsText;
  }

  /** A reusable predicate for the query's criteria; thread-safe. */
  public static AuditEventMatcher of(AuditQuery query) {
    return new AuditEventMatcher(QueryPlanner.plan(query));
  }

  /**
   * Whether {@code event} matches every criterion of {@code query}.
   *
   * @throws IllegalArgumentException when the event lacks an id or {@code recorded}, which a store
   *     would refuse as well
   */
  public static boolean matches(AuditQuery query, AuditEvent event) {
    return of(query).test(event);
  }

  @Override
  public boolean test(AuditEvent event) {
    return DocumentMatcher.matches(plan, AuditEventDocument.searchable(event));
  }

  /**
   * Whether the event projected as {@code values} matches: the same answer as {@link
   * #test(AuditEvent)} on that event, for many matchers on one event with one projection.
   *
   * @throws IllegalStateException when {@code values} were projected with a {@link ProjectionScope}
   *     that does not hold what this matcher reads
   */
  public boolean test(EventValues values) {
    ProjectionScope scope = values.scope();
    if (scope != checked) {
      if (!scope.fields().holdsAll(reads, readsText)) {
        throw new IllegalStateException(
            "the event was projected without fields this matcher reads: " + reads);
      }
      checked = scope;
    }
    return DocumentMatcher.matches(plan, values.document());
  }

  /**
   * Terms of which every event this matcher accepts holds at least one ({@link
   * EventValues#terms(String)}), preferring the patient's, then other references: many matchers
   * (Subscriptions) can be indexed by them and looked up from an event's values instead of each
   * being tried. Empty when the criteria require no such term (only {@code :not}, dates, string
   * prefixes or free text): such a matcher must be tried on every event.
   */
  public List<IndexTerm> anchorTerms() {
    return anchorTerms;
  }
}
