package org.atnabridge.search.security;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Sets the {@link SecurityHeaders} before the servlet runs, so that its errors carry them too.
 * Jetty's own answers (bad requests, refused methods, paths outside the servlets) get them from the
 * server's handler and error handler ({@code SearchServer}).
 */
public final class SecurityHeadersFilter implements Filter {

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    HttpServletResponse response = (HttpServletResponse) res;
    SecurityHeaders.apply(response::setHeader);
    chain.doFilter(req, res);
  }
}
