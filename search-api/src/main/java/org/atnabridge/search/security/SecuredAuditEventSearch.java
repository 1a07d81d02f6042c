package org.atnabridge.search.security;

import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import java.util.List;
import java.util.Optional;
import org.atnabridge.schemas.RawRecordReference;
import org.atnabridge.schemas.chain.ChainLink;
import org.atnabridge.schemas.vocab.Extensions;
import org.atnabridge.store.AccessRestrictions;
import org.atnabridge.store.AuditEventSearch;
import org.atnabridge.store.AuditPage;
import org.atnabridge.store.AuditQuery;
import org.atnabridge.store.Criterion;
import org.atnabridge.store.IdentifierToken;
import org.atnabridge.store.SearchField;
import org.hl7.fhir.r5.model.AuditEvent;
import org.jspecify.annotations.Nullable;

/**
 * The store's read side as the current caller may see it. Every provider (search, read, $verify,
 * reports, statistics) is given this instead of the store, so no parameter combination can reach
 * past it: the caller's restrictions are extra criteria AND-ed with whatever the request asked.
 *
 * <ul>
 *   <li>{@code patient/} scopes: only events whose {@code AuditEvent.patient} is the token's
 *       patient. A claim {@code system|value} matches that identifier exactly; a claim {@code ID}
 *       or {@code Patient/ID} matches the literal reference {@code Patient/ID}, and, when {@code
 *       --patient-identifier-system S} is configured, also events that identify the patient only by
 *       the identifier {@code S|ID} (ATNA messages carry identifiers, not FHIR ids). An identifier
 *       value alone never matches across systems.
 *   <li>Label clearance: events with a v3-Confidentiality {@code meta.security} code above the
 *       caller's clearance are excluded ({@link Clearance}, {@link AccessRestrictions}).
 *   <li>{@code patient/} scopes get events without their chain link ({@link ChainLink}) and raw
 *       record position ({@link RawRecordReference}), which reveal the repository's volume.
 * </ul>
 *
 * A read is a search by {@code _id} under the same restrictions, so read and search cannot
 * disagree. Without a decided access on this thread (no authenticated request) nothing is visible.
 */
public final class SecuredAuditEventSearch implements AuditEventSearch {

  private final AuditEventSearch store;
  private final AuthSettings settings;

  public SecuredAuditEventSearch(AuditEventSearch store, AuthSettings settings) {
    this.store = store;
    this.settings = settings;
  }

  @Override
  public Optional<AuditEvent> read(String id) {
    List<Criterion> restrictions = restrictions();
    if (restrictions == null) {
      return Optional.empty();
    }
    AuditQuery.Builder q =
        AuditQuery.builder().limit(1).token(SearchField.ID, new IdentifierToken(null, id));
    restrictions.forEach(q::where);
    Optional<AuditEvent> visible = store.search(q.build()).events().stream().findFirst();
    RequestAccess access = RequestAccess.current();
    visible.ifPresent(e -> touched(access, e));
    Optional<AuditEvent> hidden = visible.isEmpty() ? store.read(id) : Optional.empty();
    visible = visible.map(this::shown);
    if (hidden.isPresent()) {
      if (access != null) {
        touched(access, hidden.get()); // the alert about this refusal names what it was about
        access.deny("read of an AuditEvent outside the caller's access");
      }
      if (settings.deniedRead() == AuthSettings.DeniedRead.FORBIDDEN) {
        throw new ForbiddenOperationException("access denied");
      }
    }
    return visible;
  }

  @Override
  public AuditPage search(AuditQuery query) {
    List<Criterion> restrictions = restrictions();
    if (restrictions == null) {
      return new AuditPage(List.of(), 0, null, java.util.Map.of());
    }
    RequestAccess access = RequestAccess.current();
    namedPatients(access, query);
    AuditQuery.Builder q = query.toBuilder();
    restrictions.forEach(q::where);
    AuditPage page = store.search(q.build());
    page.events().forEach(e -> touched(access, e));
    if (!patientLevel()) {
      return page;
    }
    return new AuditPage(
        page.events().stream().map(this::shown).toList(),
        page.total(),
        page.nextCursor(),
        page.aggregations(),
        page.previousCursor());
  }

  /** The current caller's restrictions and level: callers with equal views see the same events. */
  @Override
  public Object view() {
    List<Criterion> restrictions = restrictions();
    return restrictions == null ? List.of("none") : List.of(restrictions, patientLevel());
  }

  /**
   * The event as this caller may see it. For {@code patient/} scopes without the chain link and the
   * raw record's Kafka position: sequence numbers, predecessor ids and offsets count the whole
   * repository's events, not the patient's.
   */
  private AuditEvent shown(AuditEvent event) {
    if (!patientLevel()) {
      return event;
    }
    AuditEvent copy = event.copy();
    ChainLink.remove(copy);
    copy.getExtension().removeIf(e -> Extensions.RAW_RECORD.equals(e.getUrl()));
    return copy;
  }

  private static boolean patientLevel() {
    RequestAccess access = RequestAccess.current();
    return access != null && access.level() == SmartScopes.Level.PATIENT;
  }

  /**
   * The self-audit record of this request inherits the patient and labels of each event it returns.
   */
  private static void touched(@Nullable RequestAccess access, AuditEvent e) {
    if (access != null) {
      access.recordLabels().touched(e);
    }
  }

  /** The patients the request's own criteria name (not the caller's restrictions). */
  private static void namedPatients(@Nullable RequestAccess access, AuditQuery query) {
    if (access == null) {
      return;
    }
    for (Criterion c : query.criteria()) {
      if (c instanceof Criterion.Reference r && r.field() == SearchField.PATIENT) {
        for (Criterion.ReferenceValue v : r.anyOf()) {
          if (v.identifier() != null) {
            access
                .recordLabels()
                .patientIdentifier(v.identifier().system(), v.identifier().value());
          } else if (v.reference() != null) {
            access.recordLabels().patientReference(v.reference());
          }
        }
      }
    }
  }

  /**
   * The criteria this caller's results must also meet ({@link AccessRestrictions}, which the
   * Subscription matcher applies to a subscription's creator too); null = nothing is visible.
   */
  private @Nullable List<Criterion> restrictions() {
    RequestAccess access = RequestAccess.current();
    if (access == null || access.level() == null || access.level() == SmartScopes.Level.NONE) {
      return null;
    }
    Caller caller = access.caller();
    return AccessRestrictions.of(
        access.level() == SmartScopes.Level.PATIENT,
        caller.patient(),
        settings.patientIdentifierSystem(),
        caller.clearance());
  }
}
