package org.atnabridge.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Criteria of an AuditEvent search. Every criterion present must match (AND); the values inside one
 * criterion are alternatives (OR), like FHIR's comma-separated values.
 *
 * <p>The criteria are {@link #criteria()}: one {@link Criterion} per FHIR parameter occurrence, on
 * any {@link SearchField}; the recorded period is kept apart because it is the engines' fastest
 * filter (and the ITI-81 date window). {@link AuditEventMatcher} decides the same question for one
 * event in memory.
 *
 * @param recordedFrom inclusive lower bound on {@code AuditEvent.recorded}, or null
 * @param recordedTo exclusive upper bound on {@code AuditEvent.recorded}, or null
 * @param limit page size, 0..{@value #MAX_LIMIT}; 0 returns only the total and aggregations
 * @param cursor the {@link AuditPage#nextCursor()} or {@link AuditPage#previousCursor()} of a page
 *     of the same query
 * @param criteria the criteria on any field, all AND-ed
 * @param text free text ({@code _text}/{@code _content}): every word must occur in a display,
 *     description or name of the event; null = none
 * @param sort the order; ties by id ascending
 * @param aggregations summaries over all matching events
 */
public record AuditQuery(
    @Nullable Instant recordedFrom,
    @Nullable Instant recordedTo,
    int limit,
    @Nullable String cursor,
    List<Criterion> criteria,
    @Nullable String text,
    SortOrder sort,
    List<Aggregation> aggregations) {

  public static final int MAX_LIMIT = 1000;

  public AuditQuery {
    criteria = List.copyOf(criteria);
    aggregations = List.copyOf(aggregations);
    Objects.requireNonNull(sort, "sort");
    if (limit < 0 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be 0.." + MAX_LIMIT + ": " + limit);
    }
    if (text != null && text.isBlank()) {
      text = null;
    }
    Set<String> names = new HashSet<>();
    for (Aggregation a : aggregations) {
      if (!names.add(a.name())) {
        throw new IllegalArgumentException("aggregation name used twice: " + a.name());
      }
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b =
        new Builder()
            .recordedFrom(recordedFrom)
            .recordedTo(recordedTo)
            .limit(limit)
            .cursor(cursor)
            .text(text)
            .sort(sort);
    b.criteria.addAll(criteria);
    b.aggregations.addAll(aggregations);
    return b;
  }

  /** Mutable builder; {@link #build()} validates. */
  public static final class Builder {
    private @Nullable Instant recordedFrom;
    private @Nullable Instant recordedTo;
    private final List<Criterion> criteria = new ArrayList<>();
    private final List<Aggregation> aggregations = new ArrayList<>();
    private @Nullable String text;
    private SortOrder sort = SortOrder.DATE_DESC;
    private int limit = 50;
    private @Nullable String cursor;

    public Builder recordedFrom(@Nullable Instant v) {
      recordedFrom = v;
      return this;
    }

    public Builder recordedTo(@Nullable Instant v) {
      recordedTo = v;
      return this;
    }

    /** Raises the inclusive lower bound to {@code v} unless it is already later (criteria AND). */
    public Builder narrowRecordedFrom(Instant v) {
      recordedFrom = recordedFrom == null || v.isAfter(recordedFrom) ? v : recordedFrom;
      return this;
    }

    /**
     * Lowers the exclusive upper bound to {@code v} unless it is already earlier (criteria AND).
     */
    public Builder narrowRecordedTo(Instant v) {
      recordedTo = recordedTo == null || v.isBefore(recordedTo) ? v : recordedTo;
      return this;
    }

    public Builder limit(int v) {
      limit = v;
      return this;
    }

    public Builder cursor(@Nullable String v) {
      cursor = v;
      return this;
    }

    /** Adds a criterion, AND-ed with every other. */
    public Builder where(Criterion c) {
      criteria.add(Objects.requireNonNull(c, "criterion"));
      return this;
    }

    /** Token criterion, values OR-ed: {@code where(field, tok("sys","a"), tok(null,"b"))}. */
    public Builder token(SearchField field, IdentifierToken... anyOf) {
      return where(new Criterion.Token(field, List.of(anyOf), false));
    }

    /** {@code :not}: none of the values. */
    public Builder notToken(SearchField field, IdentifierToken... anyOf) {
      return where(new Criterion.Token(field, List.of(anyOf), true));
    }

    public Builder reference(SearchField field, Criterion.ReferenceValue... anyOf) {
      return where(new Criterion.Reference(field, List.of(anyOf)));
    }

    /** Date criterion with one range [from, to), either end open when null. */
    public Builder date(SearchField field, @Nullable Instant from, @Nullable Instant to) {
      return where(new Criterion.Date(field, List.of(new Criterion.DateRange(from, to))));
    }

    public Builder uri(SearchField field, String... anyOf) {
      return where(new Criterion.Uri(field, List.of(anyOf)));
    }

    public Builder string(SearchField field, Criterion.StringMatch match, String... anyOf) {
      return where(new Criterion.Text(field, List.of(anyOf), match));
    }

    public Builder missing(SearchField field, boolean missing) {
      return where(new Criterion.Missing(field, missing));
    }

    public Builder text(@Nullable String v) {
      text = v;
      return this;
    }

    public Builder sort(SortOrder v) {
      sort = Objects.requireNonNull(v, "sort");
      return this;
    }

    public Builder aggregate(Aggregation a) {
      aggregations.add(Objects.requireNonNull(a, "aggregation"));
      return this;
    }

    public AuditQuery build() {
      return new AuditQuery(
          recordedFrom, recordedTo, limit, cursor, criteria, text, sort, aggregations);
    }
  }
}
