package org.atnabridge.search.subscription;

import java.util.List;
import java.util.Optional;
import org.atnabridge.schemas.chain.ChainLink;
import org.atnabridge.schemas.subscription.SubscriberAccess;
import org.atnabridge.schemas.vocab.Extensions;
import org.atnabridge.store.AccessRestrictions;
import org.atnabridge.store.AuditEventMatcher;
import org.atnabridge.store.AuditQuery;
import org.atnabridge.store.Criterion;
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
    // the matcher's restrictions exactly (AccessRestrictions): what it numbered is what is shown
    List<Criterion> restrictions =
        AccessRestrictions.of(
            access.patientLevel(),
            access.patient(),
            access.patientIdentifierSystem(),
            access.clearance());
    boolean nothing = restrictions == null; // a patient scope without a patient sees nothing
    AuditQuery.Builder q = AuditQuery.builder();
    if (restrictions != null) {
      restrictions.forEach(q::where);
    }
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
}
