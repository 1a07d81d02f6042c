package org.atnabridge.search.console;

import java.time.Instant;
import java.util.Set;
import org.atnabridge.search.security.Caller;
import org.jspecify.annotations.Nullable;

/**
 * A signed-in officer, as the session cookie says.
 *
 * @param token the cookie's value: an access token of the local issuer the API accepts
 * @param caller what the token grants (subject, scopes, patient, clearance, token id)
 * @param csrf the value state-changing requests must repeat in {@value ConsoleSessions#CSRF_HEADER}
 * @param expires when the token, and so the session, expires
 */
public record ConsoleSession(String token, Caller caller, String csrf, Instant expires) {

  public String tokenId() {
    String id = caller.tokenId();
    return id == null ? "" : id;
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
