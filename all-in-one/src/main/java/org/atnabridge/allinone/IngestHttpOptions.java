package org.atnabridge.allinone;

import org.atnabridge.search.security.CorsSettings;
import picocli.CommandLine.Option;

/**
 * {@code atna-bridge ingest}'s HTTP intake of access log lines ({@code POST /ingest/access-logs}),
 * off unless {@code --ingest-http-port} is given; tokens are checked as the API checks them ({@link
 * AuthOptions}).
 */
final class IngestHttpOptions {

  /** The options only {@code ingest} has ({@code serve} takes lines on its API port). */
  static final java.util.Set<String> INGEST_ONLY =
      java.util.Set.of(
          "--ingest-http-host", "--ingest-http-port", "--ingest-https-cert", "--ingest-https-key");

  /** {@code --ingest-http-port} value meaning: no HTTP intake. */
  static final int OFF = -1;

  @Option(
      names = "--ingest-http-host",
      defaultValue = "${env:ATNA_INGEST_HTTP_HOST:-127.0.0.1}",
      description =
          "Address of the HTTP access log intake; 0.0.0.0 lets shippers on other hosts post "
              + "(then serve HTTPS: --ingest-https-cert) (env ATNA_INGEST_HTTP_HOST; default ${DEFAULT-VALUE}).")
  String host;

  @Option(
      names = "--ingest-http-port",
      defaultValue = "${env:ATNA_INGEST_HTTP_PORT:--1}",
      description =
          "Port of POST /ingest/access-logs (bearer token with scope system/AuditEvent.c); -1 = off, "
              + "0 = any free port (env ATNA_INGEST_HTTP_PORT; default ${DEFAULT-VALUE}, off).")
  int port;

  @Option(
      names = "--ingest-https-cert",
      defaultValue = "${env:ATNA_INGEST_HTTPS_CERT:-}",
      description =
          "PEM certificate chain: serve the HTTP intake over HTTPS only, TLS 1.2+ (env ATNA_INGEST_HTTPS_CERT).")
  String httpsCert;

  @Option(
      names = "--ingest-https-key",
      defaultValue = "${env:ATNA_INGEST_HTTPS_KEY:-}",
      description =
          "PEM unencrypted PKCS#8 private key for --ingest-https-cert (env ATNA_INGEST_HTTPS_KEY).")
  String httpsKey;

  @Option(
      names = "--max-request-bytes",
      defaultValue = "${env:ATNA_MAX_REQUEST_BYTES:-5242880}",
      description =
          "Largest request body in octets, on the wire and after gzip decoding; larger ones are "
              + "answered 413 and nothing is written (env ATNA_MAX_REQUEST_BYTES; default ${DEFAULT-VALUE}).")
  long maxRequestBytes;

  boolean enabled() {
    return port != OFF;
  }

  /** When on: the request limit and the token checks (as {@code api}'s) on {@code config}. */
  PipelineConfig.Builder applyTo(PipelineConfig.Builder config, AuthOptions auth) {
    if (port < OFF || port > 65535) {
      throw new IllegalArgumentException(
          "--ingest-http-port must be -1 (off) or 0..65535, got: " + port);
    }
    if (!enabled()) {
      return config; // the auth options of an ingest without HTTP intake are not read
    }
    if (auth.allowUnauthenticated
        && !auth.allowRemoteUnauthenticated
        && !PipelineChecks.isLoopback(host)) {
      throw new IllegalArgumentException(
          "--ingest-http-host "
              + host
              + " is not a loopback address: with --dev-allow-unauthenticated the intake only "
              + "serves this machine unless --dev-allow-unauthenticated-remote is given too");
    }
    return config
        .maxRequestBytes(maxRequestBytes)
        .allowRemoteUnauthenticated(auth.allowRemoteUnauthenticated)
        .api(api(auth));
  }

  private ApiConfig api(AuthOptions auth) {
    return auth.apiConfig(httpsCert, httpsKey, CorsSettings.off(), ApiConfig.Edge.defaults());
  }
}
