package org.atnabridge.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Criteria of an AuditEvent search. Every criterion present must match (AND); the values inside
 * one criterion are alternatives (OR), like FHIR's comma-separated values.
 *
 * <p>The general form is {@link #criteria()}: one {@link Criterion} per FHIR parameter
 * occurrence, on any {@link SearchField}. The typed lists (patient, agent, action, outcome, code,
 * category) and the period are shorthands kept for existing callers; each non-empty list is one
 * more AND-ed criterion, exactly as if it had been added to {@code criteria}.
 *
 * @param recordedFrom inclusive lower bound on {@code AuditEvent.recorded}, or null
 * @param recordedTo exclusive upper bound on {@code AuditEvent.recorded}, or null
 * @param patientIdentifiers identifiers of {@code AuditEvent.patient} (any of them), empty = any
 * @param patientReferences literal references of {@code AuditEvent.patient}, empty = any
 * @param limit page size, 0..{@value #MAX_LIMIT}; 0 returns only the total and aggregations
 * @param cursor the {@link AuditPage#nextCursor()} or {@link AuditPage#previousCursor()} of a page of
 *     the same query
 * @param agentIdentifiers identifiers of any {@code AuditEvent.agent.who}, empty = any
 * @param agentReferences literal references of any {@code AuditEvent.agent.who}, empty = any
 * @param actions {@code AuditEvent.action} codes (C, R, U, D, E), empty = any
 * @param outcomes outcome codes, DICOM (0/4/8/12) or issue-severity (success/...), empty = any
 * @param codes tokens of {@code AuditEvent.code} codings ({@link IdentifierToken} rules)
 * @param categories tokens of {@code AuditEvent.category} codings
 * @param criteria further criteria on any field, all AND-ed
 * @param text free text ({@code _text}/{@code _content}): every word must occur in a display,
 *     description or name of the event; null = none
 * @param sort the order; ties by id ascending
 * @param aggregations summaries over all matching events
 */
public record AuditQuery(
    @Nullable Instant recordedFrom,
    @Nullable Instant recordedTo,
    List<IdentifierToken> patientIdentifiers,
    List<String> patientReferences,
    int limit,
    @Nullable String cursor,
    List<IdentifierToken> agentIdentifiers,
    List<String> agentReferences,
    List<String> actions,
    List<String> outcomes,
    List<IdentifierToken> codes,
    List<IdentifierToken> categories,
    List<Criterion> criteria,
    @Nullable String text,
    SortOrder sort,
    List<Aggregation> aggregations) {

  public static final int MAX_LIMIT = 1000;

  public AuditQuery {
    patientIdentifiers = List.copyOf(patientIdentifiers);
    patientReferences = List.copyOf(patientReferences);
    agentIdentifiers = List.copyOf(agentIdentifiers);
    agentReferences = List.copyOf(agentReferences);
    actions = List.copyOf(actions);
    outcomes = List.copyOf(outcomes);
    codes = List.copyOf(codes);
    categories = List.copyOf(categories);
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

  /** The original criteria only (period, patient, paging). */
  public AuditQuery(@Nullable Instant recordedFrom, @Nullable Instant recordedTo, List<IdentifierToken> patientIdentifiers,
      List<String> patientReferences, int limit, @Nullable String cursor) {
    this(recordedFrom, recordedTo, patientIdentifiers, patientReferences, limit, cursor,
        List.of(), List.of(), List.of(), List.of(), List.of(), List.of());
  }

  /** The typed criteria without the general ones. */
  public AuditQuery(@Nullable Instant recordedFrom, @Nullable Instant recordedTo, List<IdentifierToken> patientIdentifiers,
      List<String> patientReferences, int limit, @Nullable String cursor, List<IdentifierToken> agentIdentifiers,
      List<String> agentReferences, List<String> actions, List<String> outcomes, List<IdentifierToken> codes,
      List<IdentifierToken> categories) {
    this(recordedFrom, recordedTo, patientIdentifiers, patientReferences, limit, cursor, agentIdentifiers,
        agentReferences, actions, outcomes, codes, categories, List.of(), null, SortOrder.DATE_DESC, List.of());
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder().recordedFrom(recordedFrom).recordedTo(recordedTo).limit(limit).cursor(cursor)
        .text(text).sort(sort);
    b.patientIdentifiers.addAll(patientIdentifiers);
    b.patientReferences.addAll(patientReferences);
    b.agentIdentifiers.addAll(agentIdentifiers);
    b.agentReferences.addAll(agentReferences);
    b.actions.addAll(actions);
    b.outcomes.addAll(outcomes);
    b.codes.addAll(codes);
    b.categories.addAll(categories);
    b.criteria.addAll(criteria);
    b.aggregations.addAll(aggregations);
    return b;
  }

  /** Mutable builder; {@link #build()} validates. */
  public static final class Builder {
    private @Nullable Instant recordedFrom;
    private @Nullable Instant recordedTo;
    private final List<IdentifierToken> patientIdentifiers = new ArrayList<>();
    private final List<String> patientReferences = new ArrayList<>();
    private final List<IdentifierToken> agentIdentifiers = new ArrayList<>();
    private final List<String> agentReferences = new ArrayList<>();
    private final List<String> actions = new ArrayList<>();
    private final List<String> outcomes = new ArrayList<>();
    private final List<IdentifierToken> codes = new ArrayList<>();
    private final List<IdentifierToken> categories = new ArrayList<>();
    private final List<Criterion> criteria = new ArrayList<>();
    private final List<Aggregation> aggregations = new ArrayList<>();
    private @Nullable String text;
    private SortOrder sort = SortOrder.DATE_DESC;
    private int limit = 50;
    private @Nullable String cursor;

    public Builder recordedFrom(@Nullable Instant v) { recordedFrom = v; return this; }
    public Builder recordedTo(@Nullable Instant v) { recordedTo = v; return this; }

    /** Raises the inclusive lower bound to {@code v} unless it is already later (criteria AND). */
    public Builder narrowRecordedFrom(Instant v) {
      recordedFrom = recordedFrom == null || v.isAfter(recordedFrom) ? v : recordedFrom;
      return this;
    }

    /** Lowers the exclusive upper bound to {@code v} unless it is already earlier (criteria AND). */
    public Builder narrowRecordedTo(Instant v) {
      recordedTo = recordedTo == null || v.isBefore(recordedTo) ? v : recordedTo;
      return this;
    }

    public Builder patientIdentifier(IdentifierToken v) { patientIdentifiers.add(v); return this; }
    public Builder patientReference(String v) { patientReferences.add(v); return this; }
    public Builder agentIdentifier(IdentifierToken v) { agentIdentifiers.add(v); return this; }
    public Builder agentReference(String v) { agentReferences.add(v); return this; }
    public Builder action(String v) { actions.add(v); return this; }
    public Builder outcome(String v) { outcomes.add(v); return this; }
    public Builder code(IdentifierToken v) { codes.add(v); return this; }
    public Builder category(IdentifierToken v) { categories.add(v); return this; }
    public Builder limit(int v) { limit = v; return this; }
    public Builder cursor(@Nullable String v) { cursor = v; return this; }

    /** Adds a criterion, AND-ed with every other. */
    public Builder where(Criterion c) { criteria.add(Objects.requireNonNull(c, "criterion")); return this; }

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

    public Builder text(@Nullable String v) { text = v; return this; }
    public Builder sort(SortOrder v) { sort = Objects.requireNonNull(v, "sort"); return this; }
    public Builder aggregate(Aggregation a) { aggregations.add(Objects.requireNonNull(a, "aggregation")); return this; }

    public AuditQuery build() {
      return new AuditQuery(recordedFrom, recordedTo, patientIdentifiers, patientReferences, limit, cursor,
          agentIdentifiers, agentReferences, actions, outcomes, codes, categories, criteria, text, sort, aggregations);
    }
  }
}
