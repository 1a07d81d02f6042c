package org.atnabridge.search.selfaudit;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.atnabridge.search.feed.AuditEventFeed;
import org.atnabridge.search.feed.FeedIds;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Parameters;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records every read and search of the audit trail, successful or not, through the feed, before the
 * response is sent. Publishing is retried a few times; if it still fails the request is answered
 * 503, never served unaudited. The records go to Kafka, not through this API, so auditing cannot
 * recurse.
 *
 * <p>The caller is taken from request attribute {@value #CALLER_ATTRIBUTE} (set by the
 * authentication layer), else {@code anonymous}.
 */
@Interceptor
public final class SelfAuditInterceptor {

  public static final String CALLER_ATTRIBUTE = "atna.caller";
  private static final Logger LOG = LoggerFactory.getLogger(SelfAuditInterceptor.class);
  private static final Set<RestOperationTypeEnum> AUDITED =
      Set.of(
          RestOperationTypeEnum.READ,
          RestOperationTypeEnum.VREAD,
          RestOperationTypeEnum.SEARCH_TYPE,
          RestOperationTypeEnum.SEARCH_SYSTEM,
          RestOperationTypeEnum.GET_PAGE,
          RestOperationTypeEnum.EXTENDED_OPERATION_TYPE,
          RestOperationTypeEnum.EXTENDED_OPERATION_INSTANCE,
          RestOperationTypeEnum.EXTENDED_OPERATION_SERVER);

  /** Changes of configuration that governs access to the trail, audited like its use. */
  private static final Set<RestOperationTypeEnum> CHANGES =
      Set.of(
          RestOperationTypeEnum.CREATE, RestOperationTypeEnum.UPDATE, RestOperationTypeEnum.DELETE);

  private static final Set<String> CHANGED_TYPES = Set.of("Subscription");
  private static final int ATTEMPTS = 3;

  private final AuditEventFeed feed;
  private final String repository;
  private final Clock clock;
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong retries = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();

  private final RequestScrubber scrubber;

  public SelfAuditInterceptor(AuditEventFeed feed, String repository, Clock clock) {
    this(feed, repository, clock, RequestScrubber.DEFAULT);
  }

  /**
   * @param scrubber how the request is written into the record (credentials out)
   */
  public SelfAuditInterceptor(
      AuditEventFeed feed, String repository, Clock clock, RequestScrubber scrubber) {
    this.feed = feed;
    this.repository = repository;
    this.clock = clock;
    this.scrubber = scrubber;
  }

  /**
   * Marks a request whose use was recorded: an operation that writes its own answer (a streamed
   * report) runs the outgoing-response hooks before its first byte, and HAPI runs them again after.
   */
  private static final String RECORDED = SelfAuditInterceptor.class.getName() + ".recorded";

  @Hook(Pointcut.SERVER_OUTGOING_RESPONSE)
  public boolean onSuccess(RequestDetails request, ResponseDetails response) {
    if (request.getUserData().putIfAbsent(RECORDED, Boolean.TRUE) != null) {
      return true; // one record per request
    }
    if (AUDITED.contains(request.getRestOperationType())) {
      record(request, true, null);
    } else if (audited(request)) {
      String id =
          response.getResponseResource() != null
                  && response.getResponseResource().getIdElement().getIdPart() != null
                  && request.getRestOperationType() == RestOperationTypeEnum.CREATE
              ? response.getResponseResource().getIdElement().getIdPart()
              : request.getId() == null ? null : request.getId().getIdPart();
      recordChange(request, id, true, null);
    }
    return true;
  }

  /** A create, update or delete of a Subscription: recorded whatever its outcome. */
  private static boolean audited(RequestDetails request) {
    return request.getRestOperationType() != null
        && CHANGES.contains(request.getRestOperationType())
        && CHANGED_TYPES.contains(request.getResourceName());
  }

  @Hook(Pointcut.SERVER_HANDLE_EXCEPTION)
  public boolean onFailure(RequestDetails request, BaseServerResponseException exception) {
    if (request.getRestOperationType() != null
        && AUDITED.contains(request.getRestOperationType())
        && !(exception instanceof AuditTrailUnavailableException)) {
      try {
        record(request, false, exception.getStatusCode() + " " + exception.getMessage());
      } catch (AuditTrailUnavailableException e) {
        // the request is failing already; the failure is counted and logged
      }
    } else if (audited(request) && !(exception instanceof AuditTrailUnavailableException)) {
      try {
        recordChange(
            request,
            request.getId() == null ? null : request.getId().getIdPart(),
            false,
            exception.getStatusCode() + " " + exception.getMessage());
      } catch (AuditTrailUnavailableException e) {
        // the request is failing already; the failure is counted and logged
      }
    }
    return true;
  }

