package org.atnabridge.allinone;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.atnabridge.atna.AtnaConverter;
import org.atnabridge.ingest.KafkaRawMessageSink;
import org.atnabridge.ingest.ListenerConfig;
import org.atnabridge.ingest.SyslogListener;
import org.atnabridge.kafka.embedded.EmbeddedKafkaBroker;
import org.atnabridge.schemas.Topics;
import org.atnabridge.search.FhirServerFactory;
import org.atnabridge.search.SearchServer;
import org.atnabridge.store.AuditStore;
import org.atnabridge.store.AuditStores;
import org.atnabridge.store.indexer.AuditIndexer;
import org.atnabridge.streams.StreamsService;
import org.atnabridge.streams.StreamsSettings;
import org.atnabridge.streams.convert.ConvertTopology;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole product in one process. {@link #start()} brings the parts up in data-flow order —
 * broker, topics, store, indexer, conversion, FHIR server, then the syslog listener last, so
 * nothing is accepted before it can be made durable — and {@link #close()} stops them in
 * reverse: intake first, then the stages drain and commit, the broker last.
 */
public final class Pipeline implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);

  private final PipelineConfig config;
  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private @Nullable EmbeddedKafkaBroker broker;
  private @Nullable SearchServer searchServer;
  private @Nullable SyslogListener syslogListener;
  private @Nullable String bootstrapServers;

  public Pipeline(PipelineConfig config) {
    this.config = config;
  }

  public synchronized Pipeline start() {
    try {
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
          : AuditStores.elasticsearch(config.elasticsearchUrl());
      started.push(store);
      LOG.info("ready: audit store {}", config.elasticsearchUrl() == null
          ? "lucene at " + config.indexDir() : "elasticsearch at " + config.elasticsearchUrl());

      AuditIndexer indexer = new AuditIndexer(Map.of("bootstrap.servers", bootstrap), Topics.AUDIT_EVENTS.name(), store, null);
      started.push(indexer);
      indexer.start();

      StreamsService convert = new StreamsService(ConvertTopology.APPLICATION_ID,
          ConvertTopology.build(new AtnaConverter(), Clock.systemUTC()),
          StreamsSettings.defaults(bootstrap, config.streamsDir()));
      started.push(convert);
      convert.start(Duration.ofSeconds(60));

      SearchServer search = new SearchServer(config.httpHost(), config.httpPort(), FhirServerFactory.create(store.search()));
      started.push(search);
      search.start();
      searchServer = search;
      LOG.info("ready: FHIR server on {}", search.baseUrl());

      KafkaRawMessageSink sink = new KafkaRawMessageSink(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
      started.push(sink);
      ListenerConfig defaults = ListenerConfig.defaults(config.syslogPort());
      SyslogListener listener = new SyslogListener(new ListenerConfig(config.syslogHost(), config.syslogPort(),
          defaults.maxFrameLength(), defaults.idleTimeout()), sink);
      started.push(listener);
      listener.start();
      syslogListener = listener;
      LOG.info("ready: syslog TCP listener on {}:{}", config.syslogHost(), listener.tcpPort());
      return this;
    } catch (RuntimeException e) {
      close();
      throw e;
    }
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
    broker = null;
  }

  private static <T> T require(@Nullable T value, String what) {
    if (value == null) {
      throw new IllegalStateException(what + " not started");
    }
    return value;
  }
}
