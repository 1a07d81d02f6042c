package org.atnabridge.streams.subscription;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.atnabridge.schemas.subscription.BuiltInTopics;
import org.atnabridge.schemas.subscription.SubscriberAccess;
import org.atnabridge.schemas.vocab.CodeSystems;
import org.atnabridge.store.AccessRestrictions;
import org.atnabridge.store.AuditEventMatcher;
import org.atnabridge.store.AuditQuery;
import org.atnabridge.store.Criterion;
import org.atnabridge.store.IdentifierToken;
import org.atnabridge.store.SearchField;
import org.atnabridge.store.query.SearchParameters;
import org.hl7.fhir.r5.model.Enumerations.SubscriptionStatusCodes;
import org.hl7.fhir.r5.model.Subscription;
import org.jspecify.annotations.Nullable;

/**
 * A stored Subscription as an {@link ActiveSubscription}, or nothing when it is not to be matched:
 * its status is not requested, active or error (FHIR R5 SubscriptionStatusCodes: an {@code error}
 * subscription still accumulates events while delivery retries); its topic is not a built-in one;
 * no creator's access is recorded ({@link SubscriberAccess}), or that access sees nothing; or its
 * filters cannot be read. {@code end} is checked per event, as time passes.
 */
public final class SubscriptionCompiler {

  /** DICOM PS3.16 DCM 110113 "Security Alert": the category of the security-alert topic. */
  static final String SECURITY_ALERT = "110113";

  private static final Set<SubscriptionStatusCodes> MATCHED =
      Set.of(
          SubscriptionStatusCodes.REQUESTED,
          SubscriptionStatusCodes.ACTIVE,
          SubscriptionStatusCodes.ERROR);

  private SubscriptionCompiler() {}

  /**
   * The stored Subscription {@code s} (with its recorded access) as the matcher tests it, or empty
   * when it is not to be matched.
   *
   * @throws IllegalArgumentException when the filters are not a readable AuditEvent search
   */
  public static Optional<ActiveSubscription> compile(String id, Subscription s) {
    if (!MATCHED.contains(s.getStatus())) {
      return Optional.empty();
    }
    String topic = s.getTopic();
    if (!BuiltInTopics.ALL.contains(topic)) {
      return Optional.empty();
    }
    Optional<SubscriberAccess> access = SubscriberAccess.readFrom(s);
    if (access.isEmpty()) {
      return Optional.empty();
    }
    List<Criterion> restrictions = restrictions(access.get());
    if (restrictions == null) {
      return Optional.empty();
    }
    String filters = FilterQuery.of(s.getFilterBy());
    AuditQuery.Builder q =
        filters.isEmpty()
            ? AuditQuery.builder()
            : SearchParameters.fromQueryString(filters).toBuilder();
    if (BuiltInTopics.SECURITY_ALERT.equals(topic)) {
      q.where(
          new Criterion.Token(
              SearchField.CATEGORY,
              List.of(new IdentifierToken(CodeSystems.DCM, SECURITY_ALERT)),
              false));
    }
    restrictions.forEach(q::where);
    Instant end = s.hasEnd() ? s.getEnd().toInstant() : null;
    return Optional.of(new ActiveSubscription(id, topic, end, AuditEventMatcher.of(q.build())));
  }

  /** What the creator may read, exactly as a search by the creator is restricted. */
  private static @Nullable List<Criterion> restrictions(SubscriberAccess a) {
    return AccessRestrictions.of(
        a.patientLevel(), a.patient(), a.patientIdentifierSystem(), a.clearance());
  }
}