  public long written() {
    return written.get();
  }

  public long retries() {
    return retries.get();
  }

  public long failures() {
    return failures.get();
  }

  private void record(RequestDetails request, boolean success, @Nullable String failure) {
    String type = request.getResourceName();
    String readId =
        request.getId() == null
            ? null
            : type == null || type.equals("AuditEvent")
                ? request.getId().getIdPart()
                : type + "/" + request.getId().getIdPart();
    publish(event(request, readId, success, failure));
  }

  /** BALP create/update/delete (R5 restful-interaction) of {@code type/id}. */
  private void recordChange(
      RequestDetails request, @Nullable String id, boolean success, @Nullable String failure) {
    AuditEvent event = event(request, null, success, failure);
    String interaction =
        switch (request.getRestOperationType()) {
          case CREATE -> "create";
          case UPDATE -> "update";
          default -> "delete";
        };
    SelfAuditEvents.asChange(
        event, interaction, request.getResourceName() + (id == null ? "" : "/" + id));
    event.setId(FeedIds.contentId(event));
    publish(event);
  }

  private AuditEvent event(
      RequestDetails request, @Nullable String readId, boolean success, @Nullable String failure) {
    HttpServletRequest servlet =
        request instanceof ServletRequestDetails s ? s.getServletRequest() : null;
    Map<String, List<String>> headers = new LinkedHashMap<>();
    if (servlet != null) {
      for (String name : java.util.Collections.list(servlet.getHeaderNames())) {
        headers.put(name, java.util.Collections.list(servlet.getHeaders(name)));
      }
    }
    boolean read =
        request.getRestOperationType() == RestOperationTypeEnum.READ
            || request.getRestOperationType() == RestOperationTypeEnum.VREAD;
    String method = servlet == null ? request.getRequestType().name() : servlet.getMethod();
    String rawQuery = servlet == null ? null : servlet.getQueryString();
    String requestLine =
        scrubber.target(
            method, servlet == null ? request.getRequestPath() : servlet.getRequestURI(), rawQuery);
    String query =
        "POST".equalsIgnoreCase(method) ? postedCriteria(request) : scrubber.query(rawQuery);
    Object caller = servlet == null ? null : servlet.getAttribute(CALLER_ATTRIBUTE);
    String address = servlet == null ? "unknown" : servlet.getRemoteAddr();
    AuditEvent event =
        SelfAuditEvents.of(
            new SelfAuditEvents.Use(
                read,
                requestLine,
                headers,
                query,
                readId,
                caller == null ? "anonymous" : caller.toString(),
                address,
                repository,
                request.getRequestId(),
                success,
                failure,
                clock.instant()));
    RecordLabels labels =
        servlet == null ? new RecordLabels() : RecordLabels.of(servlet::getAttribute);
    labels.patientParameters(query);
    labels.applyTo(event); // no more visible than the patients and events it names
    event.setId(FeedIds.contentId(event));
    return event;
  }

  /**
   * The criteria of a POSTed search or operation, as a GET would carry them: HAPI's parameters (the
   * query string and a form body) and the primitive values of a Parameters body; scrubbed.
   */
  private @Nullable String postedCriteria(RequestDetails request) {
    Map<String, String[]> criteria = new LinkedHashMap<>(request.getParameters());
    if (postedParameters(request) instanceof Parameters body) {
      for (Parameters.ParametersParameterComponent p : body.getParameter()) {
        // only what a GET could carry: a nested resource or part is not a criterion
        if (p.hasName() && p.getValue() != null && p.getValue().hasPrimitiveValue()) {
          criteria.merge(
              p.getName(),
              new String[] {p.getValue().primitiveValue()},
              SelfAuditInterceptor::concat);
        }
      }
    }
    return scrubber.parameters(criteria);
  }

  /**
   * HAPI keeps an operation's parsed body in the request's user data (under a package-private key).
   */
  private static @Nullable Parameters postedParameters(RequestDetails request) {
    if (request.getResource() instanceof Parameters p) {
      return p;
    }
    return request.getUserData().values().stream()
        .filter(Parameters.class::isInstance)
        .map(Parameters.class::cast)
        .findFirst()
        .orElse(null);
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private void publish(AuditEvent event) {
    RuntimeException last = null;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        feed.publish(List.of(event));
        written.incrementAndGet();
        return;
      } catch (RuntimeException e) {
        last = e;
        retries.incrementAndGet();
      }
    }
    failures.incrementAndGet();
    LOG.error(
        "self-audit record could not be written; refusing the request: {}", String.valueOf(last));
    throw new AuditTrailUnavailableException();
  }
}
