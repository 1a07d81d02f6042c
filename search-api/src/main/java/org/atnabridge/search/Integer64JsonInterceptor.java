package org.atnabridge.search;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.RestfulServerUtils;
import java.io.Writer;

/**
 * Every JSON answer is written through {@link Integer64JsonWriter}, so {@code integer64} values
 * reach clients as R5 JSON strings, not as the numbers HAPI's encoder writes.
 */
@Interceptor
public final class Integer64JsonInterceptor {

  @Hook(Pointcut.SERVER_OUTGOING_WRITER_CREATED)
  public Writer quoteInteger64(Writer writer, RequestDetails request) {
    RestfulServerUtils.ResponseEncoding encoding =
        RestfulServerUtils.determineResponseEncodingWithDefault(request);
    return encoding.getEncoding() == EncodingEnum.JSON ? new Integer64JsonWriter(writer) : writer;
  }
}
