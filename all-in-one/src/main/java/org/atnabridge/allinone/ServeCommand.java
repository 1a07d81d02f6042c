package org.atnabridge.allinone;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
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

  @Option(names = "--syslog-host", defaultValue = "${env:ATNA_SYSLOG_HOST:-0.0.0.0}",
      description = "Address of the syslog listeners (env ATNA_SYSLOG_HOST; default ${DEFAULT-VALUE}).")
  String syslogHost;

  @Option(names = "--syslog-port", defaultValue = "${env:ATNA_SYSLOG_PORT:-5514}",
      description = "Syslog TCP port, RFC 6587 framing (env ATNA_SYSLOG_PORT; default ${DEFAULT-VALUE}).")
  int syslogPort;

  @Option(names = "--syslog-tls-port", defaultValue = "${env:ATNA_SYSLOG_TLS_PORT:-6514}",
      description = "Syslog TLS port, RFC 5425 (env ATNA_SYSLOG_TLS_PORT; default ${DEFAULT-VALUE}). "
          + "Reserved: the TLS listener is not enabled in this version.")
  int syslogTlsPort;

  @Option(names = "--kafka-port", defaultValue = "${env:ATNA_KAFKA_PORT:-9092}",
      description = "Port of the embedded Kafka broker on 127.0.0.1 (env ATNA_KAFKA_PORT; default ${DEFAULT-VALUE}).")
  int kafkaPort;

  @Option(names = "--kafka-bootstrap", defaultValue = "${env:ATNA_KAFKA_BOOTSTRAP:-}",
      description = "Use this external Kafka (host:port,...) instead of the embedded broker (env ATNA_KAFKA_BOOTSTRAP).")
  String kafkaBootstrap;

  @Option(names = "--elasticsearch-url", defaultValue = "${env:ATNA_ELASTICSEARCH_URL:-}",
      description = "Use this Elasticsearch instead of the embedded Lucene index (env ATNA_ELASTICSEARCH_URL).")
  String elasticsearchUrl;

  @Option(names = "--dev-allow-unauthenticated-remote",
      defaultValue = "${env:ATNA_DEV_ALLOW_UNAUTHENTICATED_REMOTE:-false}",
      description = "Local development only: allow a non-loopback --http-host without authentication "
          + "(env ATNA_DEV_ALLOW_UNAUTHENTICATED_REMOTE).")
  boolean allowRemoteUnauthenticated;

  @Override
  public Integer call() throws InterruptedException {
    PipelineConfig config = new PipelineConfig(dataDir, httpHost, httpPort, syslogHost, syslogPort, syslogTlsPort,
        kafkaPort, kafkaBootstrap, elasticsearchUrl, allowRemoteUnauthenticated);
    CountDownLatch stopped = new CountDownLatch(1);
    Pipeline pipeline = new Pipeline(config);
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
}
