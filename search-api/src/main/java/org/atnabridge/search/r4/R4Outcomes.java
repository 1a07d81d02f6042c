package org.atnabridge.search.r4;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import org.hl7.fhir.convertors.factory.VersionConvertorFactory_40_50;
import org.jspecify.annotations.Nullable;

/**
 * The errors of the R4 base in R4: the feed's checks are the R5 base's and attach R5
 * OperationOutcomes (422 with every issue); on this base they are answered as R4 ones, which HAPI's
 * R4 encoder can write.
 */
@Interceptor
public final class R4Outcomes {

  /**
   * HAPI stops at the first hook that returns an exception: register this one before the sanitizing
   * one, which then sees every other exception.
   *
   * @return the exception with its outcome in R4, or null when it has no R5 outcome
   */
  @Hook(Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION)
  public @Nullable BaseServerResponseException inR4(Throwable exception) {
    if (exception instanceof BaseServerResponseException e
        && e.getOperationOutcome() instanceof org.hl7.fhir.r5.model.OperationOutcome r5) {
      e.setOperationOutcome(
          (org.hl7.fhir.r4.model.OperationOutcome)
              VersionConvertorFactory_40_50.convertResource(r5));
      return e;
    }
    return null;
  }
}
