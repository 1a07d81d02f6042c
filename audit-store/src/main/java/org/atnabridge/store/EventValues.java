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
import org.atnabridge.store.internal.ProjectedFields;
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
  private final ProjectionScope scope;

  private EventValues(AuditEventDocument document, ProjectionScope scope) {
    this.document = document;
    this.scope = scope;
  }

  /**
   * The projection of {@code event}; take it once and read several parameters.
   *
   * @throws IllegalArgumentException when the event lacks an id or {@code recorded}, which a store
   *     would refuse as well
   */
  public static EventValues of(AuditEvent event) {
    return new EventValues(AuditEventDocument.searchable(event), ProjectionScope.ALL);
  }

  /**
   * The projection of {@code event} onto the fields of {@code scope} only: what its readers read,
   * at a fraction of the cost when they read few fields. Reading a field outside the scope throws.
   *
   * @throws IllegalArgumentException as {@link #of(AuditEvent)}
   */
  public static EventValues of(AuditEvent event, ProjectionScope scope) {
    return new EventValues(AuditEventDocument.searchable(event, scope.fields()), scope);
  }

  /** The projection {@link AuditEventMatcher#test(EventValues)} decides on. */
  AuditEventDocument document() {
    return document;
  }

  ProjectionScope scope() {
    return scope;
  }

  /** The physical fields {@link #get} reads for {@code field}. */
  static List<String> getReads(SearchField field) {
    return switch (field.type()) {
      case TOKEN -> List.of(tokenField(field));
      case REFERENCE -> List.of(keyField(field));
      case STRING -> List.of(exactField(field));
      case URI -> List.of(field.indexName());
      case DATE -> List.of();
    };
  }

  /** The values of {@code field} in {@code event}; see {@link #get}. */
  public static List<String> of(SearchField field, AuditEvent event) {
    return of(event).get(field);
  }

  /** The values the index holds for {@code field}, in the event's order, without repeats. */
  public List<String> get(SearchField field) {
    for (String read : getReads(field)) {
      requireHeld(read);
    }
    return switch (field.type()) {
      case TOKEN -> field == SearchField.ID ? List.of(document.id()) : list(tokenField(field));
      case REFERENCE -> list(keyField(field));
      case STRING -> list(exactField(field));
      case URI -> list(field.indexName());
      case DATE -> List.of(Instant.ofEpochMilli(document.millis(field)).toString());
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
    return list(requireHeld(identifierField(field)));
  }

  /**
   * The event's values of the physical index field {@code field} (of an {@link IndexTerm}): the
   * event holds the term {@code t} when {@code terms(t.field())} contains {@code t.value()}.
   */
  public Set<String> terms(String field) {
    return IndexFields.ID.equals(field)
        ? Set.of(document.id())
        : document.values(requireHeld(field));
  }

  /**
   * Whether {@link #terms} can be read for {@code field}: always on a full projection; on one with
   * a {@link ProjectionScope}, for the fields it holds whole. Else ask {@link #holds(String,
   * String)} term by term.
   */
  public boolean termsReadable(String field) {
    return scope.fields().holds(field);
  }

  /**
   * Whether the event holds the term ({@link IndexTerm}): {@code terms(field).contains(value)},
   * also for a term a scope holds without its whole field (the presence of one parameter).
   *
   * @throws IllegalStateException when the projection's scope left the term out
   */
  public boolean holds(String field, String value) {
    if (IndexFields.PRESENT.equals(field) && !termsReadable(field)) {
      requireHeld(ProjectedFields.presence(value));
      return document.values(field).contains(value);
    }
    return terms(field).contains(value);
  }

  /**
   * @throws IllegalStateException when the projection's scope left {@code field} out: an empty
   *     answer would be a wrong one
   */
  private String requireHeld(String field) {
    if (!scope.fields().holds(field)) {
      throw new IllegalStateException("the projection's scope does not hold " + field);
    }
    return field;
  }

  private List<String> list(String indexField) {
    return List.copyOf(document.values(indexField));
  }
}
