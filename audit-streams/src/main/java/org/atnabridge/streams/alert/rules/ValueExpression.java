package org.atnabridge.streams.alert.rules;

import java.util.List;
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
}
