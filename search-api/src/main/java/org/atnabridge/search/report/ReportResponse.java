package org.atnabridge.search.report;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import ca.uhn.fhir.rest.server.RestfulServerUtils;
import ca.uhn.fhir.rest.server.method.BaseResourceReturningMethodBinding;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a report answers once its operation writes the response itself ({@code manualResponse}), so
 * that CSV can be streamed: a FHIR resource goes out as HAPI would send it (format negotiation,
 * {@code _pretty}, writer interceptors), CSV row by row as the report produces the rows, so no row
 * limit and no answer held in memory.
 *
 * <p>Either way the {@code SERVER_OUTGOING_RESPONSE} hooks run before the first byte is written, as
 * they do for every other answer: the self-audit record is published first, and a request it cannot
 * be recorded for is refused (503) with nothing sent.
 */
final class ReportResponse {

  /** Rows written between flushes: a client sees the download progress. */
  private static final Logger LOG = LoggerFactory.getLogger(ReportResponse.class);

  private static final int FLUSH_EVERY = 1_000;

  private ReportResponse() {}

  /** The report as a FHIR resource, in the format the request asked for. */
  static void resource(RequestDetails request, IBaseResource resource) {
    ResponseDetails details = new ResponseDetails(200, resource);
    if (!BaseResourceReturningMethodBinding.callOutgoingResponseHook(request, details)) {
      return; // an interceptor answered
    }
    try {
      RestfulServerUtils.streamResponseAsResource(
          request.getServer(),
          details.getResponseResource(),
          RestfulServerUtils.determineSummaryMode(request),
          details.getResponseCode(),
          false,
          request.isRespondGzip(),
          request);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Where a report writes its CSV rows. */
  interface Rows {
    void row(List<String> cells);
  }

  /** A report that writes its rows, one call per row. */
  interface Report {
    void write(Rows rows);
  }

  /**
   * The CSV answer (RFC 4180, header row, {@code text/csv; charset=utf-8}): the header, then each
   * row as {@code report} gives it.
   */
  static void csv(RequestDetails request, List<String> header, Report report) {
    ResponseDetails details = new ResponseDetails(200, null);
    if (!BaseResourceReturningMethodBinding.callOutgoingResponseHook(request, details)) {
      return;
    }
    try {
      Writer out = request.getResponse().getResponseWriter(200, ReportRequest.CSV, "utf-8", false);
      out.write(Csv.row(header));
      int[] written = {0};
      try {
        report.write(
            cells -> {
              try {
                out.write(Csv.row(cells));
                if (++written[0] % FLUSH_EVERY == 0) {
                  out.flush();
                }
              } catch (IOException e) {
                // the client went away: stop reading the store
                throw new UncheckedIOException(e);
              }
            });
      } catch (RuntimeException e) {
        if (abortCommitted(request, e, written[0])) {
          return;
        }
        throw e;
      }
      request.getResponse().commitResponse(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * When rows already went out under a 200, an error can no longer be answered: the connection is
   * aborted instead (no last chunk), so the client sees a failed download, never a shorter file
   * that looks whole or one with an error body appended to its rows. Returns false (nothing done)
   * while the response is still uncommitted: then the error is answered as usual (e.g. 503).
   */
  private static boolean abortCommitted(RequestDetails request, RuntimeException e, int rows) {
    if (!(request instanceof ServletRequestDetails servlet)
        || !servlet.getServletResponse().isCommitted()) {
      return false;
    }
    LOG.warn(
        "CSV export aborted after {} row(s), the response already sent: {}", rows, e.toString());
    ServletContextRequest.getServletContextRequest(servlet.getServletRequest())
        .getServletChannel()
        .abort(e);
    return true;
  }
}
