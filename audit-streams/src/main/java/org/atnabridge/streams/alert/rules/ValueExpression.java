package org.atnabridge.streams.alert.rules;

import java.util.List;
import org.atnabridge.store.ProjectionScope;
import org.hl7.fhir.r5.model.AuditEvent;

/**
 * A value taken from one event, for {@code group-by}, {@code distinct} and {@code first-seen}: a
 * search parameter name (the values the index holds for it, e.g. {@code agent.identifier} gives
 * {@code system|value} of each agent) or {@code fhirpath: <expression>}. Thread-safe.
 */
public interface ValueExpression {

  /** The event's values, each as text; empty when it has none (the event is then not counted). */
  List<String> values(AuditEvent event);

  /**
   * The same values as {@link #values(AuditEvent)}, reading the event's projection shared by every
   * rule (search parameters) instead of projecting it again.
   */
  default List<String> values(MatchableEvent event) {
    return values(event.event());
  }

  /** The expression as written. */
  String text();

  /**
   * Adds to {@code scope} the index fields {@link #values(MatchableEvent)} reads of the event's
   * projection; by default every field.
   */
  default void reads(ProjectionScope.Builder scope) {
    scope.all();
  }
}
