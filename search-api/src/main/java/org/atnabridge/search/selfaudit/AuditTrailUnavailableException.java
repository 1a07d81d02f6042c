package org.atnabridge.search.selfaudit;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;

/** 503: the access could not be recorded, so it is not served. */
public final class AuditTrailUnavailableException extends BaseServerResponseException {
  private static final long serialVersionUID = 1L;

  public AuditTrailUnavailableException() {
    super(503, "the audit trail cannot record this access right now; try again later");
  }
}
