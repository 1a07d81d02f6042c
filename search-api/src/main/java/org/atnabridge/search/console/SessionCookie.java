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

  public SessionCookie(boolean https) {
    this.secure = https;
    this.name = https ? "__Host-atna-session" : "atna-session";
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
        + "; HttpOnly; SameSite=Strict"
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
