package org.atnabridge.allinone;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.atnabridge.search.ListenerSettings;
import org.atnabridge.search.SearchServer;
import org.atnabridge.search.VerifyLimits;
import org.atnabridge.search.console.OidcClient;
import org.atnabridge.search.security.AuthSettings;
import org.atnabridge.search.security.CorsSettings;
import org.atnabridge.search.security.LocalIssuer;
import org.atnabridge.search.security.OidcProvider;
import org.atnabridge.search.selfaudit.RequestScrubber;
import org.jspecify.annotations.Nullable;

/**
 * Security of the FHIR API, validated at start; messages name the {@code serve} option.
 *
 * <p>Tokens are always required unless {@code allowUnauthenticated}. Without {@code oidcIssuer} the
 * local issuer's key in {@code <data-dir>/keys/} is trusted ({@code atna-bridge token}); with it,
 * keys come from {@code oidcJwksUrl} or {@code oidcKeyFile} (exactly one).
 *
 * @param oidcIssuer {@code --oidc-issuer}: the exact {@code iss} of an external provider, or null
 * @param oidcJwksUrl {@code --oidc-jwks-url}
 * @param oidcKeyFile {@code --oidc-key-file}: a JWK, JWK Set or PEM public key file
 * @param oidcAudience {@code --oidc-audience}: the {@code aud} tokens must carry
 * @param clockSkew {@code --oidc-clock-skew}
 * @param patientClaim {@code --oidc-patient-claim}
 * @param clearanceClaim {@code --oidc-clearance-claim}
 * @param patientIdentifierSystem {@code --patient-identifier-system}, or null
 * @param deniedRead {@code --access-denied-read}
 * @param allowUnauthenticated {@code --dev-allow-unauthenticated}
 * @param httpsCert {@code --https-cert}, or null for plain HTTP
 * @param httpsKey {@code --https-key}
 * @param cors {@code --cors-origins}, {@code --cors-methods}, {@code --cors-headers}
 * @param edge the listener's limits, the public base URL and what is never recorded of a request
 * @param oidcClientId {@code --oidc-client-id}: the console signs in with the provider of {@code
 *     oidcIssuer} as this client (authorization code flow with PKCE), or null for no console on an
 *     external provider; with it, keys may come from the provider's discovery document
 * @param oidcClientSecretFile {@code --oidc-client-secret-file}: the client secret of a
 *     confidential client, or null for a public client
 * @param oidcScopes {@code --oidc-scopes}: what the console asks the provider for
 */
