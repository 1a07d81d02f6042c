package org.atnabridge.search;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces any exception that is not a deliberate FHIR error response (4xx/5xx built by our
 * code or HAPI's parameter checks) with a generic 500, so exception messages, class names and
 * stack traces never reach a client. The detail goes to the server log with a correlation id.
 */
@Interceptor
public final class ExceptionSanitizingInterceptor {

  private static final Logger LOG = LoggerFactory.getLogger(ExceptionSanitizingInterceptor.class);

  @Hook(Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION)
  public BaseServerResponseException sanitize(RequestDetails request, Throwable exception) {
    if (exception instanceof BaseServerResponseException response && !(exception instanceof InternalErrorException)) {
      return response;
    }
    String requestId = request.getRequestId();
    Throwable cause = exception instanceof InternalErrorException && exception.getCause() != null
        ? exception.getCause() : exception;
    LOG.error("request {} failed", requestId, cause);
    return new InternalErrorException("internal error (request " + requestId + ")");
  }
}
