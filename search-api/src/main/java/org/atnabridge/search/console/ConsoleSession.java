package org.atnabridge.search.console;

import java.time.Instant;
import java.util.Set;
import org.atnabridge.search.security.Caller;
import org.jspecify.annotations.Nullable;

/**
 * A signed-in officer, as the session cookie says.
 *
 * @param token the access token the API accepts: of the local issuer, or of the external provider
 * @param caller what the token grants (subject, scopes, patient, clearance, token id)
 * @param csrf the value state-changing requests must repeat in {@value ConsoleSessions#CSRF_HEADER}
 * @param expires when the token, and so the session, expires
 * @param cookie the session cookie's value: the token itself (local issuer), or the provider's
 *     token and the CSRF token ({@code <token>~<csrf>}, sign-in by OpenID Connect)
 * @param id what sign-out records as revoked: the token's {@code jti} (local issuer) or the SHA-256
 *     of the provider's token (which need not carry a {@code jti})
 */
public record ConsoleSession(
    String token, Caller caller, String csrf, Instant expires, String cookie, String id) {

  public String tokenId() {
    return id;
  }

  public String scope() {
    return caller.scopes().toString();
  }

  public @Nullable String patient() {
    return caller.patient();
  }

  public Set<String> clearance() {
    return caller.clearance();
  }
}
