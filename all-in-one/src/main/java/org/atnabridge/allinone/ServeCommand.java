package org.atnabridge.allinone;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.atnabridge.search.ListenerSettings;
import org.atnabridge.search.security.AuthSettings;
import org.atnabridge.search.security.CorsSettings;
import org.atnabridge.search.security.Durations;
import org.atnabridge.search.security.LocalIssuer;
import org.atnabridge.search.selfaudit.RequestScrubber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code atna-bridge serve}: the whole pipeline in this JVM until SIGTERM/SIGINT. Every option
 * has an environment variable; the command line wins over the environment.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Run the embedded Kafka broker, syslog intake, conversion, indexing and the FHIR server.")
final class ServeCommand implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

  @Option(names = "--data-dir", defaultValue = "${env:ATNA_DATA_DIR:-./data}",
      description = "Directory for all local state (env ATNA_DATA_DIR; default ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--http-host", defaultValue = "${env:ATNA_HTTP_HOST:-127.0.0.1}",
      description = "Address of the FHIR server (env ATNA_HTTP_HOST; default ${DEFAULT-VALUE}).")
  String httpHost;

  @Option(names = "--http-port", defaultValue = "${env:ATNA_HTTP_PORT:-8080}",
      description = "FHIR server port, base URL http://host:port/fhir (env ATNA_HTTP_PORT; default ${DEFAULT-VALUE}).")
  int httpPort;

  @Option(names = "--max-request-bytes", defaultValue = "${env:ATNA_MAX_REQUEST_BYTES:-5242880}",
      description = "Largest FHIR request body in octets; larger ones are answered 413 (env ATNA_MAX_REQUEST_BYTES; "
          + "default ${DEFAULT-VALUE}).")
  long maxRequestBytes;

  @Option(names = "--syslog-host", defaultValue = "${env:ATNA_SYSLOG_HOST:-0.0.0.0}",
      description = "Address of the syslog listeners (env ATNA_SYSLOG_HOST; default ${DEFAULT-VALUE}).")
  String syslogHost;

  @Option(names = "--syslog-port", defaultValue = "${env:ATNA_SYSLOG_PORT:-5514}",
      description = "Syslog port for TCP (RFC 6587 framing) and UDP (RFC 5426) (env ATNA_SYSLOG_PORT; "
          + "default ${DEFAULT-VALUE}).")
  int syslogPort;

  @Option(names = "--syslog-tls-port", defaultValue = "${env:ATNA_SYSLOG_TLS_PORT:-6514}",
      description = "Syslog TLS port, RFC 5425 (env ATNA_SYSLOG_TLS_PORT; default ${DEFAULT-VALUE}). "
          + "Opened when --tls-cert, --tls-key and --tls-trust are given.")
  int syslogTlsPort;

  @Option(names = "--tls-cert", defaultValue = "${env:ATNA_TLS_CERT:-}",
      description = "PEM certificate chain of the TLS listener (env ATNA_TLS_CERT).")
  String tlsCert;

  @Option(names = "--tls-key", defaultValue = "${env:ATNA_TLS_KEY:-}",
      description = "PEM unencrypted PKCS#8 private key of the TLS listener (env ATNA_TLS_KEY).")
  String tlsKey;

  @Option(names = "--tls-trust", defaultValue = "${env:ATNA_TLS_TRUST:-}",
      description = "PEM file or directory of CA certificates client certificates must chain to (env ATNA_TLS_TRUST).")
  String tlsTrust;

  @Option(names = "--tls-protocols", split = ",", defaultValue = "${env:ATNA_TLS_PROTOCOLS:-TLSv1.3,TLSv1.2}",
      description = "Enabled TLS versions, comma-separated (env ATNA_TLS_PROTOCOLS; default ${DEFAULT-VALUE}).")
  List<String> tlsProtocols;

  @Option(names = "--tls-ciphers", defaultValue = "${env:ATNA_TLS_CIPHERS:-}",
      description = "Enabled cipher suites (JSSE names), comma-separated; empty = JDK defaults (env ATNA_TLS_CIPHERS).")
  String tlsCiphers;

  @Option(names = "--tls-client-auth", defaultValue = "${env:ATNA_TLS_CLIENT_AUTH:-require}",
      description = "Client certificate: require, optional or none (env ATNA_TLS_CLIENT_AUTH; default ${DEFAULT-VALUE}).")
  String tlsClientAuth;

  @Option(names = "--syslog-max-frame", defaultValue = "${env:ATNA_SYSLOG_MAX_FRAME:-262144}",
      description = "Largest syslog frame in octets; longer ones are cut and their prefix goes to audit.dlq "
          + "(env ATNA_SYSLOG_MAX_FRAME; default ${DEFAULT-VALUE}).")
  int syslogMaxFrame;

  @Option(names = "--syslog-idle-timeout", defaultValue = "${env:ATNA_SYSLOG_IDLE_TIMEOUT:-300}",
      description = "Seconds of silence after which a syslog connection is closed (env ATNA_SYSLOG_IDLE_TIMEOUT; "
          + "default ${DEFAULT-VALUE}).")
  long syslogIdleTimeout;

  @Option(names = "--syslog-max-connections", defaultValue = "${env:ATNA_SYSLOG_MAX_CONNECTIONS:-4096}",
      description = "Open connections per syslog listener (env ATNA_SYSLOG_MAX_CONNECTIONS; default ${DEFAULT-VALUE}).")
  int syslogMaxConnections;

  @Option(names = "--syslog-max-connections-per-peer",
      defaultValue = "${env:ATNA_SYSLOG_MAX_CONNECTIONS_PER_PEER:-512}",
      description = "Open connections per sender IP address and listener (env ATNA_SYSLOG_MAX_CONNECTIONS_PER_PEER; "
          + "default ${DEFAULT-VALUE}).")
  int syslogMaxConnectionsPerPeer;

  @Option(names = "--syslog-udp-buffer", defaultValue = "${env:ATNA_SYSLOG_UDP_BUFFER:-4194304}",
      description = "UDP receive buffer in octets, capped by net.core.rmem_max (env ATNA_SYSLOG_UDP_BUFFER; "
          + "default ${DEFAULT-VALUE}).")
  int syslogUdpBuffer;

  @Option(names = "--kafka-port", defaultValue = "${env:ATNA_KAFKA_PORT:-9092}",
      description = "Port of the embedded Kafka broker on 127.0.0.1 (env ATNA_KAFKA_PORT; default ${DEFAULT-VALUE}).")
  int kafkaPort;

  @Option(names = "--kafka-bootstrap", defaultValue = "${env:ATNA_KAFKA_BOOTSTRAP:-}",
      description = "Use this external Kafka (host:port,...) instead of the embedded broker (env ATNA_KAFKA_BOOTSTRAP).")
  String kafkaBootstrap;

  @Option(names = "--elasticsearch-url", defaultValue = "${env:ATNA_ELASTICSEARCH_URL:-}",
      description = "Use this Elasticsearch instead of the embedded Lucene index (env ATNA_ELASTICSEARCH_URL).")
  String elasticsearchUrl;

  @Option(names = "--elasticsearch-index", defaultValue = "${env:ATNA_ELASTICSEARCH_INDEX:-audit-events}",
      description = "Alias the Elasticsearch store writes behind, monthly indices <alias>.yyyy-MM "
          + "(env ATNA_ELASTICSEARCH_INDEX; default ${DEFAULT-VALUE}).")
  String elasticsearchIndex;

  @Option(names = "--elasticsearch-shards", defaultValue = "${env:ATNA_ELASTICSEARCH_SHARDS:-1}",
      description = "Primary shards per monthly index (env ATNA_ELASTICSEARCH_SHARDS; default ${DEFAULT-VALUE}).")
  String elasticsearchShards;

  @Option(names = "--elasticsearch-replicas", defaultValue = "${env:ATNA_ELASTICSEARCH_REPLICAS:-auto}",
      description = "Replicas per shard, or auto (0 on one node, 1 once a second node joins) "
          + "(env ATNA_ELASTICSEARCH_REPLICAS; default ${DEFAULT-VALUE}).")
  String elasticsearchReplicas;

  @Option(names = "--elasticsearch-refresh-interval", defaultValue = "${env:ATNA_ELASTICSEARCH_REFRESH_INTERVAL:-1s}",
      description = "How soon an indexed event is searchable, 1ms..1s (env ATNA_ELASTICSEARCH_REFRESH_INTERVAL; "
          + "default ${DEFAULT-VALUE}).")
  String elasticsearchRefreshInterval;

  @Option(names = "--retention", defaultValue = "${env:ATNA_RETENTION:-off}",
      description = "Delete events recorded longer ago than this, e.g. 365d; events tagged legal-hold are kept "
          + "(env ATNA_RETENTION; default ${DEFAULT-VALUE}).")
  String retention;

  @Option(names = "--retention-check-interval", defaultValue = "${env:ATNA_RETENTION_CHECK_INTERVAL:-1h}",
      description = "How often retention runs, e.g. 1h, 30m (env ATNA_RETENTION_CHECK_INTERVAL; default ${DEFAULT-VALUE}).")
  String retentionCheckInterval;

  @Option(names = "--dev-allow-unauthenticated-remote",
      defaultValue = "${env:ATNA_DEV_ALLOW_UNAUTHENTICATED_REMOTE:-false}",
      description = "Local development only: with --dev-allow-unauthenticated, still allow a non-loopback "
          + "--http-host (env ATNA_DEV_ALLOW_UNAUTHENTICATED_REMOTE).")
  boolean allowRemoteUnauthenticated;

  @Option(names = "--dev-allow-unauthenticated", defaultValue = "${env:ATNA_DEV_ALLOW_UNAUTHENTICATED:-false}",
      description = "Local development only: serve requests without a token as an unrestricted caller; logs a "
          + "warning (env ATNA_DEV_ALLOW_UNAUTHENTICATED).")
  boolean allowUnauthenticated;

  @Option(names = "--oidc-issuer", defaultValue = "${env:ATNA_OIDC_ISSUER:-}",
      description = "Exact issuer (iss) of an external OpenID Connect provider; unset = the local issuer in "
          + "<data-dir>/keys (atna-bridge token) (env ATNA_OIDC_ISSUER).")
  String oidcIssuer;

  @Option(names = "--oidc-jwks-url", defaultValue = "${env:ATNA_OIDC_JWKS_URL:-}",
      description = "JWKS URL of the provider's signing keys, cached and refetched for an unknown kid "
          + "(env ATNA_OIDC_JWKS_URL).")
  String oidcJwksUrl;

  @Option(names = "--oidc-key-file", defaultValue = "${env:ATNA_OIDC_KEY_FILE:-}",
      description = "Instead of --oidc-jwks-url: a JWK Set, JWK or PEM public key file (env ATNA_OIDC_KEY_FILE).")
  String oidcKeyFile;

  @Option(names = "--oidc-audience", defaultValue = "${env:ATNA_OIDC_AUDIENCE:-" + LocalIssuer.AUDIENCE + "}",
      description = "Audience (aud) tokens of the external provider must carry (env ATNA_OIDC_AUDIENCE; "
          + "default ${DEFAULT-VALUE}).")
  String oidcAudience;

  @Option(names = "--oidc-clock-skew", defaultValue = "${env:ATNA_OIDC_CLOCK_SKEW:-30s}",
      description = "Tolerance on exp and nbf, e.g. 30s (env ATNA_OIDC_CLOCK_SKEW; default ${DEFAULT-VALUE}).")
  String oidcClockSkew;

  @Option(names = "--oidc-patient-claim", defaultValue = "${env:ATNA_OIDC_PATIENT_CLAIM:-patient}",
      description = "Claim naming the patient of patient/ scopes (env ATNA_OIDC_PATIENT_CLAIM; default ${DEFAULT-VALUE}).")
  String oidcPatientClaim;

  @Option(names = "--oidc-clearance-claim", defaultValue = "${env:ATNA_OIDC_CLEARANCE_CLAIM:-label_clearance}",
      description = "Claim with the caller's confidentiality clearance, e.g. \"R,V\" (env ATNA_OIDC_CLEARANCE_CLAIM; "
          + "default ${DEFAULT-VALUE}).")
  String oidcClearanceClaim;

  @Option(names = "--patient-identifier-system", defaultValue = "${env:ATNA_PATIENT_IDENTIFIER_SYSTEM:-}",
      description = "Identifier system whose values are the patient ids of patient/ tokens, so that events naming "
          + "the patient only by identifier are in the patient's compartment (env ATNA_PATIENT_IDENTIFIER_SYSTEM).")
  String patientIdentifierSystem;

  @Option(names = "--access-denied-read", defaultValue = "${env:ATNA_ACCESS_DENIED_READ:-404}",
      description = "Answer to a read of an event the caller may not see: 404 or 403 (env ATNA_ACCESS_DENIED_READ; "
          + "default ${DEFAULT-VALUE}).")
  String accessDeniedRead;

  @Option(names = "--https-cert", defaultValue = "${env:ATNA_HTTPS_CERT:-}",
      description = "PEM certificate chain: serve the FHIR API over HTTPS only, TLS 1.2+ with HSTS (env ATNA_HTTPS_CERT).")
  String httpsCert;

  @Option(names = "--https-key", defaultValue = "${env:ATNA_HTTPS_KEY:-}",
      description = "PEM unencrypted PKCS#8 private key for --https-cert (env ATNA_HTTPS_KEY).")
  String httpsKey;

  @Option(names = "--cors-origins", defaultValue = "${env:ATNA_CORS_ORIGINS:-}",
      description = "Browser origins allowed cross-origin access, comma-separated exact origins; empty = CORS off "
          + "(env ATNA_CORS_ORIGINS).")
  String corsOrigins;

  @Option(names = "--cors-methods", defaultValue = "${env:ATNA_CORS_METHODS:-GET,POST}",
      description = "Methods allowed cross-origin (env ATNA_CORS_METHODS; default ${DEFAULT-VALUE}).")
  String corsMethods;

  @Option(names = "--cors-headers", defaultValue = "${env:ATNA_CORS_HEADERS:-Authorization,Content-Type,Accept,Prefer}",
      description = "Request headers allowed cross-origin (env ATNA_CORS_HEADERS; default ${DEFAULT-VALUE}).")
  String corsHeaders;

  @Option(names = "--public-base-url", defaultValue = "${env:ATNA_PUBLIC_BASE_URL:-}",
      description = "FHIR base URL clients reach the API by, e.g. https://audit.example.org/fhir behind a proxy; "
          + "every link in a response is built from it, never from the Host header; empty = the listener's "
          + "address (env ATNA_PUBLIC_BASE_URL).")
  String publicBaseUrl;

  @Option(names = "--credential-query-params",
      defaultValue = "${env:ATNA_CREDENTIAL_QUERY_PARAMS:-access_token,id_token,refresh_token,code,client_secret,password,api_key}",
      description = "Request parameters whose values are never recorded (self-audit, alerts, log), comma-separated "
          + "(env ATNA_CREDENTIAL_QUERY_PARAMS; default ${DEFAULT-VALUE}).")
  String credentialQueryParams;

  @Option(names = "--http-idle-timeout", defaultValue = "${env:ATNA_HTTP_IDLE_TIMEOUT:-30s}",
      description = "An API connection silent this long is closed, 1s..1h (env ATNA_HTTP_IDLE_TIMEOUT; "
          + "default ${DEFAULT-VALUE}).")
  String httpIdleTimeout;

  @Option(names = "--http-header-timeout", defaultValue = "${env:ATNA_HTTP_HEADER_TIMEOUT:-10s}",
      description = "An API connection must complete a request header within this time of opening and of its "
          + "previous response, however slowly it sends (env ATNA_HTTP_HEADER_TIMEOUT; default ${DEFAULT-VALUE}).")
  String httpHeaderTimeout;

  @Option(names = "--http-max-connections", defaultValue = "${env:ATNA_HTTP_MAX_CONNECTIONS:-4096}",
      description = "Open API connections in all; more wait to be accepted (env ATNA_HTTP_MAX_CONNECTIONS; "
          + "default ${DEFAULT-VALUE}).")
  int httpMaxConnections;

  @Option(names = "--http-max-connections-per-address",
      defaultValue = "${env:ATNA_HTTP_MAX_CONNECTIONS_PER_ADDRESS:-256}",
      description = "Open API connections per client IP address; more are closed at once (a proxy in front is "
          + "one address) (env ATNA_HTTP_MAX_CONNECTIONS_PER_ADDRESS; default ${DEFAULT-VALUE}).")
  int httpMaxConnectionsPerAddress;

  @Option(names = "--require-date-window", defaultValue = "${env:ATNA_REQUIRE_DATE_WINDOW:-false}",
      description = "Refuse (400) AuditEvent searches without both a lower and an upper date bound, as ITI-81 "
          + "expects of consumers (env ATNA_REQUIRE_DATE_WINDOW; default ${DEFAULT-VALUE}).")
  boolean requireDateWindow;

  @Override
  public Integer call() throws InterruptedException {
    PipelineConfig.Ingest ingest = new PipelineConfig.Ingest(syslogMaxFrame, Duration.ofSeconds(syslogIdleTimeout),
        syslogMaxConnections, syslogMaxConnectionsPerPeer, syslogUdpBuffer, path(tlsCert), path(tlsKey),
        path(tlsTrust), tlsProtocols.stream().map(String::trim).filter(p -> !p.isEmpty()).toList(),
        tlsCiphers.isBlank() ? List.of() : List.of(tlsCiphers.trim().split("\\s*,\\s*")), tlsClientAuth);
    PipelineConfig config = new PipelineConfig(dataDir, httpHost, httpPort, syslogHost, syslogPort, syslogTlsPort,
        kafkaPort, kafkaBootstrap, elasticsearchUrl, allowRemoteUnauthenticated, ingest, elasticsearchIndex,
        requireDateWindow, maxRequestBytes, api());
    RetentionSettings retentionSettings = RetentionSettings.parse(retention, retentionCheckInterval);
    ElasticsearchLayout layout = ElasticsearchLayout.parse(elasticsearchShards, elasticsearchReplicas,
        elasticsearchRefreshInterval);
    CountDownLatch stopped = new CountDownLatch(1);
    Pipeline pipeline = new Pipeline(config, retentionSettings, layout);
    Thread hook = new Thread(() -> {
      LOG.info("stopping: flushing and committing");
      pipeline.close();
      stopped.countDown();
    }, "atna-bridge-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    long t0 = System.nanoTime();
    pipeline.start();
    LOG.info("atna-bridge ready in {} ms (data dir {})", (System.nanoTime() - t0) / 1_000_000,
        dataDir.toAbsolutePath().normalize());
    stopped.await();
    return 0;
  }

  ApiConfig api() {
    URI jwks;
    try {
      jwks = oidcJwksUrl.isBlank() ? null : new URI(oidcJwksUrl.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("--oidc-jwks-url is not a URL: " + oidcJwksUrl);
    }
    return new ApiConfig(oidcIssuer, jwks, path(oidcKeyFile), oidcAudience,
        Durations.parse("--oidc-clock-skew", oidcClockSkew), oidcPatientClaim, oidcClearanceClaim,
        patientIdentifierSystem, AuthSettings.DeniedRead.parse(accessDeniedRead), allowUnauthenticated,
        path(httpsCert), path(httpsKey), CorsSettings.of(list(corsOrigins), list(corsMethods), list(corsHeaders)),
        new ApiConfig.Edge(publicBaseUrl, new RequestScrubber(list(credentialQueryParams)),
            new ListenerSettings(Durations.parse("--http-idle-timeout", httpIdleTimeout),
                Durations.parse("--http-header-timeout", httpHeaderTimeout), httpMaxConnections,
                httpMaxConnectionsPerAddress)));
  }

  private static List<String> list(String commaSeparated) {
    return commaSeparated.isBlank() ? List.of() : List.of(commaSeparated.trim().split("\\s*,\\s*"));
  }

  private static @org.jspecify.annotations.Nullable Path path(String value) {
    return value == null || value.isBlank() ? null : Path.of(value.trim());
  }
}
