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
 */
public record AuditQuery(
    @Nullable Instant recordedFrom,
    @Nullable Instant recordedTo,
    List<IdentifierToken> patientIdentifiers,
    List<String> patientReferences,
    int limit,
    @Nullable String cursor) {

  public static final int MAX_LIMIT = 1000;

  public AuditQuery {
    patientIdentifiers = List.copyOf(patientIdentifiers);
    patientReferences = List.copyOf(patientReferences);
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT + ": " + limit);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder().recordedFrom(recordedFrom).recordedTo(recordedTo).limit(limit).cursor(cursor);
    b.patientIdentifiers.addAll(patientIdentifiers);
    b.patientReferences.addAll(patientReferences);
    return b;
  }

  /** Mutable builder; {@link #build()} validates. */
  public static final class Builder {
    private @Nullable Instant recordedFrom;
    private @Nullable Instant recordedTo;
    private final List<IdentifierToken> patientIdentifiers = new ArrayList<>();
    private final List<String> patientReferences = new ArrayList<>();
    private int limit = 50;
    private @Nullable String cursor;

    public Builder recordedFrom(@Nullable Instant v) { recordedFrom = v; return this; }
    public Builder recordedTo(@Nullable Instant v) { recordedTo = v; return this; }
    public Builder patientIdentifier(IdentifierToken v) { patientIdentifiers.add(v); return this; }
    public Builder patientReference(String v) { patientReferences.add(v); return this; }
    public Builder limit(int v) { limit = v; return this; }
    public Builder cursor(@Nullable String v) { cursor = v; return this; }

    public AuditQuery build() {
      return new AuditQuery(recordedFrom, recordedTo, patientIdentifiers, patientReferences, limit, cursor);
    }
  }
}
