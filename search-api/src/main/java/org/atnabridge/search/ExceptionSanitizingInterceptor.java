package org.atnabridge.search;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import org.atnabridge.store.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces any exception that is not a deliberate FHIR error response (4xx/5xx built by our code or
 * HAPI's parameter checks) with a generic 500, so exception messages, class names and stack traces
 * never reach a client. The detail goes to the server log with a correlation id. A value HAPI could
 * not read from the request ({@link DataFormatException}) is the client's error: 400 with the
 * cleaned parser message. A store that cannot be reached ({@link StoreUnavailableException}) is
 * nobody's error: 503 with {@code Retry-After} ({@link StoreUnavailableResponse}), logged by the
 * store once per outage, not here once per request.
 */
@Interceptor
public final class ExceptionSanitizingInterceptor {

  private static final Logger LOG = LoggerFactory.getLogger(ExceptionSanitizingInterceptor.class);

  @Hook(Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION)
  public BaseServerResponseException sanitize(RequestDetails request, Throwable exception) {
    if (exception instanceof BaseServerResponseException response
        && !(exception instanceof InternalErrorException)) {
      return response;
    }
    for (Throwable t = exception; t != null; t = t.getCause()) {
      if (t instanceof DataFormatException invalid) {
        // HAPI could not read a value the client sent (a parameter such as _lastUpdated:not=p1):
        // 400, not 500
        return new InvalidRequestException(ParserMessages.clean(invalid.getMessage()));
      }
      if (t instanceof StoreUnavailableException) {
        LOG.debug("request {}: the store is unavailable", request.getRequestId(), t);
        return StoreUnavailableResponse.of(request.getFhirContext());
      }
    }
    String requestId = request.getRequestId();
    Throwable cause =
        exception instanceof InternalErrorException && exception.getCause() != null
            ? exception.getCause()
            : exception;
    LOG.error("request {} failed", requestId, cause);
    return new InternalErrorException("internal error (request " + requestId + ")");
  }
}
