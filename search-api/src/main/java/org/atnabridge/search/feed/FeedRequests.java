package org.atnabridge.search.feed;

import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.search.FhirServerFactory;
import org.atnabridge.search.ParserMessages;
import org.atnabridge.search.security.RequestAccess;
import org.atnabridge.search.selfaudit.SelfAuditInterceptor;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.OperationOutcome;
import org.jspecify.annotations.Nullable;

/**
 * Turns a posted body into an accepted AuditEvent or a FHIR error: strict parsing (unknown elements
 * and wrong types are errors, not warnings), {@link FeedValidator} and {@link ServerOwnedMarks},
 * then the id derived from the content and the authenticated client ({@link FeedIds#postedId});
 * {@code meta.source} is the server's ({@link #postedBy}).
 */
public final class FeedRequests {

  private FeedRequests() {}

  /** Parses a body strictly; 400 naming the problem when it is not well-formed FHIR R5. */
  public static <T extends IBaseResource> T parse(
      String body, @Nullable EncodingEnum encoding, Class<T> type) {
    if (body == null || body.isBlank()) {
      throw new InvalidRequestException("the request has no body");
    }
    IParser parser =
        (encoding == null ? EncodingEnum.detectEncodingNoDefault(body) : encoding)
                == EncodingEnum.XML
            ? Fhir.context().newXmlParser()
            : Fhir.context().newJsonParser();
    parser.setParserErrorHandler(new StrictErrorHandler());
    try {
      return parser.parseResource(type, body);
    } catch (DataFormatException e) {
      throw new InvalidRequestException(
          "not a valid FHIR R5 "
              + type.getSimpleName()
              + ": "
              + ParserMessages.clean(e.getMessage()));
    }
  }

  /**
   * Parses an R4 body (an AuditEvent or a Bundle of them, as posted to the R4 base) strictly and
   * returns it as R5 {@code type}, with what HL7's converter drops restored ({@link
   * R4AuditEvents}).
   */
  public static <T extends IBaseResource> T parseR4(
      String body, @Nullable EncodingEnum encoding, Class<T> type) {
    boolean xml =
        (encoding == null ? EncodingEnum.detectEncodingNoDefault(body) : encoding)
            == EncodingEnum.XML;
    byte[] r5 = R4AuditEvents.toR5(body.getBytes(StandardCharsets.UTF_8), xml);
    return parse(
        new String(r5, StandardCharsets.UTF_8), xml ? EncodingEnum.XML : EncodingEnum.JSON, type);
  }

  /**
   * Records the authenticated client as {@code meta.source}, replacing whatever was posted: the
   * token's {@code sub} as the authentication layer bound it to the request; removed when the
   * server runs without authentication.
   */
  public static AuditEvent postedBy(AuditEvent event, RequestDetails request) {
    Object caller =
        request instanceof ServletRequestDetails servlet
            ? servlet.getServletRequest().getAttribute(SelfAuditInterceptor.CALLER_ATTRIBUTE)
            : null;
    if (caller != null) {
      event.getMeta().setSource(caller.toString());
    } else if (event.hasMeta()) {
      event.getMeta().setSourceElement(null);
    }
    return event;
  }

  /**
   * Validates and assigns the id; 422 with every issue when invalid, server-owned marks ({@link
   * ServerOwnedMarks}) included.
   */
  public static AuditEvent accept(AuditEvent event, Instant now) {
    List<FeedValidator.Issue> issues = new ArrayList<>(FeedValidator.check(event));
    issues.addAll(ServerOwnedMarks.check(event, FhirServerFactory.REPOSITORY_NAME));
    if (!issues.isEmpty()) {
      throw new UnprocessableEntityException(Fhir.context(), outcome(issues));
    }
    event.setId(FeedIds.postedId(event, client()));
    event.getMeta().setLastUpdated(Date.from(now));
    return event;
  }

  /**
   * The authenticated client of this request (token {@code sub}), or empty without authentication.
   */
  private static String client() {
    RequestAccess access = RequestAccess.current();
    return access == null ? "" : access.caller().subject();
  }

  public static OperationOutcome outcome(List<FeedValidator.Issue> issues) {
    OperationOutcome outcome = new OperationOutcome();
    for (FeedValidator.Issue issue : issues) {
      outcome
          .addIssue()
          .setSeverity(OperationOutcome.IssueSeverity.ERROR)
          .setCode(
              switch (issue.kind()) {
                case REQUIRED -> OperationOutcome.IssueType.REQUIRED;
                case ACTIVE_CONTENT -> OperationOutcome.IssueType.SECURITY;
                case SERVER_OWNED -> OperationOutcome.IssueType.FORBIDDEN;
              })
          .setDiagnostics(issue.message())
          .addExpression(issue.expression());
    }
    return outcome;
  }
}
