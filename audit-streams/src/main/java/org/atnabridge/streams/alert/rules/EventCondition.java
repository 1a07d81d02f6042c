package org.atnabridge.streams.alert.rules;

import java.util.List;
import java.util.function.Predicate;
import org.atnabridge.store.AuditEventMatcher;
import org.atnabridge.store.IndexTerm;
import org.atnabridge.store.ProjectionScope;
import org.hl7.fhir.r5.model.AuditEvent;

/**
 * A condition on one event, compiled from a rule's {@code where:} (AuditEvent search parameters,
 * decided by the store's in-memory matcher, so the same string pasted into a search finds the same
 * events) and/or {@code fhirpath:} (HAPI's R5 FHIRPath engine, true when the expression yields a
 * single {@code true}). Thread-safe.
 */
public interface EventCondition extends Predicate<AuditEvent> {

  /**
   * The same answer as {@link #test(AuditEvent)}, reading the event's projection shared by every
   * rule (search parameters) instead of projecting it again.
   */
  default boolean test(MatchableEvent event) {
    return test(event.event());
  }

  /** The condition as written, for {@code rules check} and alert summaries. */
  String text();

  /**
   * Adds to {@code scope} the index fields {@link #test(MatchableEvent)} reads of the event's
   * projection; by default every field (a condition that does not say what it reads).
   */
  default void reads(ProjectionScope.Builder scope) {
    scope.all();
  }

  /**
   * Terms of which every event this condition accepts holds at least one ({@link
   * AuditEventMatcher#anchorTerms()}): an event holding none of them is not tested at all. Empty
   * when no such term is required ({@code :not}, {@code :missing}, FHIRPath, strings): the
   * condition is then tested on every event.
   */
  default List<IndexTerm> anchorTerms() {
    return List.of();
  }
}
