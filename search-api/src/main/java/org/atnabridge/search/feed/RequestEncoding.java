package org.atnabridge.search.feed;

import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import org.jspecify.annotations.Nullable;

/** The body encoding a request declares in its Content-Type, or null to sniff it. */
public final class RequestEncoding {

  private RequestEncoding() {}

  public static @Nullable EncodingEnum of(RequestDetails request) {
    String contentType = request.getHeader("Content-Type");
    return contentType == null
        ? null
        : EncodingEnum.forContentType(contentType.split(";")[0].trim());
  }
}
