package org.atnabridge.search;

import ca.uhn.fhir.rest.annotation.Count;
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

/** AuditEvent read and search (R5 names plus the ITI-81 chained patient form). Delegates to the store. */
public final class AuditEventResourceProvider implements IResourceProvider {

  private final AuditEventSearch search;
  private final int defaultPageSize;

  public AuditEventResourceProvider(AuditEventSearch search, int defaultPageSize) {
    this.search = search;
    this.defaultPageSize = defaultPageSize;
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
