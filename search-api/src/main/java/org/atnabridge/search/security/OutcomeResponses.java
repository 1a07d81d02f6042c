package org.atnabridge.search.security;

import ca.uhn.fhir.rest.api.Constants;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.atnabridge.schemas.Fhir;
import org.hl7.fhir.r5.model.OperationOutcome;
import org.jspecify.annotations.Nullable;

/**
 * Answers with an OperationOutcome from below HAPI (servlet level), where HAPI cannot format it:
 * the feed's, the access log intake's and authentication's refusals.
 */
public final class OutcomeResponses {

  private OutcomeResponses() {}

  public static void write(
      HttpServletResponse response,
      int status,
      OperationOutcome.IssueType type,
      @Nullable String diagnostics)
      throws IOException {
    OperationOutcome outcome = new OperationOutcome();
    outcome
        .addIssue()
        .setSeverity(OperationOutcome.IssueSeverity.ERROR)
        .setCode(type)
        .setDiagnostics(diagnostics);
    write(response, status, outcome);
  }

  public static void write(HttpServletResponse response, int status, OperationOutcome outcome)
      throws IOException {
    byte[] body =
        Fhir.jsonParser().encodeResourceToString(outcome).getBytes(StandardCharsets.UTF_8);
    response.setStatus(status);
    response.setContentType(Constants.CT_FHIR_JSON_NEW + ";charset=utf-8");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }
}
