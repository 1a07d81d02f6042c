package org.atnabridge.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Criteria of an AuditEvent search. Every criterion present must match (AND); the values inside
 * one list criterion are alternatives (OR), like repeated FHIR token values joined by a comma.
 *
 * @param recordedFrom inclusive lower bound on {@code AuditEvent.recorded}, or null
 * @param recordedTo exclusive upper bound on {@code AuditEvent.recorded}, or null
 * @param patientIdentifiers identifiers of {@code AuditEvent.patient} (any of them), empty = any
 * @param patientReferences literal references of {@code AuditEvent.patient} such as
 *     {@code Patient/123} (any of them), empty = any
 * @param limit page size, 1..1000
 * @param cursor the {@link AuditPage#nextCursor()} of the previous page, or null for the first
 * @param agentIdentifiers identifiers of any {@code AuditEvent.agent.who}, empty = any
 * @param agentReferences literal references of any {@code AuditEvent.agent.who}, empty = any
 * @param actions {@code AuditEvent.action} codes (C, R, U, D, E), empty = any
 * @param outcomes {@code AuditEvent.outcome.code} codes (0, 4, 8, 12), empty = any
 * @param codes tokens of {@code AuditEvent.code} codings, matched like identifiers ({@code
 *     system|code}, {@code code}, {@code |code}), empty = any
 * @param categories tokens of {@code AuditEvent.category} codings, matched the same way
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
    List<IdentifierToken> categories) {

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
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT + ": " + limit);
    }
  }

  /** The original criteria only (period, patient, paging); the others are empty. */
  public AuditQuery(@Nullable Instant recordedFrom, @Nullable Instant recordedTo, List<IdentifierToken> patientIdentifiers,
      List<String> patientReferences, int limit, @Nullable String cursor) {
    this(recordedFrom, recordedTo, patientIdentifiers, patientReferences, limit, cursor,
        List.of(), List.of(), List.of(), List.of(), List.of(), List.of());
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder().recordedFrom(recordedFrom).recordedTo(recordedTo).limit(limit).cursor(cursor);
    b.patientIdentifiers.addAll(patientIdentifiers);
    b.patientReferences.addAll(patientReferences);
    b.agentIdentifiers.addAll(agentIdentifiers);
    b.agentReferences.addAll(agentReferences);
    b.actions.addAll(actions);
    b.outcomes.addAll(outcomes);
    b.codes.addAll(codes);
    b.categories.addAll(categories);
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

    public AuditQuery build() {
      return new AuditQuery(recordedFrom, recordedTo, patientIdentifiers, patientReferences, limit, cursor,
          agentIdentifiers, agentReferences, actions, outcomes, codes, categories);
    }
  }
}
