package org.atnabridge.search;

import ca.uhn.fhir.rest.annotation.Count;
import ca.uhn.fhir.rest.annotation.Create;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.ResourceParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.annotation.Sort;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.api.RequestTypeEnum;
import ca.uhn.fhir.rest.api.SortSpec;
import ca.uhn.fhir.rest.api.SummaryEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.DateAndListParam;
import ca.uhn.fhir.rest.param.ReferenceAndListParam;
import ca.uhn.fhir.rest.param.StringAndListParam;
import ca.uhn.fhir.rest.param.StringParam;
import ca.uhn.fhir.rest.param.TokenAndListParam;
import ca.uhn.fhir.rest.param.UriAndListParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.RestfulServerUtils;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.MethodNotAllowedException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.atnabridge.search.feed.AuditEventFeed;
import org.atnabridge.search.feed.FeedRequests;
import org.atnabridge.store.AuditEventSearch;
import org.atnabridge.store.AuditQuery;
import org.atnabridge.store.query.SearchParameterMapper;
import org.atnabridge.store.query.SearchParameters;
import org.hl7.fhir.instance.model.api.IAnyResource;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.IdType;
import org.jspecify.annotations.Nullable;

/**
 * AuditEvent read, search (R5 names plus the ITI-81 chained patient form) and create (the FHIR
 * Feed). Reads delegate to the store; creates go to the feed, never to the store directly.
 */
public final class AuditEventResourceProvider implements IResourceProvider {

  /**
   * The names of the search parameters {@link #search} declares (what HAPI parses and the
   * CapabilityStatement lists), read from its annotations so the list cannot drift from them.
   */
  static final Set<String> SEARCH_PARAMETERS = declaredSearchParameters();

  private final AuditEventSearch search;
  private final ApiSettings settings;
  private final @Nullable AuditEventFeed feed;
  private final Clock clock;

  public AuditEventResourceProvider(AuditEventSearch search, int defaultPageSize) {
    this(search, defaultPageSize, null, Clock.systemUTC());
  }

  /**
   * @param feed where posted AuditEvents go; null makes create answer 405 (a read-only replica)
   */
  public AuditEventResourceProvider(
      AuditEventSearch search, int defaultPageSize, @Nullable AuditEventFeed feed, Clock clock) {
    this(
        search,
        new ApiSettings(defaultPageSize, ApiSettings.DEFAULTS.maxPageSize(), false),
        feed,
        clock);
  }

  /**
   * @param feed where posted AuditEvents go; null makes create answer 405 (a read-only replica)
   */
  public AuditEventResourceProvider(
      AuditEventSearch search, ApiSettings settings, @Nullable AuditEventFeed feed, Clock clock) {
    this.search = search;
    this.settings = settings;
    this.feed = feed;
    this.clock = clock;
  }

  /**
   * ITI-20 "Send Audit Resource" (FHIR Feed): the body is parsed strictly, checked, given its
   * content-derived id and made durable in {@code audit.posted} (the intake of {@code
   * audit.events}) before 201 is answered.
   */
  @Create
  public MethodOutcome create(@ResourceParam String body, RequestDetails request) {
    if (feed == null) {
      throw new MethodNotAllowedException(
          "this server does not accept AuditEvents", RequestTypeEnum.GET);
    }
    String contentType = request.getHeader("Content-Type");
    EncodingEnum encoding =
        contentType == null ? null : EncodingEnum.forContentType(contentType.split(";")[0].trim());
    AuditEvent event =
        FeedRequests.accept(
            FeedRequests.postedBy(FeedRequests.parse(body, encoding, AuditEvent.class), request),
            clock.instant());
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
    return search
        .read(id.getIdPart())
        .orElseThrow(() -> new ResourceNotFoundException(new IdType("AuditEvent", id.getIdPart())));
  }

