package org.atnabridge.store;

import java.util.HashSet;
import java.util.Set;
import org.atnabridge.store.internal.IndexFields;
import org.atnabridge.store.internal.ProjectedFields;

/**
 * What a set of readers (the alert engine's enabled rules) reads of an event's projection: their
 * {@link AuditEventMatcher}s and the search parameters whose values they take. {@link
 * EventValues#of(AuditEvent, ProjectionScope)} projects an event onto these fields only, and skips
 * the elements that feed none of them (the event's syslog and receipt extensions, say), instead of
 * onto every index field. A reader outside the scope is refused when it reads, never answered from
 * a field that was left out. Immutable.
 *
 * <pre>{@code
 * ProjectionScope scope = ProjectionScope.builder().matcher(m1).matcher(m2).values(SearchField.AGENT).build();
 * EventValues v = EventValues.of(event, scope); // m1.test(v), m2.test(v), v.get(SearchField.AGENT)
 * }</pre>
 */
public final class ProjectionScope {

  /** Every field: the projection {@link EventValues#of(org.hl7.fhir.r5.model.AuditEvent)} takes. */
  public static final ProjectionScope ALL = new ProjectionScope(ProjectedFields.ALL);

  private final ProjectedFields fields;

  private ProjectionScope(ProjectedFields fields) {
    this.fields = fields;
  }

  ProjectedFields fields() {
    return fields;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Collects what each reader reads; {@link #all()} when a reader's needs are not known. */
  public static final class Builder {
    private final Set<String> fields = new HashSet<>();
    private boolean text;
    private boolean all;

    private Builder() {}

    /** The fields {@code matcher} decides on. */
    public Builder matcher(AuditEventMatcher matcher) {
      fields.addAll(matcher.reads());
      text |= matcher.readsText();
      return this;
    }

    /** The fields {@link EventValues#get(SearchField)} reads for {@code field}. */
    public Builder values(SearchField field) {
      fields.addAll(EventValues.getReads(field));
      return this;
    }

    /** The field {@link EventValues#identifiers(SearchField)} reads for {@code field}. */
    public Builder identifiers(SearchField field) {
      if (field.type() != SearchField.Type.REFERENCE) {
        throw new IllegalArgumentException(field.code() + " is not a reference parameter");
      }
      fields.add(IndexFields.identifierField(field));
      return this;
    }

    /** Every field: a reader whose needs are not known. */
    public Builder all() {
      all = true;
      return this;
    }

    public ProjectionScope build() {
      return all ? ALL : new ProjectionScope(ProjectedFields.of(fields, text));
    }
  }
}
