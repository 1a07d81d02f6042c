package org.atnabridge.store;

import static org.atnabridge.store.internal.IndexFields.exactField;
import static org.atnabridge.store.internal.IndexFields.identifierField;
import static org.atnabridge.store.internal.IndexFields.keyField;
import static org.atnabridge.store.internal.IndexFields.tokenField;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.atnabridge.store.internal.AuditEventDocument;
import org.atnabridge.store.internal.IndexFields;
import org.hl7.fhir.r5.model.AuditEvent;

/**
 * The values the index holds for one event's search parameters, as text: what a search on the
 * parameter compares, so grouping or counting by a parameter (alert rules' {@code group-by}) means
 * what a search by it means. Projected once per event by the same extraction both engines and
 * {@link AuditEventMatcher} use.
 *
 * <ul>
 *   <li>token: {@code system|code} ({@code |code} without a system), e.g. {@code outcome};
 *   <li>reference: the literal reference as {@code Type/id}, or the identifier as {@code
 *       system|value} when the reference has none ({@code agent}, {@code patient}); {@link
 *       #identifiers} gives the identifiers alone ({@code agent.identifier});
 *   <li>string and uri: as written ({@code address}); date: the instant in ISO-8601.
 * </ul>
 *
 * <p>Several parameters or several {@link AuditEventMatcher}s on one event: project once and pass
 * the projection ({@link AuditEventMatcher#test(EventValues)}), instead of each projecting again.
 *
 * <p>Thread-safe: an instance is immutable.
 */
public final class EventValues {

  private final AuditEventDocument document;

  private EventValues(AuditEventDocument document) {
    this.document = document;
  }

  /**
   * The projection of {@code event}; take it once and read several parameters.
   *
   * @throws IllegalArgumentException when the event lacks an id or {@code recorded}, which a store
   *     would refuse as well
   */
  public static EventValues of(AuditEvent event) {
    return new EventValues(AuditEventDocument.searchable(event));
  }

  /** The projection {@link AuditEventMatcher#test(EventValues)} decides on. */
  AuditEventDocument document() {
    return document;
  }

  /** The values of {@code field} in {@code event}; see {@link #get}. */
  public static List<String> of(SearchField field, AuditEvent event) {
    return of(event).get(field);
  }

  /** The values the index holds for {@code field}, in the event's order, without repeats. */
  public List<String> get(SearchField field) {
    return switch (field.type()) {
      case TOKEN -> field == SearchField.ID ? List.of(document.id()) : list(tokenField(field));
      case REFERENCE -> list(keyField(field));
      case STRING -> list(exactField(field));
      case URI -> list(field.indexName());
      case DATE ->
          List.of(
              Instant.ofEpochMilli(
                      field == SearchField.DATE
                          ? document.recordedMillis()
                          : document.lastUpdatedMillis())
                  .toString());
    };
  }

  /**
   * The identifiers ({@code system|value}, {@code |value} without a system) of a reference
   * parameter: what {@code agent.identifier} or {@code patient:identifier} searches.
   *
   * @throws IllegalArgumentException when {@code field} is not a reference parameter
   */
  public List<String> identifiers(SearchField field) {
    if (field.type() != SearchField.Type.REFERENCE) {
      throw new IllegalArgumentException(field.code() + " is not a reference parameter");
    }
    return list(identifierField(field));
  }

  /**
   * The event's values of the physical index field {@code field} (of an {@link IndexTerm}): the
   * event holds the term {@code t} when {@code terms(t.field())} contains {@code t.value()}.
   */
  public Set<String> terms(String field) {
    return IndexFields.ID.equals(field) ? Set.of(document.id()) : document.values(field);
  }

  private List<String> list(String indexField) {
    return List.copyOf(document.values(indexField));
  }
}
