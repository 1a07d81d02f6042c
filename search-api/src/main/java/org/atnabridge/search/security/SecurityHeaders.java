package org.atnabridge.search.security;

import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The browser-safety headers every response carries, the servlet's and Jetty's own error answers
 * alike: no MIME sniffing, a Content-Security-Policy that lets no HTML page (HAPI's HTML rendering
 * included) load anything or be framed, no Referer leaking query strings, and no caching of audit
 * data anywhere between server and client.
 */
public final class SecurityHeaders {

  static final String CSP =
      "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

  /** Name to value, in a fixed order. */
  public static final Map<String, String> ALL =
      java.util.Collections.unmodifiableMap(
          new java.util.LinkedHashMap<>(
              Map.of(
                  "X-Content-Type-Options",
                  "nosniff",
                  "Content-Security-Policy",
                  CSP,
                  "X-Frame-Options",
                  "DENY",
                  "Referrer-Policy",
                  "no-referrer",
                  "Cache-Control",
                  "no-store")));

  private SecurityHeaders() {}

  /** Sets each header (replacing any value it had) through {@code put}. */
  public static void apply(BiConsumer<String, String> put) {
    ALL.forEach(put);
  }
}
