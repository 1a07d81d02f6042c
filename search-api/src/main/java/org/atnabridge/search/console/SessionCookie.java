package org.atnabridge.search.console;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The session cookie: HttpOnly (no script reads it), SameSite=Strict (no other site's page sends
 * it), Path=/. Over HTTPS it is Secure and named with the {@code __Host-} prefix, which browsers
 * accept only from a secure origin, without Domain, for Path=/ (RFC 6265bis §4.1.3.2): no sibling
 * host can set or shadow it.
 */
public final class SessionCookie {

  private final String name;
  private final boolean secure;
  private final String sameSite;

  public SessionCookie(boolean https) {
    this(https, "atna-session", "Strict");
  }

  private SessionCookie(boolean https, String name, String sameSite) {
    this.secure = https;
    this.name = https ? "__Host-" + name : name;
    this.sameSite = sameSite;
  }

  /**
   * The pre-session cookie of a sign-in by OpenID Connect: it names the started sign-in (state,
   * nonce, PKCE verifier, kept on the server) until the provider sends the browser back. That
   * return is a navigation from the provider's site, on which browsers send no SameSite=Strict
   * cookie, so this one is SameSite=Lax (sent on top-level GET navigations only); it grants nothing
   * by itself.
   */
  public static SessionCookie signIn(boolean https) {
    return new SessionCookie(https, "atna-signin", "Lax");
  }

  public String name() {
    return name;
  }

  /** The {@code Set-Cookie} value that starts a session of {@code token}. */
  public String set(String token, Duration maxAge) {
    return attributes(name + "=" + token, maxAge.toSeconds());
  }

  /** The {@code Set-Cookie} value that makes the browser drop the cookie. */
  public String clear() {
    return attributes(name + "=", 0);
  }

  private String attributes(String pair, long maxAge) {
    return pair
        + "; Path=/; Max-Age="
        + maxAge
        + "; HttpOnly; SameSite="
        + sameSite
        + (secure ? "; Secure" : "");
  }

  /** The cookie's value in a request, or null. */
  public @Nullable String value(HttpServletRequest request) {
    Cookie[] cookies = request.getCookies();
    if (cookies == null) {
      return null;
    }
    for (Cookie c : cookies) {
      if (name.equals(c.getName())) {
        return c.getValue();
      }
    }
    return null;
  }
}
