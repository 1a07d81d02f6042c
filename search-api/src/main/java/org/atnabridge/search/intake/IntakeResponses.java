package org.atnabridge.search.intake;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.atnabridge.search.security.OutcomeResponses;
import org.hl7.fhir.r5.model.OperationOutcome;

/**
 * The intake's answers: {@code {"accepted": N}} for 202, and for every refusal an OperationOutcome
 * as the FHIR API's refusals carry, whose diagnostics say what to change and never quote the body,
 * a token or an internal.
 */
final class IntakeResponses {

  private IntakeResponses() {}

  static void accepted(HttpServletResponse response, int count) throws IOException {
    write(response, 202, "application/json", "{\"accepted\":" + count + "}");
  }

  static void refuse(
      HttpServletResponse response, int status, OperationOutcome.IssueType type, String diagnostics)
      throws IOException {
    // a refusal may leave the body unread: the connection is not reused, so a client's next request
    // (Fluent Bit, Vector keep connections) never lands on a socket the server is closing
    response.setHeader("Connection", "close");
    OutcomeResponses.write(response, status, type, diagnostics);
  }

  private static void write(
      HttpServletResponse response, int status, String contentType, String text)
      throws IOException {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    response.setStatus(status);
    response.setContentType(contentType);
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }
}
