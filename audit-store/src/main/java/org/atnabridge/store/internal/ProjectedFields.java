package org.atnabridge.store.internal;

import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.atnabridge.store.SearchField;
import org.jspecify.annotations.Nullable;

/**
 * Which physical index fields ({@link IndexFields}) a projection of an event holds: all of them
 * (what the engines index), or only those a known set of readers reads (the alert engine's rules),
 * so that an event is not projected onto fields no one compares. The id and the two dates are
 * always there. Immutable.
 */
public final class ProjectedFields {

  /** Every field, the free text included: what the engines index. */
  public static final ProjectedFields ALL = new ProjectedFields(null, true);

  private final @Nullable Set<String> fields;
  private final boolean text;
  private final EnumSet<SearchField> sources;

  private ProjectedFields(@Nullable Set<String> fields, boolean text) {
    this.fields = fields == null ? null : Set.copyOf(fields);
    this.text = text;
    this.sources = EnumSet.noneOf(SearchField.class);
    for (SearchField f : SearchField.values()) {
      if (fields == null
          || fields.contains(IndexFields.PRESENT)
          || physical(f).stream().anyMatch(fields::contains)) {
        sources.add(f);
      }
    }
  }

  /**
   * Only {@code fields} (physical names; {@link IndexFields#PRESENT} for {@code :missing}) and, if
   * {@code text}, the free text.
   */
  public static ProjectedFields of(Collection<String> fields, boolean text) {
    Set<String> f = new HashSet<>(fields);
    f.remove(IndexFields.ID); // always there: a field of the document itself
    return new ProjectedFields(f, text);
  }

  /** Whether the projection holds {@code field} (the id always). */
  public boolean holds(String field) {
    return fields == null || IndexFields.ID.equals(field) || fields.contains(field);
  }

  /** Whether it holds every one of {@code fields}, and the text if {@code text}. */
  public boolean holdsAll(Collection<String> readFields, boolean readsText) {
    if (readsText && !text) {
      return false;
    }
    for (String f : readFields) {
      if (!holds(f)) {
        return false;
      }
    }
    return true;
  }

  public boolean text() {
    return text;
  }

  /**
   * Whether the extraction must visit the elements of {@code f}: one of its physical fields is
   * held, or the codes of the fields present are ({@code :missing} on any field).
   */
  public boolean visits(SearchField f) {
    return sources.contains(f);
  }

  /**
   * The physical fields the extraction fills for {@code f} (besides {@link IndexFields#PRESENT}).
   */
  public static List<String> physical(SearchField f) {
    return switch (f.type()) {
      case TOKEN ->
          f == SearchField.ID
              ? List.of(IndexFields.ID)
              : List.of(IndexFields.tokenField(f), IndexFields.valueField(f));
      case REFERENCE ->
          List.of(
              IndexFields.refField(f),
              IndexFields.refIdField(f),
              IndexFields.identifierField(f),
              IndexFields.identifierValueField(f),
              IndexFields.keyField(f));
      case STRING -> List.of(IndexFields.exactField(f), IndexFields.normField(f));
      case URI -> List.of(f.indexName());
      case DATE -> List.of();
    };
  }

  /** The physical fields a {@link DocumentMatcher} reads to decide {@code node}. */
  public static void reads(QueryNode node, Set<String> fields, boolean[] text) {
    switch (node) {
      case QueryNode.Terms t -> fields.add(t.field());
      case QueryNode.Prefix p -> fields.add(p.field());
      case QueryNode.Contains c -> fields.add(c.field());
      case QueryNode.Range r -> {} // the dates are the document's own
      case QueryNode.Text t -> text[0] = true;
      case QueryNode.And a -> {
        a.must().forEach(n -> reads(n, fields, text));
        a.not().forEach(n -> reads(n, fields, text));
      }
      case QueryNode.Or o -> o.any().forEach(n -> reads(n, fields, text));
      case QueryNode.All a -> {}
      case QueryNode.None n -> {}
    }
  }
}
