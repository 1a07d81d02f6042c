package org.atnabridge.search.subscription;

import ca.uhn.fhir.rest.annotation.Create;
import ca.uhn.fhir.rest.annotation.Delete;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.ResourceParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.annotation.Update;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.param.UriParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import ca.uhn.fhir.rest.server.exceptions.UnclassifiedServerFailureException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.atnabridge.schemas.subscription.SubscriberAccess;
import org.atnabridge.schemas.subscription.SubscriptionNotification;
import org.atnabridge.search.security.Caller;
import org.atnabridge.search.security.RequestAccess;
import org.atnabridge.search.security.SmartScopes;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.CodeType;
import org.hl7.fhir.r5.model.DateTimeType;
import org.hl7.fhir.r5.model.Enumerations.SubscriptionStatusCodes;
import org.hl7.fhir.r5.model.IdType;
import org.hl7.fhir.r5.model.Parameters;
import org.hl7.fhir.r5.model.StringType;
import org.hl7.fhir.r5.model.Subscription;
import org.hl7.fhir.r5.model.SubscriptionStatus.SubscriptionNotificationType;
import org.hl7.fhir.r5.model.UrlType;
import org.jspecify.annotations.Nullable;

/**
 * Subscription create, read, search, update (status, end, filters), delete, {@code $status} and
 * {@code $events} and {@code $get-ws-binding-token} (FHIR R5 topic-based subscriptions). Stored in
 * {@code audit.subscriptions} through the {@link SubscriptionRegistry}, with the creator's access
 * ({@link SubscriberAccess}) recorded at every write and removed from every answer; header values
 * ({@code parameter}) are stored to be sent with each notification and are never shown again
 * (answers mask them).
 *
 * <p>A caller sees and manages only the subscriptions it created (same token {@code sub}): a
 * subscription carries its creator's access to the audit trail, and {@code $events} replays what
 * that access allows. Another's subscription is answered 404, as if it did not exist.
 */
public final class SubscriptionResourceProvider implements IResourceProvider {

  /** Shown instead of a header value. */
  static final String MASKED = "***";

  private final SubscriptionRegistry registry;
  private final SubscriptionValidator validator;
  private final NotificationLog log;
  private final @Nullable String patientIdentifierSystem;
  private final BindingTokens tokens;
  private final Clock clock;

  /**
   * @param patientIdentifierSystem {@code --patient-identifier-system}, recorded with a patient
   *     scope so that delivery restricts as the creator's search does
   */
  public SubscriptionResourceProvider(
      SubscriptionRegistry registry,
      SubscriptionValidator validator,
      NotificationLog log,
      @Nullable String patientIdentifierSystem,
      BindingTokens tokens,
      Clock clock) {
    this.registry = registry;
    this.validator = validator;
    this.log = log;
    this.patientIdentifierSystem = patientIdentifierSystem;
    this.tokens = tokens;
    this.clock = clock;
  }

  @Override
  public Class<Subscription> getResourceType() {
    return Subscription.class;
  }

  @Create
  public MethodOutcome create(@ResourceParam Subscription posted) {
    SubscriberAccess access = access();
    Subscription s = posted.copy();
    validator.check(s);
    if (!s.hasStatus() || s.getStatus() == SubscriptionStatusCodes.NULL) {
      s.setStatus(SubscriptionStatusCodes.REQUESTED);
    }
    if (s.getStatus() != SubscriptionStatusCodes.REQUESTED
        && s.getStatus() != SubscriptionStatusCodes.OFF) {
      throw SubscriptionValidator.refused(
          "Subscription.status", "a new subscription is requested (or off)");
    }
    s.setId(UUID.randomUUID().toString());
    s.getMeta().setVersionId("1").setLastUpdated(Date.from(clock.instant()));
    access.writeTo(s);
    if (SubscriptionValidator.WEBSOCKET.equals(s.getChannelType().getCode())) {
      BindingTokens.addKey(s); // its $get-ws-binding-token tokens are signed with it
    }
    store(s);
    // no version in the Location: there is no vread (_history) of a subscription
    return new MethodOutcome(new IdType("Subscription", s.getIdPart()), true).setResource(shown(s));
  }

  @Read
  public Subscription read(@IdParam IdType id) {
    return shown(owned(id));
  }

