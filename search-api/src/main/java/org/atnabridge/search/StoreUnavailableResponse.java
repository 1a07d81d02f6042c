package org.atnabridge.search;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.util.OperationOutcomeUtil;
import org.hl7.fhir.instance.model.api.IBaseOperationOutcome;

/**
 * 503 with {@code Retry-After} (RFC 9110 §10.2.3) for a request the audit store could not answer
 * because it is unavailable right now: an OperationOutcome of severity {@code error} and issue type
 * {@code no-store} ("the persistent store is unavailable", FHIR R5 IssueType), in the FHIR version
 * of the endpoint asked. Nothing of the cause reaches the client; the store logs the outage once.
 */
final class StoreUnavailableResponse extends BaseServerResponseException {
  private static final long serialVersionUID = 1L;

  /** Seconds a client should wait before trying again: a node restart is seconds to a minute. */
  static final String RETRY_AFTER_SECONDS = "10";

  static final String MESSAGE = "the audit store is unavailable right now; try again later";

  private StoreUnavailableResponse(IBaseOperationOutcome outcome) {
    super(503, MESSAGE, outcome);
    addResponseHeader("Retry-After", RETRY_AFTER_SECONDS);
  }

  static StoreUnavailableResponse of(FhirContext fhir) {
    IBaseOperationOutcome outcome = OperationOutcomeUtil.newInstance(fhir);
    OperationOutcomeUtil.addIssue(fhir, outcome, "error", MESSAGE, null, "no-store");
    return new StoreUnavailableResponse(outcome);
  }
}
