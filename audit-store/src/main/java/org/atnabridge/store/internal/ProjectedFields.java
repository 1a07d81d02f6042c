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
  private final boolean anyPresence;

  private ProjectedFields(@Nullable Set<String> fields, boolean text) {
    this.fields = fields == null ? null : Set.copyOf(fields);
    this.text = text;
    this.sources = EnumSet.noneOf(SearchField.class);
    boolean any = fields == null;
    for (SearchField f : SearchField.values()) {
      boolean presence = fields == null || fields.contains(presence(f.code()));
      any |= presence;
      if (fields == null || presence || physical(f).stream().anyMatch(fields::contains)) {
        sources.add(f);
      }
    }
    this.anyPresence = any;
  }

  /**
   * The name under which a scope holds whether field {@code code} has a value ({@code :missing}):
   * {@link IndexFields#PRESENT} is then held for these codes only, so a reader of another field's
   * presence is refused.
   */
  public static String presence(String code) {
    return IndexFields.PRESENT + "#" + code;
  }

  /**
   * Only {@code fields} (physical names; {@link #presence} for a field's {@code :missing}) and, if
   * {@code text}, the free text.
   */
  public static ProjectedFields of(Collection<String> fields, boolean text) {
    Set<String> f = new HashSet<>(fields);
    f.remove(IndexFields.ID); // always there: a field of the document itself
    return new ProjectedFields(f, text);
  }

  /**
   * Whether the projection holds {@code field} whole (the id always; {@link IndexFields#PRESENT}
   * only when every field is held, else see {@link #presence}).
   */
  public boolean holds(String field) {
    return fields == null || IndexFields.ID.equals(field) || fields.contains(field);
  }

  /** Whether the extraction collects the codes of present fields (some of them at least). */
  public boolean collectsPresence() {
    return anyPresence;
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
   * held, or its presence is ({@code :missing}).
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
      case QueryNode.Terms t -> {
        if (IndexFields.PRESENT.equals(t.field())) {
          t.values().forEach(code -> fields.add(presence(code)));
        } else {
          fields.add(t.field());
        }
      }
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