  @Search
  public List<Subscription> search(
      @OptionalParam(name = Subscription.SP_STATUS) @Nullable TokenParam status,
      @OptionalParam(name = Subscription.SP_TOPIC) @Nullable UriParam topic,
      @OptionalParam(name = Subscription.SP_TYPE) @Nullable TokenParam type) {
    String subject = caller().subject();
    return registry.all().stream()
        .filter(s -> ownedBy(s, subject))
        .filter(s -> status == null || s.getStatus().toCode().equals(status.getValue()))
        .filter(s -> topic == null || s.getTopic().equals(topic.getValue()))
        .filter(s -> type == null || type.getValue().equals(s.getChannelType().getCode()))
        .sorted(java.util.Comparator.comparing(Subscription::getIdPart))
        .map(SubscriptionResourceProvider::shown)
        .toList();
  }

  /**
   * Changes what a client may change: {@code status} ({@code requested} to (re)start with a
   * handshake, {@code off} to stop), {@code end} and {@code filterBy}. The topic, channel,
   * endpoint, content and headers are fixed at creation (create a new subscription instead): a
   * change to them is refused with 422 naming the element.
   */
  @Update
  public MethodOutcome update(@IdParam IdType id, @ResourceParam Subscription posted) {
    SubscriberAccess access = access();
    // delivery may write a status meanwhile: apply the change to the latest state
    for (int attempt = 0; attempt < 3; attempt++) {
      MethodOutcome done = update(id, posted, access, owned(id));
      if (done != null) {
        return done;
      }
    }
    throw new ResourceVersionConflictException(
        "the subscription changed while it was being updated; read it and try again");
  }

  private @Nullable MethodOutcome update(
      IdType id, Subscription posted, SubscriberAccess access, Subscription stored) {
    if (posted.hasIdElement()
        && posted.getIdPart() != null
        && !posted.getIdPart().equals(id.getIdPart())) {
      throw new InvalidRequestException("the body's id differs from the URL's");
    }
    unchanged("Subscription.topic", stored.getTopic(), posted.getTopic());
    unchanged(
        "Subscription.channelType",
        stored.getChannelType().getCode(),
        posted.getChannelType().getCode());
    unchanged("Subscription.endpoint", stored.getEndpoint(), posted.getEndpoint());
    unchanged(
        "Subscription.content",
        NotificationBundles.content(stored),
        NotificationBundles.content(posted));
    SubscriptionStatusCodes status =
        posted.hasStatus() ? posted.getStatus() : SubscriptionStatusCodes.REQUESTED;
    if (status != SubscriptionStatusCodes.REQUESTED
        && status != SubscriptionStatusCodes.OFF
        && status != stored.getStatus()) {
      throw SubscriptionValidator.refused(
          "Subscription.status",
          "a client sets requested (to start again) or off; active and error are the server's");
    }
    Subscription s = stored.copy();
    s.setStatus(status);
    s.setEndElement(posted.hasEnd() ? posted.getEndElement().copy() : null);
    s.getFilterBy().clear();
    posted.getFilterBy().forEach(f -> s.addFilterBy(f.copy()));
    validator.check(s);
    long version = parseVersion(stored) + 1;
    s.getMeta().setVersionId(String.valueOf(version)).setLastUpdated(Date.from(clock.instant()));
    access.writeTo(s);
    try {
      if (!registry.putIfUnchanged(stored, s)) {
        return null;
      }
    } catch (IllegalStateException e) {
      throw unavailable();
    }
    return new MethodOutcome(new IdType("Subscription", s.getIdPart())).setResource(shown(s));
  }

  @Delete
  public MethodOutcome delete(@IdParam IdType id) {
    Subscription s = owned(id);
    try {
      registry.delete(s.getIdPart());
    } catch (IllegalStateException e) {
      throw unavailable();
    }
    return new MethodOutcome();
  }

  /** R5 {@code Subscription/[id]/$status}: a searchset of one SubscriptionStatus. */
  @Operation(name = "$status", idempotent = true)
  public Bundle status(@IdParam IdType id, RequestDetails request) {
    Subscription s = owned(id);
    Bundle b = new Bundle().setType(Bundle.BundleType.SEARCHSET);
    b.addEntry().setResource(statusOf(s, request));
    b.setTotal(1);
    return b;
  }

