package org.atnabridge.allinone;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.atnabridge.ingest.ListenerConfig;
import org.atnabridge.ingest.TlsConfig;
import org.atnabridge.search.FhirServerFactory;
import org.atnabridge.search.subscription.SubscriptionSettings;
import org.atnabridge.streams.alert.rules.RulesFile;
import org.jspecify.annotations.Nullable;

/**
 * Everything {@code serve} needs, validated once at start-up: a bad value stops the process with a
 * message naming the option.
 *
 * @param dataDir root of all local state: {@code kafka/}, {@code index/}, {@code streams/}
 * @param httpHost address the FHIR server binds to
 * @param httpPort FHIR server port (0 = any free port)
 * @param syslogHost address the syslog listeners bind to
 * @param syslogPort syslog TCP and UDP port (0 = any free port for TCP; UDP then takes the same
 *     number)
 * @param syslogTlsPort syslog TLS port (RFC 5425), opened when {@link Ingest#tlsEnabled()}
 * @param kafkaPort embedded broker port on loopback (0 = any free port)
 * @param kafkaBootstrap an external Kafka to use instead of the embedded broker, or null
 * @param elasticsearchUrl an Elasticsearch to use instead of the embedded Lucene store, or null
 * @param allowRemoteUnauthenticated let the FHIR server bind a non-loopback address while {@link
 *     ApiConfig#allowUnauthenticated()} lets requests in without a token (explicit local-dev
 *     setting; with tokens required any address may be bound)
 * @param ingest limits and TLS material of the syslog listeners
 * @param elasticsearchIndex {@code --elasticsearch-index}
 * @param requireDateWindow {@code --require-date-window}: AuditEvent searches must bound {@code
 *     date} below and above (ITI-81), else 400
 * @param maxRequestBytes {@code --max-request-bytes}: largest FHIR request body; larger ones get
 *     413
 * @param api authentication, authorisation, HTTPS and CORS of the FHIR API
 * @param readyMaxLag {@code --ready-max-lag}: records a consumer group may be behind while {@code
 *     /health/ready} still says ready
 * @param alertRules {@code --alert-rules}: the alert rules file, validated here (a bad one stops
 *     start-up with {@code FILE:LINE: reason}); the alert engine watches it ({@code RulesWatcher})
 *     and reloads it when it changes; null: no alert rules
 * @param subscriptions {@code --subscription-allow-http}, {@code --subscription-endpoints}, {@code
 *     --subscription-retry-deadline}
 */
