package org.atnabridge.allinone;

import org.atnabridge.search.ListenerSettings;
import org.atnabridge.search.VerifyLimits;
import org.atnabridge.search.security.CorsSettings;
import org.atnabridge.search.selfaudit.RequestScrubber;
import picocli.CommandLine.Option;

/**
 * The HTTP edge of the FHIR API: listener, HTTPS, CORS, limits, links: {@code serve} and {@code
 * api}.
 */
final class HttpOptions {

  @Option(
      names = "--http-host",
      defaultValue = "${env:ATNA_HTTP_HOST:-127.0.0.1}",
      description = "Address of the FHIR server (env ATNA_HTTP_HOST; default ${DEFAULT-VALUE}).")
  String httpHost;

  @Option(
      names = "--http-port",
      defaultValue = "${env:ATNA_HTTP_PORT:-8080}",
      description =
          "FHIR server port, base URL http://host:port/fhir (env ATNA_HTTP_PORT; default ${DEFAULT-VALUE}).")
  int httpPort;

  @Option(
      names = "--max-request-bytes",
      defaultValue = "${env:ATNA_MAX_REQUEST_BYTES:-5242880}",
      description =
          "Largest FHIR request body in octets; larger ones are answered 413 (env ATNA_MAX_REQUEST_BYTES; "
              + "default ${DEFAULT-VALUE}).")
  long maxRequestBytes;

  @Option(
      names = "--https-cert",
      defaultValue = "${env:ATNA_HTTPS_CERT:-}",
      description =
          "PEM certificate chain: serve the FHIR API over HTTPS only, TLS 1.2+ with HSTS (env ATNA_HTTPS_CERT).")
  String httpsCert;

  @Option(
      names = "--https-key",
      defaultValue = "${env:ATNA_HTTPS_KEY:-}",
      description = "PEM unencrypted PKCS#8 private key for --https-cert (env ATNA_HTTPS_KEY).")
  String httpsKey;

  @Option(
      names = "--cors-origins",
      defaultValue = "${env:ATNA_CORS_ORIGINS:-}",
      description =
          "Browser origins allowed cross-origin access, comma-separated exact origins; empty = CORS off "
              + "(env ATNA_CORS_ORIGINS).")
  String corsOrigins;

  @Option(
      names = "--cors-methods",
      defaultValue = "${env:ATNA_CORS_METHODS:-GET,POST}",
      description =
          "Methods allowed cross-origin (env ATNA_CORS_METHODS; default ${DEFAULT-VALUE}).")
  String corsMethods;

  @Option(
      names = "--cors-headers",
      defaultValue = "${env:ATNA_CORS_HEADERS:-Authorization,Content-Type,Accept,Prefer}",
      description =
          "Request headers allowed cross-origin (env ATNA_CORS_HEADERS; default ${DEFAULT-VALUE}).")
  String corsHeaders;

  @Option(
      names = "--public-base-url",
      defaultValue = "${env:ATNA_PUBLIC_BASE_URL:-}",
      description =
          "FHIR base URL clients reach the API by, e.g. https://audit.example.org/fhir behind a proxy; "
              + "every link in a response is built from it, never from the Host header; empty = the listener's "
              + "address (env ATNA_PUBLIC_BASE_URL).")
  String publicBaseUrl;

  @Option(
      names = "--credential-query-params",
      defaultValue =
          "${env:ATNA_CREDENTIAL_QUERY_PARAMS:-access_token,id_token,refresh_token,code,client_secret,password,api_key}",
      description =
          "Request parameters whose values are never recorded (self-audit, alerts, log), comma-separated "
              + "(env ATNA_CREDENTIAL_QUERY_PARAMS; default ${DEFAULT-VALUE}).")
  String credentialQueryParams;

  @Option(
      names = "--http-idle-timeout",
      defaultValue = "${env:ATNA_HTTP_IDLE_TIMEOUT:-30s}",
      converter = DurationConverter.class,
      description =
          "An API connection silent this long is closed, 1s..1h (env ATNA_HTTP_IDLE_TIMEOUT; "
              + "default ${DEFAULT-VALUE}).")
  java.time.Duration httpIdleTimeout;