  /** R5 {@code Subscription/$status}: the caller's subscriptions, or those named by {@code id}. */
  @Operation(name = "$status", idempotent = true)
  public Bundle statusAll(
      @OperationParam(name = "id") @Nullable List<StringType> ids,
      @OperationParam(name = "status") @Nullable List<CodeType> statuses,
      RequestDetails request) {
    String subject = caller().subject();
    List<Subscription> chosen = new ArrayList<>();
    for (Subscription s : registry.all()) {
      if (!ownedBy(s, subject)) {
        continue;
      }
      if (ids != null
          && !ids.isEmpty()
          && ids.stream()
              .noneMatch(i -> new IdType(i.getValue()).getIdPart().equals(s.getIdPart()))) {
        continue;
      }
      if (statuses != null
          && !statuses.isEmpty()
          && statuses.stream().noneMatch(c -> c.getValue().equals(s.getStatus().toCode()))) {
        continue;
      }
      chosen.add(s);
    }
    chosen.sort(java.util.Comparator.comparing(Subscription::getIdPart));
    Bundle b = new Bundle().setType(Bundle.BundleType.SEARCHSET);
    for (Subscription s : chosen) {
      b.addEntry().setResource(statusOf(s, request));
    }
    b.setTotal(chosen.size());
    return b;
  }

  /**
   * R5 {@code Subscription/[id]/$events}: the notifications numbered {@code eventsSinceNumber} to
   * {@code eventsUntilNumber} replayed from {@code audit.notifications} (as far back as its
   * retention, 7 days; at most {@link NotificationLog#MAX_EVENTS} per call), each reduced to what
   * the subscription's creator may read, in a {@code history} Bundle whose first entry is a
   * SubscriptionStatus of type {@code query-event}.
   */
  @Operation(name = "$events", idempotent = true)
  public Bundle events(
      @IdParam IdType id,
      @OperationParam(name = "eventsSinceNumber") @Nullable StringType since,
      @OperationParam(name = "eventsUntilNumber") @Nullable StringType until,
      @OperationParam(name = "content") @Nullable CodeType content,
      RequestDetails request) {
    Subscription s = owned(id);
    long from = number("eventsSinceNumber", since, 1);
    long to = number("eventsUntilNumber", until, Long.MAX_VALUE);
    String level = content == null ? NotificationBundles.content(s) : content.getValue();
    if (!List.of("empty", "id-only", "full-resource").contains(level)) {
      throw new InvalidRequestException("content must be empty, id-only or full-resource");
    }
    NotificationLog.Scan scan;
    try {
      scan = log.scan(s.getIdPart(), from, to);
    } catch (RuntimeException e) {
      throw unavailable();
    }
    SubscriberView view = SubscriberView.of(SubscriberAccess.readFrom(s));
    List<NotificationBundles.Event> events = new ArrayList<>();
    for (SubscriptionNotification n : scan.events()) {
      Optional<org.hl7.fhir.r5.model.AuditEvent> shown = view.shown(n.event());
      shown.ifPresent(e -> events.add(NotificationBundles.Event.of(n, e)));
    }
    return NotificationBundles.notification(
        request.getFhirServerBase(),
        s,
        SubscriptionNotificationType.QUERYEVENT,
        s.getStatus(),
        scan.highest(),
        events,
        level,
        clock.instant());
  }

  /**
   * R5 {@code Subscription/[id]/$get-ws-binding-token}: a token binding this websocket subscription
   * on {@code /fhir/websocket} ({@code bind-with-token}) until {@code expiration}, for the caller
   * who may read the subscription (its creator) only.
   */
  @Operation(name = "$get-ws-binding-token", idempotent = true)
  public Parameters wsBindingToken(@IdParam IdType id, RequestDetails request) {
    Subscription s = owned(id);
    if (!SubscriptionValidator.WEBSOCKET.equals(s.getChannelType().getCode())) {
      throw SubscriptionValidator.refused(
          "Subscription.channelType", "a binding token is for a websocket subscription");
    }
    BindingTokens.Token token = tokens.issue(s);
    Parameters out = new Parameters();
    out.addParameter("token", new StringType(token.value()));
    out.addParameter("expiration", new DateTimeType(Date.from(token.expires())));
    out.addParameter("subscription", new StringType(s.getIdPart()));
    out.addParameter("websocket-url", new UrlType(webSocketUrl(request.getFhirServerBase())));
    return out;
  }