public record PipelineConfig(
    Path dataDir,
    String httpHost,
    int httpPort,
    String syslogHost,
    int syslogPort,
    int syslogTlsPort,
    int kafkaPort,
    @Nullable String kafkaBootstrap,
    @Nullable String elasticsearchUrl,
    boolean allowRemoteUnauthenticated,
    Ingest ingest,
    String elasticsearchIndex,
    boolean requireDateWindow,
    long maxRequestBytes,
    ApiConfig api,
    long readyMaxLag,
    AccessLogIntake accessLogIntake,
    @Nullable Path accessLogSources,
    @Nullable Path alertRules,
    SubscriptionSettings subscriptions) {

  /** The alias the Elasticsearch store writes behind (monthly indices {@code <alias>.yyyy-MM}). */
  public static final String DEFAULT_ELASTICSEARCH_INDEX = "audit-events";

  /** {@code --ready-max-lag}: about a minute of indexing on a small installation. */
  public static final long DEFAULT_READY_MAX_LAG = 10_000;

  /**
   * Syslog listener settings; option names in messages are those of {@code serve}.
   *
   * @param maxFrameLength {@code --syslog-max-frame}
   * @param idleTimeout {@code --syslog-idle-timeout}
   * @param maxConnections {@code --syslog-max-connections}
   * @param maxConnectionsPerPeer {@code --syslog-max-connections-per-peer}
   * @param udpReceiveBuffer {@code --syslog-udp-buffer}
   * @param tlsCert {@code --tls-cert}, or null
   * @param tlsKey {@code --tls-key}, or null
   * @param tlsTrust {@code --tls-trust}, or null
   * @param tlsProtocols {@code --tls-protocols}
   * @param tlsCiphers {@code --tls-ciphers}; empty = JDK defaults
   * @param tlsClientAuth {@code --tls-client-auth}: require, optional or none
   */
  public record Ingest(
      int maxFrameLength,
      Duration idleTimeout,
      int maxConnections,
      int maxConnectionsPerPeer,
      int udpReceiveBuffer,
      @Nullable Path tlsCert,
      @Nullable Path tlsKey,
      @Nullable Path tlsTrust,
      List<String> tlsProtocols,
      List<String> tlsCiphers,
      String tlsClientAuth) {

    public Ingest {
      IngestChecks.limits(
          maxFrameLength, idleTimeout, maxConnections, maxConnectionsPerPeer, udpReceiveBuffer);
      tlsProtocols = List.copyOf(tlsProtocols);
      tlsCiphers = List.copyOf(tlsCiphers);
      IngestChecks.tls(tlsCert, tlsKey, tlsTrust, tlsProtocols, tlsClientAuth);
    }

    public static Ingest defaults() {
      return new Ingest(
          ListenerConfig.DEFAULT_MAX_FRAME_LENGTH,
          ListenerConfig.DEFAULT_IDLE_TIMEOUT,
          ListenerConfig.DEFAULT_MAX_CONNECTIONS,
          ListenerConfig.DEFAULT_MAX_CONNECTIONS_PER_PEER,
          ListenerConfig.DEFAULT_UDP_RECEIVE_BUFFER,
          null,
          null,
          null,
          TlsConfig.DEFAULT_PROTOCOLS,
          List.of(),
          "require");
    }

    public boolean tlsEnabled() {
      return tlsCert != null;
    }

    /** The listener settings for {@code host:port}, TLS when {@code tls} is true. */
    public ListenerConfig listener(String host, int port, boolean tls) {
      ListenerConfig c =
          new ListenerConfig(
              host,
              port,
              maxFrameLength,
              idleTimeout,
              maxConnections,
              maxConnectionsPerPeer,
              udpReceiveBuffer,
              null);
      if (!tls) {
        return c;
      }
      return c.withTls(
          new TlsConfig(
              Objects.requireNonNull(tlsCert),
              Objects.requireNonNull(tlsKey),
              Objects.requireNonNull(tlsTrust),
              tlsProtocols,
              tlsCiphers,
              IngestChecks.clientAuth(tlsClientAuth),
              TlsConfig.DEFAULT_HANDSHAKE_TIMEOUT));
    }
  }

  /**
   * A builder with the defaults of {@code serve}: FHIR server on 127.0.0.1:8080, syslog on
   * 0.0.0.0:5514 (TLS 6514), embedded broker on 9092, Lucene under {@code dataDir}, the API's
   * secure defaults ({@link ApiConfig#defaults()}).
   */
  /**
   * How access log lines are taken in.
   *
   * @param tags {@code --access-log-tags}: syslog APP-NAME / TAG values routed to {@code
   *     accesslog.raw}
   * @param scrub {@code --access-log-scrub}: query parameters whose values are masked before
   *     anything is stored
   */
  public record AccessLogIntake(List<String> tags, List<String> scrub) {

    public AccessLogIntake {
      tags = PipelineChecks.accessLogNames("--access-log-tags", tags);
      scrub = PipelineChecks.accessLogNames("--access-log-scrub", scrub);
    }

    public static AccessLogIntake defaults() {
      return new AccessLogIntake(
          List.of("nginx", "httpd", "apache2", "envoy"),
          List.of("access_token", "code", "password", "api_key"));
    }
  }

  public static Builder builder(Path dataDir) {
    return new Builder(dataDir);
  }

  /**
   * Collects the settings; {@link #build()} validates them (messages name the {@code serve}
   * option).
   */
  public static final class Builder {
    private final Path dataDir;
    private String httpHost = "127.0.0.1";
    private int httpPort = 8080;
    private String syslogHost = "0.0.0.0";
    private int syslogPort = 5514;
    private int syslogTlsPort = 6514;
    private int kafkaPort = 9092;
    private @Nullable String kafkaBootstrap;
    private @Nullable String elasticsearchUrl;
    private String elasticsearchIndex = DEFAULT_ELASTICSEARCH_INDEX;
    private boolean allowRemoteUnauthenticated;
    private Ingest ingest = Ingest.defaults();
    private boolean requireDateWindow;
    private long maxRequestBytes = FhirServerFactory.DEFAULT_MAX_REQUEST_BYTES;
    private ApiConfig api = ApiConfig.defaults();
    private long readyMaxLag = DEFAULT_READY_MAX_LAG;
    private AccessLogIntake accessLogIntake = AccessLogIntake.defaults();
    private @Nullable Path accessLogSources;
    private @Nullable Path alertRules;
    private SubscriptionSettings subscriptions = SubscriptionSettings.DEFAULTS;

    private Builder(Path dataDir) {
      this.dataDir = dataDir;
    }

    /** {@code --http-host}, {@code --http-port} (0 = any free port). */
    public Builder http(String host, int port) {
      httpHost = host;
      httpPort = port;
      return this;
    }

    /**
     * {@code --syslog-host}, {@code --syslog-port}, {@code --syslog-tls-port} (0 = any free port).
     */
    public Builder syslog(String host, int port, int tlsPort) {
      syslogHost = host;
      syslogPort = port;
      syslogTlsPort = tlsPort;
      return this;
    }

    /** {@code --kafka-port} of the embedded broker (0 = any free port). */
    public Builder kafkaPort(int port) {
      kafkaPort = port;
      return this;
    }

    /**
     * {@code --kafka-bootstrap}: an external Kafka instead of the embedded broker; blank =
     * embedded.
     */
    public Builder kafkaBootstrap(@Nullable String bootstrap) {
      kafkaBootstrap = bootstrap;
      return this;
    }

    /** {@code --elasticsearch-url} (blank = Lucene) and {@code --elasticsearch-index}. */
    public Builder elasticsearch(@Nullable String url, String index) {
      elasticsearchUrl = url;
      elasticsearchIndex = index;
      return this;
    }

    /** {@code --dev-allow-unauthenticated-remote}. */
    public Builder allowRemoteUnauthenticated(boolean allow) {
      allowRemoteUnauthenticated = allow;
      return this;
    }

    public Builder ingest(Ingest settings) {
      ingest = settings;
      return this;
    }

    /** {@code --require-date-window}. */
    public Builder requireDateWindow(boolean require) {
      requireDateWindow = require;
      return this;
    }

    /** {@code --max-request-bytes}. */
    public Builder maxRequestBytes(long bytes) {
      maxRequestBytes = bytes;
      return this;
    }

    public Builder api(ApiConfig settings) {
      api = settings;
      return this;
    }

    /** {@code --ready-max-lag}. */
    public Builder readyMaxLag(long records) {
      readyMaxLag = records;
      return this;
    }

    /** {@code --access-log-tags}, {@code --access-log-scrub}. */
    public Builder accessLogIntake(AccessLogIntake settings) {
      accessLogIntake = settings;
      return this;
    }

    /** {@code --access-log-sources}, or null for the default source only. */
    public Builder accessLogSources(@Nullable Path file) {
      accessLogSources = file;
      return this;
    }

    /** {@code --alert-rules}, or null for no alert rules. */
    public Builder alertRules(@Nullable Path file) {
      alertRules = file;
      return this;
    }

    /** {@code --subscription-*}: the endpoint policy and retries of FHIR Subscriptions. */
    public Builder subscriptions(SubscriptionSettings settings) {
      subscriptions = settings;
      return this;
    }

    /**
     * @throws IllegalArgumentException naming the option of the first bad value
     */
    public PipelineConfig build() {
      return new PipelineConfig(
          dataDir,
          httpHost,
          httpPort,
          syslogHost,
          syslogPort,
          syslogTlsPort,
          kafkaPort,
          kafkaBootstrap,
          elasticsearchUrl,
          allowRemoteUnauthenticated,
          ingest,
          elasticsearchIndex,
          requireDateWindow,
          maxRequestBytes,
          api,
          readyMaxLag,
          accessLogIntake,
          accessLogSources,
          alertRules,
          subscriptions);
    }
  }

  /** Where the local token issuer's key lives ({@code atna-bridge token} reads it). */
  public Path keysDir() {
    return dataDir.resolve("keys");
  }

  public PipelineConfig {
    Objects.requireNonNull(ingest, "ingest");
    Objects.requireNonNull(api, "api");
    Objects.requireNonNull(accessLogIntake, "accessLogIntake");
    PipelineChecks.elasticsearchIndex(elasticsearchIndex);
    Objects.requireNonNull(dataDir, "--data-dir");
    PipelineChecks.maxRequestBytes(maxRequestBytes);
    PipelineChecks.readyMaxLag(readyMaxLag);
    PipelineChecks.port("--http-port", httpPort);
    PipelineChecks.port("--syslog-port", syslogPort);
    PipelineChecks.port("--syslog-tls-port", syslogTlsPort);
    PipelineChecks.port("--kafka-port", kafkaPort);
    elasticsearchUrl = PipelineChecks.elasticsearchUrl(elasticsearchUrl);
    kafkaBootstrap = PipelineChecks.kafkaBootstrap(kafkaBootstrap);
    PipelineChecks.unauthenticatedOnlyOnLoopback(api, allowRemoteUnauthenticated, httpHost);
    AccessLogSourcesFile.load(accessLogSources); // a bad file stops start-up, naming the setting
    if (alertRules != null) {
      RulesFile.load(alertRules); // a bad file stops start-up: FILE:LINE: reason (exit 2)
    }
  }

  public Path kafkaDir() {
    return dataDir.resolve("kafka");
  }

  public Path indexDir() {
    return dataDir.resolve("index");
  }

  public Path streamsDir() {
    return dataDir.resolve("streams");
  }
}
