package org.atnabridge.streams.alert.rules;

import org.atnabridge.store.EventValues;
import org.atnabridge.store.ProjectionScope;
import org.hl7.fhir.r5.model.AuditEvent;
import org.jspecify.annotations.Nullable;

/**
 * One event as the rules read it: the event and its search-parameter projection ({@link
 * EventValues}), taken once, when a rule first needs it, and shared by every {@code where} and
 * search-parameter {@code group-by}, {@code field} or {@code fields} of every rule, instead of each
 * projecting the event again. The event must not change while its rules are evaluated.
 *
 * <p>Not thread-safe: one instance per event, on the thread that evaluates it.
 */
public final class MatchableEvent {

  private final AuditEvent event;
  private final ProjectionScope scope;
  private @Nullable EventValues values;
  private @Nullable IllegalArgumentException unprojectable;

  /** Projected onto every index field. */
  public MatchableEvent(AuditEvent event) {
    this(event, ProjectionScope.ALL);
  }

  /**
   * Projected onto the fields of {@code scope} only: what the rules that read it read ({@link
   * EventCondition#reads}, {@link ValueExpression#reads}).
   */
  public MatchableEvent(AuditEvent event, ProjectionScope scope) {
    this.event = event;
    this.scope = scope;
  }

  public AuditEvent event() {
    return event;
  }

  /**
   * The projection, taken on the first call.
   *
   * @throws IllegalArgumentException on every call when the event cannot be projected (no id or no
   *     {@code recorded}), as {@link EventValues#of(AuditEvent)} throws
   */
  public EventValues values() {
    EventValues v = values;
    if (v != null) {
      return v;
    }
    IllegalArgumentException failed = unprojectable;
    if (failed == null) {
      try {
        v = EventValues.of(event, scope);
        values = v;
        return v;
      } catch (IllegalArgumentException e) {
        failed = e;
        unprojectable = e;
      }
    }
    throw new IllegalArgumentException(failed.getMessage(), failed);
  }
}
