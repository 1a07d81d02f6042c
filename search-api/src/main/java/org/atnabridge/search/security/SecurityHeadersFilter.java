package org.atnabridge.search.security;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Browser-safety headers on every response, set before the handler runs so that errors carry
 * them too: no MIME sniffing, a Content-Security-Policy that lets no HTML page (HAPI's HTML
 * rendering included) load anything or be framed, no Referer leaking query strings, and no
 * caching of audit data anywhere between server and client.
 */
public final class SecurityHeadersFilter implements Filter {

  static final String CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
    HttpServletResponse response = (HttpServletResponse) res;
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader("Content-Security-Policy", CSP);
    response.setHeader("X-Frame-Options", "DENY");
    response.setHeader("Referrer-Policy", "no-referrer");
    response.setHeader("Cache-Control", "no-store");
    chain.doFilter(req, res);
  }
}
