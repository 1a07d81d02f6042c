package org.atnabridge.search.feed;

import ca.uhn.fhir.rest.annotation.Transaction;
import ca.uhn.fhir.rest.annotation.TransactionParam;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.OperationOutcome;

/**
 * ITI-20 "Send Audit Bundle": {@code POST /fhir} with a {@code batch} or {@code transaction} Bundle
 * whose entries each POST an AuditEvent. A batch answers per entry (201 or the entry's error); a
 * transaction is all or nothing: any invalid entry fails the whole request and nothing is written.
 * Writes are idempotent (content-derived ids), so a retried bundle never duplicates.
 */
public final class FeedBundleProvider {

  private final AuditEventFeed feed;
  private final Clock clock;

  public FeedBundleProvider(AuditEventFeed feed, Clock clock) {
    this.feed = feed;
    this.clock = clock;
  }

  @Transaction
  public Bundle transaction(@TransactionParam Bundle ignoredLenientParse, RequestDetails request) {
    // re-read the body strictly: HAPI's own parse of the bundle tolerates unknown elements
    String body = new String(request.loadRequestContents(), StandardCharsets.UTF_8);
    return accept(FeedRequests.parse(body, RequestEncoding.of(request), Bundle.class), request);
  }

  /**
   * Feeds the entries of a strictly parsed R5 {@code bundle} (from any base: the R4 one converts
   * first) and answers as {@link #transaction} does.
   */
  public Bundle accept(Bundle bundle, RequestDetails request) {
    boolean transaction = bundle.getType() == Bundle.BundleType.TRANSACTION;
    if (!transaction && bundle.getType() != Bundle.BundleType.BATCH) {
      throw new InvalidRequestException(
          "Bundle.type must be batch or transaction, not " + bundle.getType());
    }
    Bundle response =
        new Bundle()
            .setType(
                transaction
                    ? Bundle.BundleType.TRANSACTIONRESPONSE
                    : Bundle.BundleType.BATCHRESPONSE);
    List<AuditEvent> accepted = new ArrayList<>();
    List<Bundle.BundleEntryComponent> acceptedEntries = new ArrayList<>();
    for (int i = 0; i < bundle.getEntry().size(); i++) {
      Bundle.BundleEntryComponent out = response.addEntry();
      try {
        AuditEvent event =
            FeedRequests.accept(
                FeedRequests.postedBy(entryEvent(bundle.getEntry().get(i), i), request),
                clock.instant());
        accepted.add(event);
        acceptedEntries.add(out);
        out.getResponse().setStatus("201 Created").setLocation("AuditEvent/" + event.getIdPart());
      } catch (BaseServerResponseException e) {
        if (transaction) {
          throw e.getStatusCode() == 422
              ? e
              : new InvalidRequestException("Bundle.entry[" + i + "]: " + e.getMessage());
        }
        OperationOutcome oo =
            e.getOperationOutcome() instanceof OperationOutcome o ? o : new OperationOutcome();
        if (!oo.hasIssue()) {
          oo.addIssue()
              .setSeverity(OperationOutcome.IssueSeverity.ERROR)
              .setCode(OperationOutcome.IssueType.INVALID)
              .setDiagnostics(e.getMessage());
        }
        out.getResponse()
            .setStatus(e.getStatusCode() + " " + Constants.HTTP_STATUS_NAMES.get(e.getStatusCode()))
            .setOutcome(oo);
      }
    }
    if (!accepted.isEmpty()) {
      feed.publish(accepted);
    }
    return response;
  }

  private static AuditEvent entryEvent(Bundle.BundleEntryComponent entry, int index) {
    if (!(entry.getResource() instanceof AuditEvent event)) {
      throw new InvalidRequestException(
          "Bundle.entry[" + index + "].resource must be an AuditEvent");
    }
    if (entry.hasRequest()) {
      String url = entry.getRequest().getUrl();
      if (entry.getRequest().getMethod() != Bundle.HTTPVerb.POST
          || url == null
          || !url.matches("/?AuditEvent/?")) {
        throw new InvalidRequestException(
            "Bundle.entry["
                + index
                + "].request must be POST AuditEvent: "
                + "AuditEvents are immutable");
      }
    }
    return event;
  }
}
