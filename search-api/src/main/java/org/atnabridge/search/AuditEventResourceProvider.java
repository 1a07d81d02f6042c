package org.atnabridge.search;

import ca.uhn.fhir.rest.annotation.Count;
import ca.uhn.fhir.rest.annotation.Create;
import ca.uhn.fhir.rest.annotation.ResourceParam;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.api.RequestTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.MethodNotAllowedException;
import java.time.Clock;
import java.util.List;
import org.atnabridge.search.feed.AuditEventFeed;
import org.atnabridge.search.feed.FeedRequests;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.param.DateAndListParam;
import ca.uhn.fhir.rest.param.ReferenceOrListParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import org.atnabridge.store.AuditEventSearch;
import org.atnabridge.store.AuditQuery;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.IdType;
import org.jspecify.annotations.Nullable;

/**
 * AuditEvent read, search (R5 names plus the ITI-81 chained patient form) and create (the FHIR
 * Feed). Reads delegate to the store; creates go to the feed, never to the store directly.
 */
public final class AuditEventResourceProvider implements IResourceProvider {

  private final AuditEventSearch search;
  private final int defaultPageSize;
  private final @Nullable AuditEventFeed feed;
  private final Clock clock;

  public AuditEventResourceProvider(AuditEventSearch search, int defaultPageSize) {
    this(search, defaultPageSize, null, Clock.systemUTC());
  }

  /**
   * @param feed where posted AuditEvents go; null makes create answer 405 (a read-only replica)
   */
  public AuditEventResourceProvider(AuditEventSearch search, int defaultPageSize, @Nullable AuditEventFeed feed,
      Clock clock) {
    this.search = search;
    this.defaultPageSize = defaultPageSize;
    this.feed = feed;
    this.clock = clock;
  }

  /**
   * ITI-20 "Send Audit Resource" (FHIR Feed): the body is parsed strictly, checked, given its
   * content-derived id and made durable in {@code audit.events} before 201 is answered.
   */
  @Create
  public MethodOutcome create(@ResourceParam String body, RequestDetails request) {
    if (feed == null) {
      throw new MethodNotAllowedException("this server does not accept AuditEvents", RequestTypeEnum.GET);
    }
    String contentType = request.getHeader("Content-Type");
    EncodingEnum encoding = contentType == null ? null : EncodingEnum.forContentType(contentType.split(";")[0].trim());
    AuditEvent event = FeedRequests.accept(FeedRequests.parse(body, encoding, AuditEvent.class), clock.instant());
    feed.publish(List.of(event));
    MethodOutcome outcome = new MethodOutcome(new IdType("AuditEvent", event.getIdPart()), true);
    outcome.setResource(event);
    return outcome;
  }

  @Override
  public Class<AuditEvent> getResourceType() {
    return AuditEvent.class;
  }

  @Read
  public AuditEvent read(@IdParam IdType id) {
    return search.read(id.getIdPart())
        .orElseThrow(() -> new ResourceNotFoundException(new IdType("AuditEvent", id.getIdPart())));
  }

  @Search
  public IBundleProvider search(
      @OptionalParam(name = AuditEvent.SP_DATE) @Nullable DateAndListParam date,
      @OptionalParam(name = AuditEvent.SP_PATIENT, chainWhitelist = {OptionalParam.ALLOW_CHAIN_NOTCHAINED,
          SearchParameterMapper.IDENTIFIER}) @Nullable ReferenceOrListParam patient,
      @Count @Nullable Integer count) {
    AuditQuery query = SearchParameterMapper.map(date, patient)
        .limit(clamp(count == null ? defaultPageSize : count))
        .build();
    return new StoreBundleProvider(search, query);
  }

  private static int clamp(int count) {
    return Math.max(1, Math.min(AuditQuery.MAX_LIMIT, count));
  }
}
