package org.atnabridge.search.r4;

import ca.uhn.fhir.rest.annotation.Count;
import ca.uhn.fhir.rest.annotation.Create;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.ResourceParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.annotation.Sort;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.api.RequestTypeEnum;
import ca.uhn.fhir.rest.api.SortSpec;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.StringParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.MethodNotAllowedException;
import java.time.Clock;
import java.util.List;
import org.atnabridge.search.AuditEventResourceProvider;
import org.atnabridge.search.CursorPages;
import org.atnabridge.search.feed.AuditEventFeed;
import org.atnabridge.search.feed.FeedRequests;
import org.atnabridge.search.feed.RequestEncoding;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.jspecify.annotations.Nullable;

/**
 * ITI-81 "Retrieve ATNA Audit Event" and ITI-20 "Send Audit Resource" on FHIR R4: read, search and
 * create of AuditEvent on the R4 base. Everything but the representation is the R5 base's: the read
 * and the search are {@link AuditEventResourceProvider}'s over the same (secured) store, the
 * filters the one parameter table's ({@link R4SearchParameters}), each event returned as its {@link
 * R4Projection}; a posted R4 event is converted to R5 and takes the R5 feed's path.
 */
public final class R4AuditEventProvider implements IResourceProvider {

  private final AuditEventResourceProvider r5;
  private final @Nullable AuditEventFeed feed;
  private final Clock clock;

  /**
   * @param r5 the R5 base's provider over the same store view
   * @param feed where posted AuditEvents go; null makes create answer 405
   */
  public R4AuditEventProvider(
      AuditEventResourceProvider r5, @Nullable AuditEventFeed feed, Clock clock) {
    this.r5 = r5;
    this.feed = feed;
    this.clock = clock;
  }

  @Override
  public Class<AuditEvent> getResourceType() {
    return AuditEvent.class;
  }

  @Read
  public AuditEvent read(@IdParam IdType id) {
    return R4Projection.toR4(
        r5.read(new org.hl7.fhir.r5.model.IdType("AuditEvent", id.getIdPart())));
  }

  /**
   * The filters are every name of {@link R4SearchParameters#NAMES}, read from the request by the
   * parameter table; names outside it were dropped or refused before ({@code
   * UnknownParameterInterceptor}), so HAPI need not bind them one by one here.
   */
  @Search(allowUnknownParams = true)
  public Bundle search(
      @Sort @Nullable SortSpec sort,
      @OptionalParam(name = CursorPages.CURSOR) @Nullable StringParam cursor,
      @Count @Nullable Integer count,
      RequestDetails request) {
    return R4Pages.searchset(
        r5.searchPage(sort, cursor, count, request, false), CursorPages.elements(request));
  }

  /** The R4 body, converted to R5, takes the R5 feed's path; the answer is R4. */
  @Create
  public MethodOutcome create(@ResourceParam String body, RequestDetails request) {
    if (feed == null) {
      throw new MethodNotAllowedException(
          "this server does not accept AuditEvents", RequestTypeEnum.GET);
    }
    org.hl7.fhir.r5.model.AuditEvent event =
        FeedRequests.accept(
            FeedRequests.postedBy(
                FeedRequests.parseR4(
                    body, RequestEncoding.of(request), org.hl7.fhir.r5.model.AuditEvent.class),
                request),
            clock.instant());
    feed.publish(List.of(event));
    MethodOutcome outcome = new MethodOutcome(new IdType("AuditEvent", event.getIdPart()), true);
    outcome.setResource(R4Projection.toR4(event));
    return outcome;
  }
}