  /** {@code [base]/websocket}, {@code ws} for {@code http} and {@code wss} for {@code https}. */
  static String webSocketUrl(String base) {
    String b = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    if (b.regionMatches(true, 0, "https:", 0, 6)) {
      return "wss:" + b.substring(6) + "/websocket";
    }
    if (b.regionMatches(true, 0, "http:", 0, 5)) {
      return "ws:" + b.substring(5) + "/websocket";
    }
    return b + "/websocket";
  }

  private org.hl7.fhir.r5.model.SubscriptionStatus statusOf(
      Subscription s, RequestDetails request) {
    long highest;
    try {
      highest = log.scan(s.getIdPart(), 1, 0).highest();
    } catch (RuntimeException e) {
      throw unavailable();
    }
    return NotificationBundles.status(
        request.getFhirServerBase(),
        s,
        SubscriptionNotificationType.QUERYSTATUS,
        s.getStatus(),
        highest);
  }

  private static long number(String name, @Nullable StringType value, long absent) {
    if (value == null || value.getValue() == null || value.getValue().isBlank()) {
      return absent;
    }
    try {
      long n = Long.parseLong(value.getValue().trim());
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new InvalidRequestException(name + " must be a non-negative integer");
    }
  }

  private void store(Subscription s) {
    try {
      registry.put(s);
    } catch (IllegalStateException e) {
      throw unavailable();
    }
  }

  private static UnclassifiedServerFailureException unavailable() {
    return new UnclassifiedServerFailureException(
        503, "subscriptions are unavailable: the broker did not answer; try again");
  }

  private static void unchanged(String element, @Nullable String stored, @Nullable String posted) {
    if (!Objects.equals(stored, posted)) {
      throw SubscriptionValidator.refused(
          element, "cannot be changed; create a new subscription instead");
    }
  }

  private static long parseVersion(Subscription s) {
    try {
      return Long.parseLong(s.getMeta().getVersionId());
    } catch (RuntimeException e) {
      return 1;
    }
  }

  /** The caller's subscription {@code id}, as stored; 404 when it is none of the caller's. */
  private Subscription owned(IdType id) {
    String subject = caller().subject();
    return registry
        .get(id.getIdPart())
        .filter(s -> ownedBy(s, subject))
        .orElseThrow(
            () -> new ResourceNotFoundException(new IdType("Subscription", id.getIdPart())));
  }

  private static boolean ownedBy(Subscription s, String subject) {
    return SubscriberAccess.readFrom(s).map(a -> a.subject().equals(subject)).orElse(false);
  }

  /** The subscription as a client sees it: no recorded access, header values masked. */
  static Subscription shown(Subscription stored) {
    Subscription s = BindingTokens.stripKey(SubscriberAccess.strip(stored.copy()));
    s.getParameter().forEach(p -> p.setValue(MASKED));
    return s;
  }

  private static Caller caller() {
    RequestAccess access = RequestAccess.current();
    if (access == null) {
      throw new ForbiddenOperationException("subscriptions need an authenticated caller");
    }
    return access.caller();
  }

  /**
   * What the caller may read of the audit trail, to be recorded in its subscription: a subscription
   * delivers AuditEvents, so its creator needs AuditEvent read ({@code AuditEvent.rs}); a {@code
   * patient/} grant of either Subscription or AuditEvent makes it patient-level.
   */
  private SubscriberAccess access() {
    RequestAccess request = RequestAccess.current();
    if (request == null) {
      throw new ForbiddenOperationException("subscriptions need an authenticated caller");
    }
    Caller caller = request.caller();
    SmartScopes.Level events = caller.scopes().level("AuditEvent", "rs");
    if (events == SmartScopes.Level.NONE) {
      throw new ForbiddenOperationException(
          "a subscription delivers AuditEvents: its creator needs AuditEvent.rs");
    }
    boolean patientLevel =
        events == SmartScopes.Level.PATIENT || request.level() == SmartScopes.Level.PATIENT;
    return new SubscriberAccess(
        caller.subject(),
        patientLevel ? caller.patient() : null,
        patientLevel ? patientIdentifierSystem : null,
        caller.clearance(),
        patientLevel);
  }
}
