package org.atnabridge.search.console;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The console as a client of the OpenID Connect provider, validated at start; messages name the
 * option.
 *
 * @param clientId {@code --oidc-client-id}
 * @param clientSecret from {@code --oidc-client-secret-file}, or null for a public client (PKCE
 *     alone); never logged ({@link #toString} hides it)
 * @param scopes {@code --oidc-scopes}: space-separated, must include {@code openid}
 */
public record OidcClient(String clientId, @Nullable String clientSecret, String scopes) {

  /** Sign-in as an OpenID Connect user, with the SMART scope the console's searches need. */
  public static final String DEFAULT_SCOPES = "openid " + Console.DEFAULT_SCOPE;

  public OidcClient {
    if (clientId == null || clientId.isBlank()) {
      throw new IllegalArgumentException("--oidc-client-id is empty");
    }
    clientId = clientId.trim();
    if (clientSecret != null && clientSecret.isBlank()) {
      throw new IllegalArgumentException("--oidc-client-secret-file holds no secret");
    }
    clientSecret = clientSecret == null ? null : clientSecret.strip();
    scopes = scopes == null ? "" : scopes.trim().replaceAll("\\s+", " ");
    if (!List.of(scopes.split(" ")).contains("openid")) {
      throw new IllegalArgumentException("--oidc-scopes must include openid, got: " + scopes);
    }
  }

  @Override
  public String toString() {
    return "OidcClient[clientId="
        + clientId
        + ", clientSecret="
        + (clientSecret == null ? "none" : "(hidden)")
        + ", scopes="
        + scopes
        + "]";
  }
}