public record ApiConfig(
    @Nullable String oidcIssuer,
    @Nullable URI oidcJwksUrl,
    @Nullable Path oidcKeyFile,
    String oidcAudience,
    Duration clockSkew,
    String patientClaim,
    String clearanceClaim,
    @Nullable String patientIdentifierSystem,
    AuthSettings.DeniedRead deniedRead,
    boolean allowUnauthenticated,
    @Nullable Path httpsCert,
    @Nullable Path httpsKey,
    CorsSettings cors,
    Edge edge,
    @Nullable String oidcClientId,
    @Nullable Path oidcClientSecretFile,
    String oidcScopes) {

  /**
   * The HTTP edge of the API.
   *
   * @param publicBaseUrl {@code --public-base-url}: the FHIR base links are built from, or null for
   *     the listener's own address; never the request's Host header
   * @param scrubber {@code --credential-query-params}: parameters whose values are never recorded
   * @param listener {@code --http-idle-timeout}, {@code --http-header-timeout}, {@code
   *     --http-max-connections}, {@code --http-max-connections-per-address}
   * @param softwareVersion {@code --show-version}: the product version {@code /fhir/metadata}
   *     states, or null for none (the default)
   * @param verify {@code --verify-max-events}, {@code --verify-concurrency}: what {@code $verify}
   *     may take of the node
   */
  public record Edge(
      @Nullable String publicBaseUrl,
      RequestScrubber scrubber,
      ListenerSettings listener,
      @Nullable String softwareVersion,
      VerifyLimits verify) {

    public Edge {
      Objects.requireNonNull(verify, "verify");
      publicBaseUrl =
          publicBaseUrl == null || publicBaseUrl.isBlank()
              ? null
              : SearchServer.parsePublicBaseUrl(publicBaseUrl);
      Objects.requireNonNull(scrubber, "--credential-query-params");
      Objects.requireNonNull(listener, "listener");
    }

    /** With the default {@code $verify} limits. */
    public Edge(
        @Nullable String publicBaseUrl,
        RequestScrubber scrubber,
        ListenerSettings listener,
        @Nullable String softwareVersion) {
      this(publicBaseUrl, scrubber, listener, softwareVersion, VerifyLimits.DEFAULTS);
    }

    public static Edge defaults() {
      return new Edge(null, RequestScrubber.DEFAULT, ListenerSettings.DEFAULTS, null);
    }
  }

  public ApiConfig {
    oidcIssuer = oidcIssuer == null || oidcIssuer.isBlank() ? null : oidcIssuer.trim();
    if (oidcIssuer == null && (oidcJwksUrl != null || oidcKeyFile != null)) {
      throw new IllegalArgumentException("--oidc-jwks-url and --oidc-key-file need --oidc-issuer");
    }
    oidcClientId = oidcClientId == null || oidcClientId.isBlank() ? null : oidcClientId.trim();
    if (oidcClientId != null && oidcIssuer == null) {
      throw new IllegalArgumentException("--oidc-client-id needs --oidc-issuer");
    }
    if (oidcClientSecretFile != null && oidcClientId == null) {
      throw new IllegalArgumentException("--oidc-client-secret-file needs --oidc-client-id");
    }
    if (oidcClientSecretFile != null && !Files.isReadable(oidcClientSecretFile)) {
      throw new IllegalArgumentException(
          "--oidc-client-secret-file is not a readable file: " + oidcClientSecretFile);
    }
    if (oidcJwksUrl != null && oidcKeyFile != null) {
      throw new IllegalArgumentException("--oidc-jwks-url and --oidc-key-file exclude each other");
    }
    if (oidcIssuer != null && oidcClientId == null && oidcJwksUrl == null && oidcKeyFile == null) {
      throw new IllegalArgumentException(
          "--oidc-issuer needs exactly one of --oidc-jwks-url and --oidc-key-file "
              + "(or --oidc-client-id: the keys of the provider's discovery document)");
    }
    if (oidcIssuer != null && oidcClientId != null) {
      // the discovery document is fetched from the issuer: https, or http on loopback only
      OidcProvider.discoveryUrl(oidcIssuer);
    }
    // checked now so that a bad --oidc-scopes fails at start, not at the first sign-in
    new OidcClient("checked", null, oidcScopes);
    if (oidcJwksUrl != null
        && !("https".equals(oidcJwksUrl.getScheme()) || "http".equals(oidcJwksUrl.getScheme()))) {
      throw new IllegalArgumentException(
          "--oidc-jwks-url must be an http(s) URL, got: " + oidcJwksUrl);
    }
    if (oidcKeyFile != null && !Files.isReadable(oidcKeyFile)) {
      throw new IllegalArgumentException("--oidc-key-file is not a readable file: " + oidcKeyFile);
    }
    if (oidcAudience == null || oidcAudience.isBlank()) {
      throw new IllegalArgumentException("--oidc-audience is empty");
    }
    if (clockSkew == null
        || clockSkew.isNegative()
        || clockSkew.compareTo(Duration.ofMinutes(5)) > 0) {
      throw new IllegalArgumentException("--oidc-clock-skew must be 0s..5m, got: " + clockSkew);
    }
    if ((httpsCert == null) != (httpsKey == null)) {
      throw new IllegalArgumentException("--https-cert and --https-key must be given together");
    }
    if (httpsCert != null && !Files.isReadable(httpsCert)) {
      throw new IllegalArgumentException("--https-cert is not a readable file: " + httpsCert);
    }
    if (httpsKey != null && !Files.isReadable(httpsKey)) {
      throw new IllegalArgumentException("--https-key is not a readable file: " + httpsKey);
    }
    Objects.requireNonNull(deniedRead, "--access-denied-read");
    Objects.requireNonNull(cors, "cors");
    Objects.requireNonNull(edge, "edge");
  }

  /**
   * Secure defaults: local issuer, tokens required, 404 for invisible reads, plain HTTP, no CORS.
   */
  public static ApiConfig defaults() {
    return new ApiConfig(
        null,
        null,
        null,
        LocalIssuer.AUDIENCE,
        AuthSettings.DEFAULT_CLOCK_SKEW,
        AuthSettings.DEFAULT_PATIENT_CLAIM,
        AuthSettings.DEFAULT_CLEARANCE_CLAIM,
        null,
        AuthSettings.DeniedRead.NOT_FOUND,
        false,
        null,
        null,
        CorsSettings.off(),
        Edge.defaults(),
        null,
        null,
        OidcClient.DEFAULT_SCOPES);
  }

  /**
   * The console as a client of the provider, its secret read from {@code
   * --oidc-client-secret-file}; null without {@code --oidc-client-id}.
   */
  public @Nullable OidcClient oidcClient() {
    if (oidcClientId == null) {
      return null;
    }
    String secret = null;
    if (oidcClientSecretFile != null) {
      try {
        secret = Files.readString(oidcClientSecretFile, java.nio.charset.StandardCharsets.UTF_8);
      } catch (java.io.IOException e) {
        throw new IllegalArgumentException(
            "--oidc-client-secret-file cannot be read: " + oidcClientSecretFile, e);
      }
    }
    return new OidcClient(oidcClientId, secret, oidcScopes);
  }

  public boolean localIssuer() {
    return oidcIssuer == null;
  }
}
