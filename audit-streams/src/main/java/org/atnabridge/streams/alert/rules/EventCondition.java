package org.atnabridge.streams.alert.rules;

import java.util.function.Predicate;
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
}
