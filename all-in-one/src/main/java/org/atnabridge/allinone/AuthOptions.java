package org.atnabridge.allinone;

import org.atnabridge.search.console.OidcClient;
import org.atnabridge.search.security.AuthSettings;
import org.atnabridge.search.security.CorsSettings;
import org.atnabridge.search.security.LocalIssuer;
import picocli.CommandLine.Option;

/**
 * Who may call the FHIR API and what they see (SMART scopes, labels): {@code serve} and {@code
 * api}.
 */
final class AuthOptions {

  @Option(
      names = "--dev-allow-unauthenticated-remote",
      defaultValue = "${env:ATNA_DEV_ALLOW_UNAUTHENTICATED_REMOTE:-false}",
      description =
          "Local development only: with --dev-allow-unauthenticated, still allow a non-loopback "
              + "--http-host (env ATNA_DEV_ALLOW_UNAUTHENTICATED_REMOTE).")
  boolean allowRemoteUnauthenticated;

  @Option(
      names = "--dev-allow-unauthenticated",
      defaultValue = "${env:ATNA_DEV_ALLOW_UNAUTHENTICATED:-false}",
      description =
          "Local development only: serve requests without a token as an unrestricted caller; logs a "
              + "warning (env ATNA_DEV_ALLOW_UNAUTHENTICATED).")
  boolean allowUnauthenticated;

  @Option(
      names = "--oidc-issuer",
      defaultValue = "${env:ATNA_OIDC_ISSUER:-}",
      description =
          "Exact issuer (iss) of an external OpenID Connect provider; unset = the local issuer in "
              + "<data-dir>/keys (atna-bridge token) (env ATNA_OIDC_ISSUER).")
  String oidcIssuer;

  @Option(
      names = "--oidc-jwks-url",
      defaultValue = "${env:ATNA_OIDC_JWKS_URL:-}",
      description =
          "JWKS URL of the provider's signing keys, cached and refetched for an unknown kid "
              + "(env ATNA_OIDC_JWKS_URL).")
  String oidcJwksUrl;

  @Option(
      names = "--oidc-key-file",
      defaultValue = "${env:ATNA_OIDC_KEY_FILE:-}",
      description =
          "Instead of --oidc-jwks-url: a JWK Set, JWK or PEM public key file (env ATNA_OIDC_KEY_FILE).")
  String oidcKeyFile;

  @Option(
      names = "--oidc-client-id",
      defaultValue = "${env:ATNA_OIDC_CLIENT_ID:-}",
      description =
          "With --oidc-issuer: the console's client id at the provider; the console then signs in "
              + "with the provider (authorization code flow with PKCE, endpoints and, without "
              + "--oidc-jwks-url/--oidc-key-file, keys from its discovery document). Register "
              + "<console>/signin/oidc/callback as its redirect URI (env ATNA_OIDC_CLIENT_ID).")
  String oidcClientId;

  @Option(
      names = "--oidc-client-secret-file",
      defaultValue = "${env:ATNA_OIDC_CLIENT_SECRET_FILE:-}",
      description =
          "File holding the client secret of a confidential client (sent as client_secret_basic; "
              + "never logged); unset = a public client (env ATNA_OIDC_CLIENT_SECRET_FILE).")
  String oidcClientSecretFile;

  @Option(
      names = "--oidc-scopes",
      defaultValue = "${env:ATNA_OIDC_SCOPES:-" + OidcClient.DEFAULT_SCOPES + "}",
      description =
          "Scopes the console asks the provider for, space-separated, with openid "
              + "(env ATNA_OIDC_SCOPES; default ${DEFAULT-VALUE}).")
  String oidcScopes;

  @Option(
      names = "--oidc-audience",
      defaultValue = "${env:ATNA_OIDC_AUDIENCE:-" + LocalIssuer.AUDIENCE + "}",
      description =
          "Audience (aud) tokens of the external provider must carry (env ATNA_OIDC_AUDIENCE; "
              + "default ${DEFAULT-VALUE}).")
  String oidcAudience;

  @Option(
      names = "--oidc-clock-skew",
      defaultValue = "${env:ATNA_OIDC_CLOCK_SKEW:-30s}",
      converter = DurationConverter.OrZero.class,
      description =
          "Tolerance on exp and nbf, 0s..5m, e.g. 30s (env ATNA_OIDC_CLOCK_SKEW; default ${DEFAULT-VALUE}).")
  java.time.Duration oidcClockSkew;

  @Option(
      names = "--oidc-patient-claim",
      defaultValue = "${env:ATNA_OIDC_PATIENT_CLAIM:-patient}",
      description =
          "Claim naming the patient of patient/ scopes (env ATNA_OIDC_PATIENT_CLAIM; default ${DEFAULT-VALUE}).")
  String oidcPatientClaim;

  @Option(
      names = "--oidc-clearance-claim",
      defaultValue = "${env:ATNA_OIDC_CLEARANCE_CLAIM:-label_clearance}",
      description =
          "Claim with the caller's confidentiality clearance, e.g. \"R,V\" (env ATNA_OIDC_CLEARANCE_CLAIM; "
              + "default ${DEFAULT-VALUE}).")
  String oidcClearanceClaim;

  @Option(
      names = "--patient-identifier-system",
      defaultValue = "${env:ATNA_PATIENT_IDENTIFIER_SYSTEM:-}",
      description =
          "Identifier system whose values are the patient ids of patient/ tokens, so that events naming "
              + "the patient only by identifier are in the patient's compartment (env ATNA_PATIENT_IDENTIFIER_SYSTEM).")
  String patientIdentifierSystem;

  @Option(
      names = "--access-denied-read",
      defaultValue = "${env:ATNA_ACCESS_DENIED_READ:-404}",
      description =
          "Answer to a read of an event the caller may not see: 404 or 403 (env ATNA_ACCESS_DENIED_READ; "
              + "default ${DEFAULT-VALUE}).")
  String accessDeniedRead;

  /** {@code --oidc-jwks-url}, or null when not given. */
  java.net.@org.jspecify.annotations.Nullable URI jwksUrl() {
    try {
      return oidcJwksUrl.isBlank() ? null : new java.net.URI(oidcJwksUrl.trim());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException("--oidc-jwks-url is not a URL: " + oidcJwksUrl);
    }
  }

  /**
   * The API's configuration: these options' authentication and authorisation, plus what the
   * listener's own options give (HTTPS, CORS, the edge); messages name the option.
   *
   * @param httpsCert {@code --https-cert} as given (blank = plain HTTP)
   * @param httpsKey {@code --https-key} as given
   */
  ApiConfig apiConfig(String httpsCert, String httpsKey, CorsSettings cors, ApiConfig.Edge edge) {
    return new ApiConfig(
        oidcIssuer,
        jwksUrl(),
        Options.path(oidcKeyFile),
        oidcAudience,
        oidcClockSkew,
        oidcPatientClaim,
        oidcClearanceClaim,
        patientIdentifierSystem,
        AuthSettings.DeniedRead.parse(accessDeniedRead),
        allowUnauthenticated,
        Options.path(httpsCert),
        Options.path(httpsKey),
        cors,
        edge,
        oidcClientId,
        Options.path(oidcClientSecretFile),
        oidcScopes);
  }
}