  /**
   * ITI-81 "Retrieve ATNA Audit Event" on R5: every R5 AuditEvent search parameter, the R4/ITI-81
   * aliases and the common ones. The filters are read from the request by the parameter table
   * ({@link SearchParameters}, {@link org.atnabridge.store.SearchField}); the arguments below are
   * only their declaration to HAPI, which binds the method, checks the chains and lists them in the
   * CapabilityStatement: one per FHIR row of the table and alias, of the row's type (a test holds
   * the two together).
   */
  @Search
  public Bundle search(
      @OptionalParam(name = AuditEvent.SP_DATE) @Nullable DateAndListParam date,
      @OptionalParam(
              name = AuditEvent.SP_PATIENT,
              chainWhitelist = {
                OptionalParam.ALLOW_CHAIN_NOTCHAINED,
                SearchParameterMapper.IDENTIFIER
              })
          @Nullable ReferenceAndListParam patient,
      @OptionalParam(
              name = AuditEvent.SP_AGENT,
              chainWhitelist = {
                OptionalParam.ALLOW_CHAIN_NOTCHAINED,
                SearchParameterMapper.IDENTIFIER
              })
          @Nullable ReferenceAndListParam agent,
      @OptionalParam(
              name = AuditEvent.SP_ENTITY,
              chainWhitelist = {
                OptionalParam.ALLOW_CHAIN_NOTCHAINED,
                SearchParameterMapper.IDENTIFIER
              })
          @Nullable ReferenceAndListParam entity,
      @OptionalParam(
              name = AuditEvent.SP_SOURCE,
              chainWhitelist = {
                OptionalParam.ALLOW_CHAIN_NOTCHAINED,
                SearchParameterMapper.IDENTIFIER
              })
          @Nullable ReferenceAndListParam source,
      @OptionalParam(
              name = AuditEvent.SP_BASED_ON,
              chainWhitelist = {
                OptionalParam.ALLOW_CHAIN_NOTCHAINED,
                SearchParameterMapper.IDENTIFIER
              })
          @Nullable ReferenceAndListParam basedOn,
      @OptionalParam(
              name = AuditEvent.SP_ENCOUNTER,
              chainWhitelist = {
                OptionalParam.ALLOW_CHAIN_NOTCHAINED,
                SearchParameterMapper.IDENTIFIER
              })
          @Nullable ReferenceAndListParam encounter,
      @OptionalParam(name = AuditEvent.SP_ACTION) @Nullable TokenAndListParam action,
      @OptionalParam(name = AuditEvent.SP_AGENT_ROLE) @Nullable TokenAndListParam agentRole,
      @OptionalParam(name = AuditEvent.SP_CATEGORY) @Nullable TokenAndListParam category,
      @OptionalParam(name = "type") @Nullable TokenAndListParam type,
      @OptionalParam(name = AuditEvent.SP_CODE) @Nullable TokenAndListParam code,
      @OptionalParam(name = "subtype") @Nullable TokenAndListParam subtype,
      @OptionalParam(name = AuditEvent.SP_ENTITY_ROLE) @Nullable TokenAndListParam entityRole,
      @OptionalParam(name = "entity-type") @Nullable TokenAndListParam entityType,
      @OptionalParam(name = AuditEvent.SP_OUTCOME) @Nullable TokenAndListParam outcome,
      @OptionalParam(name = AuditEvent.SP_PURPOSE) @Nullable TokenAndListParam purpose,
      @OptionalParam(name = "altid") @Nullable TokenAndListParam altid,
      @OptionalParam(name = "site") @Nullable TokenAndListParam site,
      @OptionalParam(name = AuditEvent.SP_POLICY) @Nullable UriAndListParam policy,
      @OptionalParam(name = "agent-name") @Nullable StringAndListParam agentName,
      @OptionalParam(name = "entity-name") @Nullable StringAndListParam entityName,
      @OptionalParam(name = "address") @Nullable StringAndListParam address,
      @OptionalParam(name = IAnyResource.SP_RES_ID) @Nullable TokenAndListParam id,
      @OptionalParam(name = Constants.PARAM_LASTUPDATED) @Nullable DateAndListParam lastUpdated,
      @OptionalParam(name = Constants.PARAM_TAG) @Nullable TokenAndListParam tag,
      @OptionalParam(name = Constants.PARAM_SECURITY) @Nullable TokenAndListParam security,
      @OptionalParam(name = Constants.PARAM_TEXT) @Nullable StringAndListParam text,
      @OptionalParam(name = Constants.PARAM_CONTENT) @Nullable StringAndListParam content,
      @Sort @Nullable SortSpec sort,
      @OptionalParam(name = CursorPages.CURSOR) @Nullable StringParam cursor,
      @Count @Nullable Integer count,
      RequestDetails request) {
    return searchPage(sort, cursor, count, request, true);
  }

