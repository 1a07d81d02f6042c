package org.atnabridge.search.r4;

import ca.uhn.fhir.rest.annotation.Transaction;
import ca.uhn.fhir.rest.annotation.TransactionParam;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import java.nio.charset.StandardCharsets;
import org.atnabridge.search.feed.FeedBundleProvider;
import org.atnabridge.search.feed.FeedRequests;
import org.atnabridge.search.feed.RequestEncoding;
import org.hl7.fhir.convertors.factory.VersionConvertorFactory_40_50;
import org.hl7.fhir.r4.model.Bundle;

/**
 * ITI-20 "Send Audit Bundle" on the R4 base: {@code POST /fhir/R4} with an R4 batch or transaction
 * Bundle of AuditEvents. The body is read strictly as R4, converted to R5 and fed exactly as on the
 * R5 base ({@link FeedBundleProvider#accept}); the response Bundle is R4.
 */
public final class R4FeedBundleProvider {

  private final FeedBundleProvider r5;

  public R4FeedBundleProvider(FeedBundleProvider r5) {
    this.r5 = r5;
  }

  @Transaction
  public Bundle transaction(@TransactionParam Bundle ignoredLenientParse, RequestDetails request) {
    // re-read the body strictly: HAPI's own parse of the bundle tolerates unknown elements
    String body = new String(request.loadRequestContents(), StandardCharsets.UTF_8);
    org.hl7.fhir.r5.model.Bundle bundle =
        FeedRequests.parseR4(body, RequestEncoding.of(request), org.hl7.fhir.r5.model.Bundle.class);
    return (Bundle) VersionConvertorFactory_40_50.convertResource(r5.accept(bundle, request));
  }
}
