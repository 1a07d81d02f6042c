package org.atnabridge.search;

import java.nio.ByteBuffer;
import java.util.Set;
import org.atnabridge.search.security.SecurityHeaders;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The outermost handler of the API listener, in front of every path ({@code /fhir}, {@code
 * /metrics}, anything else): puts the {@link SecurityHeaders} on every response and refuses TRACE
 * (and its alias TRACK) with 405, since a servlet's default TRACE echoes the request's headers,
 * credentials included, back to any script that can send one (Cross-Site Tracing, CWE-693).
 */
final class EdgeHandler extends Handler.Wrapper {

  static final Set<String> REFUSED_METHODS = Set.of("TRACE", "TRACK");

  EdgeHandler(Handler next) {
    super(next);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    SecurityHeaders.apply(response.getHeaders()::put);
    if (REFUSED_METHODS.contains(request.getMethod())) {
      response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD, POST, OPTIONS");
      Response.writeError(request, response, callback, 405);
      return true;
    }
    return super.handle(request, response, callback);
  }

  /**
   * Jetty's error pages (a request line or header Jetty refuses before any handler runs: 400, 414,
   * 431; and whatever the handlers answer with {@code writeError}) with the security headers and no
   * detail beyond the status.
   */
  static final class Errors extends ErrorHandler {

    Errors() {
      setShowStacks(false);
      setShowCauses(false);
      setShowMessageInTitle(false);
      setShowOrigin(false);
      setCacheControl(SecurityHeaders.ALL.get("Cache-Control"));
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      SecurityHeaders.apply(response.getHeaders()::put);
      return super.handle(request, response, callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
      SecurityHeaders.apply(fields::put);
      return super.badMessageError(status, reason, fields);
    }
  }
}
