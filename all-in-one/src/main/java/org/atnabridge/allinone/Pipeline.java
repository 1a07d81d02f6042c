package org.atnabridge.allinone;

import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.atnabridge.atna.AtnaConverter;
import org.atnabridge.ingest.KafkaRawMessageSink;
import org.atnabridge.ingest.ListenerConfig;
import org.atnabridge.ingest.SyslogListener;
import org.atnabridge.ingest.UdpSyslogListener;
import org.atnabridge.kafka.embedded.EmbeddedKafkaBroker;
import org.atnabridge.schemas.Topics;
import org.atnabridge.search.ChainVerificationProvider;
import org.atnabridge.search.ApiSettings;
import org.atnabridge.search.FhirServerFactory;
import org.atnabridge.search.SearchServer;
import org.atnabridge.search.security.ApiSecurity;
import org.atnabridge.search.security.AuthSettings;
import org.atnabridge.search.security.KeySources;
import org.atnabridge.search.security.LocalIssuer;
import org.atnabridge.store.AuditStore;
import org.atnabridge.store.AuditStores;
import org.atnabridge.store.RetentionScheduler;
import org.atnabridge.store.elasticsearch.ElasticsearchAuditStore;
import org.atnabridge.store.indexer.AuditIndexer;
import org.atnabridge.search.feed.KafkaAuditEventFeed;
import org.atnabridge.streams.AuditStreams;
import org.atnabridge.streams.StreamsSettings;
import org.atnabridge.streams.enrich.EnrichmentConfig;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole product in one process. {@link #start()} brings the parts up in data-flow order —
 * broker, topics, store, indexer, audit streams (convert, enrich, label, chain), FHIR server
 * with its feed, then the syslog listeners last (TCP
 * and UDP on {@code --syslog-port}, TLS on {@code --syslog-tls-port} when certificates are
 * configured), so nothing is accepted before it can be made durable — and {@link #close()} stops
 * them in reverse: intake first (stop accepting, confirm every message already read with Kafka),
 * then the stages drain and commit, the broker last. Meters are served in Prometheus text format
 * at {@code /metrics} on the HTTP port.
 */
public final class Pipeline implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);
  private static final java.time.Duration CHECKPOINT_READ_TIMEOUT = java.time.Duration.ofSeconds(10);

  private final PipelineConfig config;
  private final RetentionSettings retention;
  private final ElasticsearchLayout elasticsearchLayout;
  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private @Nullable EmbeddedKafkaBroker broker;
  private @Nullable SearchServer searchServer;
  private @Nullable SyslogListener syslogListener;
  private @Nullable UdpSyslogListener udpListener;
  private @Nullable SyslogListener tlsListener;
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private @Nullable String bootstrapServers;

  public Pipeline(PipelineConfig config) {
    this(config, RetentionSettings.OFF);
  }

  /** With a retention schedule ({@code --retention}): applied to the store from start to close. */
  public Pipeline(PipelineConfig config, RetentionSettings retention) {
    this(config, retention, ElasticsearchLayout.DEFAULTS);
  }

  /** With the monthly-index layout for an Elasticsearch cluster ({@code --elasticsearch-shards} …). */
  public Pipeline(PipelineConfig config, RetentionSettings retention, ElasticsearchLayout elasticsearchLayout) {
    this.config = config;
    this.retention = java.util.Objects.requireNonNull(retention, "retention");
    this.elasticsearchLayout = java.util.Objects.requireNonNull(elasticsearchLayout, "elasticsearchLayout");
  }

  public synchronized Pipeline start() {
    try {
      new JvmMemoryMetrics().bindTo(registry);
      new JvmGcMetrics().bindTo(registry);
      new JvmThreadMetrics().bindTo(registry);
      new ProcessorMetrics().bindTo(registry);
      String bootstrap = config.kafkaBootstrap();
      if (bootstrap == null) {
        EmbeddedKafkaBroker b = new EmbeddedKafkaBroker(config.kafkaDir(), config.kafkaPort(), Map.of()).start();
        started.push(b);
        broker = b;
        bootstrap = b.bootstrapServers();
        LOG.info("ready: kafka broker (embedded, KRaft) on {}", bootstrap);
      }
      bootstrapServers = bootstrap;
      EmbeddedKafkaBroker.createTopics(bootstrap, Topics.newTopics((short) 1));

      AuditStore store = config.elasticsearchUrl() == null
          ? AuditStores.lucene(config.indexDir())
          // durable on acknowledgement, searchable within the index's refresh interval: waiting for
          // a refresh on every bulk would hold each indexer batch for up to a second
          : elasticsearchLayout.applyTo(ElasticsearchAuditStore.builder(config.elasticsearchUrl())
              .index(config.elasticsearchIndex()).waitForRefresh(false)).build();
      started.push(store);
      LOG.info("ready: audit store {}", config.elasticsearchUrl() == null
          ? "lucene at " + config.indexDir()
          : "elasticsearch at " + config.elasticsearchUrl() + " alias " + config.elasticsearchIndex());

      // only enriched, labelled and chained events are searchable and verifiable
      AuditIndexer indexer = new AuditIndexer(Map.of("bootstrap.servers", bootstrap), Topics.AUDIT_ENRICHED.name(),
          store, registry);
      started.push(indexer);
      indexer.start();

      if (retention.enabled()) {
        started.push(new RetentionScheduler(store, retention.policy(), retention.checkInterval(), Clock.systemUTC(),
            registry).start());
        LOG.info("ready: retention {} checked every {}", retention.maxAge(), retention.checkInterval());
      }

      AuditStreams streams = AuditStreams.start(StreamsSettings.defaults(bootstrap, config.streamsDir()),
          new AtnaConverter(), EnrichmentConfig.defaults(), config.dataDir().resolve("keys"), registry);
      started.push(streams);
      LOG.info("ready: audit streams (convert, enrich, label, chain)");

      // the FHIR Feed and the self-audit records go to audit.posted; the streams write them to audit.events
      KafkaAuditEventFeed feed =
          new KafkaAuditEventFeed(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
      started.push(feed);

      ApiConfig api = config.api();
      AuthSettings auth = authSettings(api);
      ApiSecurity security = new ApiSecurity(auth, feed);
      SearchServer search = new SearchServer(config.httpHost(), config.httpPort(), FhirServerFactory.create(store.search(),
          feed, Clock.systemUTC(), visible -> new ChainVerificationProvider(visible,
              () -> VerifyCommand.readCheckpoints(bootstrapServers(), CHECKPOINT_READ_TIMEOUT), streams.keys().publicKey()),
          ApiSettings.DEFAULTS.withRequireDateWindow(config.requireDateWindow())
              .withMaxRequestBytes(config.maxRequestBytes()),
          security))
          .authenticateWith(security.authentication(FhirServerFactory.REPOSITORY_NAME, Clock.systemUTC()))
          .cors(api.cors())
          .addTextEndpoint("/metrics", "text/plain; version=0.0.4; charset=utf-8", registry::scrape);
      if (api.httpsCert() != null && api.httpsKey() != null) {
        search.https(api.httpsCert(), api.httpsKey());
      }
      started.push(search);
      search.start();
      searchServer = search;
      LOG.info("ready: FHIR server on {}", search.baseUrl());
      if (api.allowUnauthenticated()) {
        LOG.warn("--dev-allow-unauthenticated: requests without a token are served as an unrestricted caller; "
            + "local development only");
      }
      if (config.allowRemoteUnauthenticated()) {
        LOG.warn("--dev-allow-unauthenticated-remote is set; local development only");
      }
      if (api.localIssuer()) {
        LOG.info("FHIR API tokens: atna-bridge token --data-dir {} --scope \"system/AuditEvent.rs\" "
            + "(then curl -H \"Authorization: Bearer $TOKEN\" {}/AuditEvent)", config.dataDir(), search.baseUrl());
      } else {
        LOG.info("FHIR API tokens: from {} (audience {})", api.oidcIssuer(), api.oidcAudience());
      }

      KafkaRawMessageSink sink =
          new KafkaRawMessageSink(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), registry);
      started.push(sink);
      PipelineConfig.Ingest ingest = config.ingest();
      SyslogListener listener =
          new SyslogListener(ingest.listener(config.syslogHost(), config.syslogPort(), false), sink, registry);
      started.push(listener);
      listener.start();
      syslogListener = listener;
      LOG.info("ready: syslog TCP listener on {}:{} (RFC 6587)", config.syslogHost(), listener.tcpPort());
      // UDP on the same port number as TCP (also when --syslog-port 0 picked a free one)
      UdpSyslogListener udp =
          new UdpSyslogListener(ingest.listener(config.syslogHost(), listener.tcpPort(), false), sink, registry);
      started.push(udp);
      udp.start();
      udpListener = udp;
      LOG.info("ready: syslog UDP listener on {}:{} (RFC 5426)", config.syslogHost(), udp.port());
      if (ingest.tlsEnabled()) {
        SyslogListener tls =
            new SyslogListener(ingest.listener(config.syslogHost(), config.syslogTlsPort(), true), sink, registry);
        started.push(tls);
        tls.start();
        tlsListener = tls;
        LOG.info("ready: syslog TLS listener on {}:{} (RFC 5425, client certificate {})", config.syslogHost(),
            tls.port(), ingest.tlsClientAuth());
      } else {
        LOG.info("syslog TLS listener not started: --tls-cert, --tls-key and --tls-trust are not set");
      }
      return this;
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** The token checks of the API: the local issuer's key (created on first start) or an external provider's. */
  private AuthSettings authSettings(ApiConfig api) {
    AuthSettings base;
    if (api.localIssuer()) {
      base = LocalIssuer.openOrCreate(config.keysDir()).settings();
    } else {
      base = AuthSettings.of(java.util.Objects.requireNonNull(api.oidcIssuer()), api.oidcAudience(),
          api.oidcJwksUrl() != null ? KeySources.jwksUrl(api.oidcJwksUrl())
              : KeySources.file(java.util.Objects.requireNonNull(api.oidcKeyFile())));
    }
    return new AuthSettings(base.issuer(), api.localIssuer() ? base.audience() : api.oidcAudience(), base.keys(),
        api.clockSkew(), api.patientClaim(), api.clearanceClaim(), api.patientIdentifierSystem(), api.deniedRead(),
        api.allowUnauthenticated());
  }

  /** Where the local token issuer's key is ({@code atna-bridge token --data-dir}). */
  public java.nio.file.Path keysDir() {
    return config.keysDir();
  }

  public int httpPort() {
    return require(searchServer, "FHIR server").port();
  }

  public String fhirBaseUrl() {
    return require(searchServer, "FHIR server").baseUrl();
  }

  public int syslogPort() {
    return require(syslogListener, "syslog listener").tcpPort();
  }

  public int syslogUdpPort() {
    return require(udpListener, "syslog UDP listener").port();
  }

  public int syslogTlsPort() {
    return require(tlsListener, "syslog TLS listener").port();
  }

  /** The meters, as served at {@code /metrics}. */
  public PrometheusMeterRegistry meterRegistry() {
    return registry;
  }

  public String bootstrapServers() {
    return require(bootstrapServers, "kafka");
  }

  @Override
  public synchronized void close() {
    while (!started.isEmpty()) {
      AutoCloseable part = started.pop();
      try {
        part.close();
      } catch (Exception e) {
        LOG.warn("{} did not stop cleanly: {}", part.getClass().getSimpleName(), e.toString());
      }
    }
    searchServer = null;
    syslogListener = null;
    udpListener = null;
    tlsListener = null;
    broker = null;
  }

  private static <T> T require(@Nullable T value, String what) {
    if (value == null) {
      throw new IllegalStateException(what + " not started");
    }
    return value;
  }
}
