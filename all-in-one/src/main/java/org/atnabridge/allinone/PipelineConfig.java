package org.atnabridge.allinone;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Everything {@code serve} needs, validated once at start-up: a bad value stops the process with
 * a message naming the option.
 *
 * @param dataDir root of all local state: {@code kafka/}, {@code index/}, {@code streams/}
 * @param httpHost address the FHIR server binds to
 * @param httpPort FHIR server port (0 = any free port)
 * @param syslogHost address the syslog listeners bind to
 * @param syslogPort syslog TCP port (0 = any free port)
 * @param syslogTlsPort syslog TLS port (reserved; the TLS listener arrives with the ingest issue)
 * @param kafkaPort embedded broker port on loopback (0 = any free port)
 * @param kafkaBootstrap an external Kafka to use instead of the embedded broker, or null
 * @param elasticsearchUrl an Elasticsearch to use instead of the embedded Lucene store, or null
 * @param allowRemoteUnauthenticated let the FHIR server bind a non-loopback address although
 *     it has no authentication yet (explicit local-dev setting)
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
    boolean allowRemoteUnauthenticated) {

  public PipelineConfig {
    Objects.requireNonNull(dataDir, "--data-dir");
    port("--http-port", httpPort);
    port("--syslog-port", syslogPort);
    port("--syslog-tls-port", syslogTlsPort);
    port("--kafka-port", kafkaPort);
    kafkaBootstrap = blankToNull(kafkaBootstrap);
    elasticsearchUrl = blankToNull(elasticsearchUrl);
    if (elasticsearchUrl != null && !elasticsearchUrl.matches("https?://[^\\s/]+(:\\d+)?/?")) {
      throw new IllegalArgumentException("--elasticsearch-url must look like http://host:9200, got: " + elasticsearchUrl);
    }
    if (kafkaBootstrap != null && !kafkaBootstrap.matches("[^\\s,]+:\\d+(,[^\\s,]+:\\d+)*")) {
      throw new IllegalArgumentException("--kafka-bootstrap must be host:port[,host:port...], got: " + kafkaBootstrap);
    }
    if (!allowRemoteUnauthenticated && !isLoopback(httpHost)) {
      throw new IllegalArgumentException("--http-host " + httpHost + " is not a loopback address: the FHIR API has no "
          + "authentication yet, so it only serves this machine unless --dev-allow-unauthenticated-remote is given");
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

  private static void port(String option, int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(option + " must be 0..65535, got: " + port);
    }
  }

  private static @Nullable String blankToNull(@Nullable String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("--http-host cannot be resolved: " + host);
    }
  }
}
