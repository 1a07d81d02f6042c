package org.atnabridge.search.subscription;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.atnabridge.schemas.chain.ChainLink;
import org.atnabridge.schemas.subscription.SubscriberAccess;
import org.atnabridge.schemas.vocab.CodeSystems;
import org.atnabridge.schemas.vocab.Extensions;
import org.atnabridge.search.security.Clearance;
import org.atnabridge.store.AuditEventMatcher;
import org.atnabridge.store.AuditQuery;
import org.atnabridge.store.Criterion;
import org.atnabridge.store.IdentifierToken;
import org.atnabridge.store.SearchField;
import org.hl7.fhir.r5.model.AuditEvent;

/**
 * An AuditEvent as the creator of a subscription may read it, by the access recorded in the
 * subscription ({@link SubscriberAccess}): the same restrictions a search by that creator has
 * (patient scope, label clearance), checked again at delivery although the matcher numbers only
 * what the subscriber may see, and for a patient-level subscriber the event without its chain link
 * and raw record position, which count the whole repository's events.
 */
public final class SubscriberView {

  private final AuditEventMatcher visible;
  private final boolean nothing;
  private final boolean patientLevel;

  private SubscriberView(AuditEventMatcher visible, boolean nothing, boolean patientLevel) {
    this.visible = visible;
    this.nothing = nothing;
    this.patientLevel = patientLevel;
  }

  public static SubscriberView of(Optional<SubscriberAccess> recorded) {
    if (recorded.isEmpty()) {
      return new SubscriberView(AuditEventMatcher.of(AuditQuery.builder().build()), true, true);
    }
    SubscriberAccess access = recorded.get();
    List<Criterion> restrictions = new ArrayList<>();
    boolean nothing = false;
    if (access.patient() != null) {
      restrictions.add(patientCriterion(access.patient(), access.patientIdentifierSystem()));
    } else if (access.patientLevel()) {
      nothing = true; // a patient scope without a patient sees nothing
    }
    List<String> above = Clearance.above(access.clearance());
    if (!above.isEmpty()) {
      restrictions.add(
          new Criterion.Token(
              SearchField.SECURITY,
              above.stream()
                  .map(code -> new IdentifierToken(CodeSystems.V3_CONFIDENTIALITY, code))
                  .toList(),
              true));
    }
    AuditQuery.Builder q = AuditQuery.builder();
    restrictions.forEach(q::where);
    return new SubscriberView(AuditEventMatcher.of(q.build()), nothing, access.patientLevel());
  }

  /** The event as the subscriber may read it, or empty when it may not read it at all. */
  public Optional<AuditEvent> shown(AuditEvent event) {
    if (nothing || !visible.test(event)) {
      return Optional.empty();
    }
    if (!patientLevel) {
      return Optional.of(event);
    }
    AuditEvent copy = event.copy();
    ChainLink.remove(copy);
    copy.getExtension().removeIf(e -> Extensions.RAW_RECORD.equals(e.getUrl()));
    return Optional.of(copy);
  }

  /**
   * The patient restriction of a {@code patient/} scope: {@code system|value} matches that
   * identifier; an id matches {@code Patient/id}, and the identifier {@code system|id} when the
   * patient identifier system is configured (as the AuditEvent search of that caller).
   */
  private static Criterion.Reference patientCriterion(
      String patient, @org.jspecify.annotations.Nullable String identifierSystem) {
    int bar = patient.indexOf('|');
    if (bar > 0 && bar < patient.length() - 1) {
      return new Criterion.Reference(
          SearchField.PATIENT,
          List.of(
              Criterion.ReferenceValue.identifier(
                  new IdentifierToken(patient.substring(0, bar), patient.substring(bar + 1)))));
    }
    String id = patient.startsWith("Patient/") ? patient.substring("Patient/".length()) : patient;
    List<Criterion.ReferenceValue> anyOf = new ArrayList<>();
    anyOf.add(Criterion.ReferenceValue.literal("Patient/" + id));
    if (identifierSystem != null) {
      anyOf.add(Criterion.ReferenceValue.identifier(new IdentifierToken(identifierSystem, id)));
    }
    return new Criterion.Reference(SearchField.PATIENT, anyOf);
  }
}
