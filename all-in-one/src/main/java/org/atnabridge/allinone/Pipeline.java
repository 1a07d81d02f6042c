package org.atnabridge.allinone;

import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import org.atnabridge.allinone.health.KafkaProbe;
import org.atnabridge.allinone.health.Readiness;
import org.atnabridge.kafka.embedded.EmbeddedKafkaBroker;
import org.atnabridge.schemas.Topics;
import org.atnabridge.store.AuditStore;
import org.atnabridge.store.StoreHealth;
import org.atnabridge.store.indexer.AuditIndexer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole product in one process ({@code serve}): the four services {@code atna-bridge ingest},
 * {@code streams}, {@code indexer} and {@code api} run alone, started together. {@link #start()}
 * brings the parts up in data-flow order — broker, topics, indexer (store, relabel job, retention),
 * audit streams (convert, enrich, label, chain), FHIR server with its feed, then the syslog
 * listeners last, so nothing is accepted before it can be made durable — and {@link #close()} stops
 * them in reverse: intake first (stop accepting, confirm every message already read with Kafka),
 * then the stages drain and commit, the broker last. On the HTTP port: meters in Prometheus text
 * format at {@code /metrics}, and {@code /health/live}, {@code /health/ready}.
 */
public final class Pipeline implements AutoCloseable, StartupGate {

  private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);

  private final PipelineConfig config;
  private final RetentionSettings retention;
  private final ElasticsearchLayout elasticsearchLayout;
  private final Parts parts = new Parts();
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Readiness readiness = new Readiness();
  private @Nullable ApiService api;
  private @Nullable IngestService ingest;
  private @Nullable String bootstrapServers;
  private volatile @Nullable AuditStore store;

  public Pipeline(PipelineConfig config) {
    this(config, RetentionSettings.OFF);
  }

  /** With a retention schedule ({@code --retention}): applied to the store from start to close. */
  public Pipeline(PipelineConfig config, RetentionSettings retention) {
    this(config, retention, ElasticsearchLayout.DEFAULTS);
  }

  /**
   * With the monthly-index layout for an Elasticsearch cluster ({@code --elasticsearch-shards} …).
   */
  public Pipeline(
      PipelineConfig config, RetentionSettings retention, ElasticsearchLayout elasticsearchLayout) {
    this.config = config;
    this.retention = java.util.Objects.requireNonNull(retention, "retention");
    this.elasticsearchLayout =
        java.util.Objects.requireNonNull(elasticsearchLayout, "elasticsearchLayout");
  }

  public synchronized Pipeline start() {
    try {
      bindJvmMeters(registry);
      String bootstrap = config.kafkaBootstrap();
      if (bootstrap == null) {
        EmbeddedKafkaBroker b =
            parts.add(
                new EmbeddedKafkaBroker(config.kafkaDir(), config.kafkaPort(), Map.of()).start());
        bootstrap = b.bootstrapServers();
        LOG.info("ready: kafka broker (embedded, KRaft) on {}", bootstrap);
      }
      bootstrapServers = bootstrap;
      EmbeddedKafkaBroker.createTopics(bootstrap, Topics.newTopics((short) 1));
      // verify --data-dir reads the checkpoints of this cluster, never another instance's
      BrokerRecord.write(config.dataDir(), bootstrap, java.time.Duration.ofSeconds(10));
      KafkaProbe kafka = parts.add(new KafkaProbe(bootstrap));
      readiness.add(kafka.reachable());

      IndexerService indexer =
          parts.add(
              IndexerService.start(config, retention, elasticsearchLayout, bootstrap, registry));
      store = indexer.store();
      readiness
          .add(indexer.checks())
          .add(kafka.lag(AuditIndexer.DEFAULT_GROUP, config.readyMaxLag()));
      StreamsPart streams = parts.add(StreamsPart.start(config, bootstrap, registry));
      readiness.add(streams.checks());
      api =
          parts.add(
              ApiService.start(
                  config,
                  bootstrap,
                  indexer.store(),
                  streams.keys().publicKey(),
                  readiness,
                  registry));
      ingest = parts.add(IngestService.start(config, bootstrap, registry));
      readiness.add(ingest.checks());
      return this;
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /**
   * The store's template, alias and write index are in place (Elasticsearch may be reached only
   * after start): until then {@code serve} does not say ready.
   */
  @Override
  public @Nullable String notReadyYet() {
    AuditStore s = store;
    if (s == null) {
      return "not started";
    }
    StoreHealth h = s.check();
    return h.ok() ? null : "store: " + h.reason();
  }

  /** JVM memory, GC, threads and CPU, as every service command serves them at {@code /metrics}. */
  static void bindJvmMeters(PrometheusMeterRegistry registry) {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
  }

  /** Where the local token issuer's key is ({@code atna-bridge token --data-dir}). */
  public java.nio.file.Path keysDir() {
    return config.keysDir();
  }

  public int httpPort() {
    return require(api, "FHIR server").server().port();
  }

  public String fhirBaseUrl() {
    return require(api, "FHIR server").server().baseUrl();
  }

  public int syslogPort() {
    return require(ingest, "syslog listener").tcpPort();
  }

  public int syslogUdpPort() {
    return require(ingest, "syslog UDP listener").udpPort();
  }

  public int syslogTlsPort() {
    return require(ingest, "syslog TLS listener").tlsPort();
  }

  /** The meters, as served at {@code /metrics}. */
  public PrometheusMeterRegistry meterRegistry() {
    return registry;
  }

  /** The checks served at {@code /health/ready}. */
  public Readiness readiness() {
    return readiness;
  }

  public String bootstrapServers() {
    return require(bootstrapServers, "kafka");
  }

  @Override
  public synchronized void close() {
    parts.close();
    api = null;
    ingest = null;
  }

  static <T> T require(@Nullable T value, String what) {
    if (value == null) {
      throw new IllegalStateException(what + " not started");
    }
    return value;
  }
}