  /**
   * The search of {@link #search}, for every face of the store (the R4 base too): the filters are
   * read from {@code request}'s parameters by the one parameter table, whatever base declared them.
   *
   * @param subsetEntries whether {@code _elements} is applied to the R5 entries; false for a face
   *     that subsets its own representation
   */
  public Bundle searchPage(
      @Nullable SortSpec sort,
      @Nullable StringParam cursor,
      @Nullable Integer count,
      RequestDetails request,
      boolean subsetEntries) {
    UnknownParameterInterceptor.throwIfRefused(request);
    AuditQuery.Builder b = AuditQuery.builder();
    String undeclared =
        SearchParameters.apply(
            b, request.getParameters(), UnknownParameterInterceptor.RESULT_PARAMETERS);
    if (undeclared
        != null) { // HAPI binds only declared names and the interceptor drops the rest: never here
      throw new InvalidRequestException("unknown search parameter " + undeclared);
    }
    SearchParameterMapper.sort(b, sort);
    if (settings.requireDateWindow()) {
      requireDateWindow(b.build());
    }
    if (cursor != null && (cursor.getMissing() != null || cursor.getValue() == null)) {
      throw new InvalidRequestException(
          CursorPages.CURSOR + " takes the value of a next or previous link, no modifier");
    }
    boolean countOnly =
        count != null && count == 0
            || RestfulServerUtils.determineSummaryMode(request).contains(SummaryEnum.COUNT);
    AuditQuery query =
        b.limit(countOnly ? 0 : pageSize(count))
            .cursor(cursor == null || cursor.getValue().isBlank() ? null : cursor.getValue())
            .build();
    return CursorPages.page(search, query, request, subsetEntries);
  }

  /**
   * {@code _count}: default when absent, clamped to the maximum (FHIR lets a server return fewer).
   */
  private int pageSize(@Nullable Integer count) {
    if (count == null) {
      return settings.defaultPageSize();
    }
    if (count < 0) {
      throw new InvalidRequestException(Constants.PARAM_COUNT + " must be 0 or more: " + count);
    }
    return Math.min(settings.maxPageSize(), count);
  }

  /**
   * The optional ITI-81 rule: both a lower and an upper bound on {@code date}. Single values give
   * both ({@code date=2026-01-05} is that day); {@code ne} or comma alternatives do not bound.
   */
  private static void requireDateWindow(AuditQuery query) {
    if (query.recordedFrom() == null || query.recordedTo() == null) {
      throw new InvalidRequestException(
          "this server requires a date window: give both a lower and an upper "
              + "bound on date, e.g. date=ge2026-01-01&date=lt2026-02-01");
    }
  }

  private static Set<String> declaredSearchParameters() {
    Set<String> names = new TreeSet<>();
    for (Method m : AuditEventResourceProvider.class.getMethods()) {
      if (m.isAnnotationPresent(Search.class)) {
        for (Annotation[] annotations : m.getParameterAnnotations()) {
          for (Annotation a : annotations) {
            if (a instanceof OptionalParam p) {
              names.add(p.name());
            }
          }
        }
      }
    }
    return Set.copyOf(names);
  }
}
