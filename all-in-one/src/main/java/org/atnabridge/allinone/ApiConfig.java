package org.atnabridge.allinone;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.atnabridge.search.ListenerSettings;
import org.atnabridge.search.SearchServer;
import org.atnabridge.search.security.AuthSettings;
import org.atnabridge.search.security.CorsSettings;
import org.atnabridge.search.security.LocalIssuer;
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
    Edge edge) {

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
   */
  public record Edge(
      @Nullable String publicBaseUrl,
      RequestScrubber scrubber,
      ListenerSettings listener,
      @Nullable String softwareVersion) {

    public Edge {
      publicBaseUrl =
          publicBaseUrl == null || publicBaseUrl.isBlank()
              ? null
              : SearchServer.parsePublicBaseUrl(publicBaseUrl);
      Objects.requireNonNull(scrubber, "--credential-query-params");
      Objects.requireNonNull(listener, "listener");
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
    if (oidcIssuer != null && (oidcJwksUrl == null) == (oidcKeyFile == null)) {
      throw new IllegalArgumentException(
          "--oidc-issuer needs exactly one of --oidc-jwks-url and --oidc-key-file");
    }
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
        Edge.defaults());
  }

  public boolean localIssuer() {
    return oidcIssuer == null;
  }
}
