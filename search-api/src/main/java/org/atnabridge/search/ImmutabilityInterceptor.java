package org.atnabridge.search;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.Constants;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import org.atnabridge.schemas.Fhir;
import org.hl7.fhir.r5.model.OperationOutcome;

/**
 * Audit records are immutable evidence: PUT, PATCH and DELETE (but PUT and DELETE of a
 * Subscription) answer 405 with an OperationOutcome and an {@code Allow} header, and so do {@code
 * _history} and vread, which an append-only store has nothing to offer for. It answers before HAPI
 * looks for a handler, so the answer is the same whatever the path (HAPI itself would say 400
 * "unknown operation").
 */
@Interceptor
public final class ImmutabilityInterceptor {

  private static final Set<String> WRITES = Set.of("PUT", "PATCH", "DELETE");
  private static final long MAX_DRAIN = 1024 * 1024;

  @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_PROCESSED)
  public boolean refuseChanges(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String method = request.getMethod().toUpperCase(Locale.ROOT);
    String path = request.getPathInfo() == null ? "" : request.getPathInfo();
    if (WRITES.contains(method) && !subscription(path)) {
      drainBody(request, response);
      refuse(response, "AuditEvents are immutable: " + method + " is not allowed");
      return false;
    }
    if (path.contains("/_history")) {
      refuse(response, "history and vread are not supported: AuditEvents have exactly one version");
      return false;
    }
    return true;
  }

  /**
   * Subscriptions are configuration, not evidence: {@code PUT} and {@code DELETE} of {@code
   * Subscription/[id]} are theirs (the Subscription provider answers them).
   */
  private static boolean subscription(String path) {
    return path.startsWith("/Subscription/") && path.indexOf('/', "/Subscription/".length()) < 0;
  }

  /**
   * Reads and discards the refused request's body (up to {@value #MAX_DRAIN} octets): answering
   * before the client has finished sending makes the server close the connection under it, and the
   * client then sees a reset instead of the 405. A larger body is not read: the connection is
   * closed after the answer.
   */
  private static void drainBody(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    long declared = request.getContentLengthLong();
    if (declared > MAX_DRAIN) {
      response.setHeader("Connection", "close");
      return;
    }
    byte[] buffer = new byte[8192];
    long read = 0;
    var in = request.getInputStream();
    for (int n; read <= MAX_DRAIN && (n = in.read(buffer)) >= 0; ) {
      read += n;
    }
    if (read > MAX_DRAIN) {
      response.setHeader("Connection", "close");
    }
  }

  private static void refuse(HttpServletResponse response, String message) throws IOException {
    OperationOutcome outcome = new OperationOutcome();
    outcome
        .addIssue()
        .setSeverity(OperationOutcome.IssueSeverity.ERROR)
        .setCode(OperationOutcome.IssueType.NOTSUPPORTED)
        .setDiagnostics(message);
    byte[] body =
        Fhir.jsonParser().encodeResourceToString(outcome).getBytes(StandardCharsets.UTF_8);
    response.setStatus(405);
    response.setHeader("Allow", "GET, POST");
    response.setContentType(Constants.CT_FHIR_JSON_NEW + ";charset=utf-8");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }
}