  @Option(
      names = "--http-header-timeout",
      defaultValue = "${env:ATNA_HTTP_HEADER_TIMEOUT:-10s}",
      converter = DurationConverter.class,
      description =
          "An API connection must complete a request header within this time of opening and of its "
              + "previous response, however slowly it sends (env ATNA_HTTP_HEADER_TIMEOUT; default ${DEFAULT-VALUE}).")
  java.time.Duration httpHeaderTimeout;

  @Option(
      names = "--http-max-connections",
      defaultValue = "${env:ATNA_HTTP_MAX_CONNECTIONS:-4096}",
      description =
          "Open API connections in all; more wait to be accepted (env ATNA_HTTP_MAX_CONNECTIONS; "
              + "default ${DEFAULT-VALUE}).")
  int httpMaxConnections;

  @Option(
      names = "--http-max-connections-per-address",
      defaultValue = "${env:ATNA_HTTP_MAX_CONNECTIONS_PER_ADDRESS:-256}",
      description =
          "Open API connections per client IP address; more are closed at once (a proxy in front is "
              + "one address) (env ATNA_HTTP_MAX_CONNECTIONS_PER_ADDRESS; default ${DEFAULT-VALUE}).")
  int httpMaxConnectionsPerAddress;

  @Option(
      names = "--show-version",
      defaultValue = "${env:ATNA_SHOW_VERSION:-false}",
      description =
          "State the product version as software.version in /fhir/metadata; off, no version is stated "
              + "(env ATNA_SHOW_VERSION; default ${DEFAULT-VALUE}).")
  boolean showVersion;

  @Option(
      names = "--require-date-window",
      defaultValue = "${env:ATNA_REQUIRE_DATE_WINDOW:-false}",
      description =
          "Refuse (400) AuditEvent searches without both a lower and an upper date bound, as ITI-81 "
              + "expects of consumers (env ATNA_REQUIRE_DATE_WINDOW; default ${DEFAULT-VALUE}).")
  boolean requireDateWindow;

  @Option(
      names = "--verify-max-events",
      defaultValue = "${env:ATNA_VERIFY_MAX_EVENTS:-" + VerifyLimits.DEFAULT_MAX_EVENTS + "}",
      description =
          "Most events one AuditEvent/$verify check reads (its window's); a larger window is refused "
              + "with 422 'window holds N events; narrow it', which the console's integrity badge "
              + "shows as text (env ATNA_VERIFY_MAX_EVENTS; default ${DEFAULT-VALUE}).")
  long verifyMaxEvents;

  @Option(
      names = "--verify-concurrency",
      defaultValue = "${env:ATNA_VERIFY_CONCURRENCY:-1}",
      description =
          "AuditEvent/$verify checks that run at once on this API node; identical requests share "
              + "one, others wait up to 30 s, then 503 (env ATNA_VERIFY_CONCURRENCY; default "
              + "${DEFAULT-VALUE}).")
  int verifyConcurrency;

  /** The listener, request limits and the API's security (from {@code auth}) on {@code config}. */
  PipelineConfig.Builder applyTo(PipelineConfig.Builder config, AuthOptions auth) {
    return config
        .http(httpHost, httpPort)
        .requireDateWindow(requireDateWindow)
        .maxRequestBytes(maxRequestBytes)
        .allowRemoteUnauthenticated(auth.allowRemoteUnauthenticated)
        .api(api(auth));
  }

  /**
   * Authentication, authorisation, HTTPS, CORS and the edge, validated; messages name the option.
   */
  ApiConfig api(AuthOptions auth) {
    return auth.apiConfig(
        httpsCert,
        httpsKey,
        CorsSettings.of(
            Options.list(corsOrigins), Options.list(corsMethods), Options.list(corsHeaders)),
        new ApiConfig.Edge(
            publicBaseUrl,
            new RequestScrubber(Options.list(credentialQueryParams)),
            new ListenerSettings(
                httpIdleTimeout,
                httpHeaderTimeout,
                httpMaxConnections,
                httpMaxConnectionsPerAddress),
            showVersion ? AtnaBridgeCommand.productVersion() : null,
            VerifyLimits.DEFAULTS
                .withMaxEvents(verifyMaxEvents)
                .withConcurrent(verifyConcurrency)));
  }
}
