package org.atnabridge.allinone;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.atnabridge.kafka.embedded.EmbeddedKafkaBroker;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The Kafka an operator's command ({@code dlq}, {@code replay}, {@code topics}) works on: {@code
 * --kafka-bootstrap} (a cluster), else the broker {@code serve} recorded in {@code --data-dir}
 * ({@link BrokerRecord}) while it answers, else — {@code serve} stopped — the embedded broker's own
 * log directory {@code <data-dir>/kafka}, opened by the command for its duration on a free loopback
 * port; else {@value InstanceChecks#DEFAULT_BOOTSTRAP}.
 */
final class ToolKafkaOptions {

  @Option(
      names = "--kafka-bootstrap",
      defaultValue = "${env:ATNA_KAFKA_BOOTSTRAP}",
      description =
          "Kafka (host:port,...) to work on (env ATNA_KAFKA_BOOTSTRAP); default: the broker of --data-dir.")
  @Nullable String kafkaBootstrap;

  @Option(
      names = "--data-dir",
      defaultValue = "${env:ATNA_DATA_DIR:-./data}",
      description =
          "Data dir of an all-in-one serve: its recorded broker while serve runs, else its embedded broker "
              + "opened by this command (env ATNA_DATA_DIR; default ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(
      names = "--timeout",
      defaultValue = "30s",
      converter = DurationConverter.class,
      description = "How long to wait for Kafka, e.g. 30s or PT30S (default ${DEFAULT-VALUE}).")
  Duration timeout;

  /**
   * The Kafka to use; close it when done (stops a broker the command opened).
   *
   * @throws IllegalArgumentException when {@code --kafka-bootstrap} is not host:port[,...]
   */
  ToolKafka open() {
    if (kafkaBootstrap != null && !kafkaBootstrap.isBlank()) {
      String given = kafkaBootstrap.trim();
      if (!given.matches("[^\\s,]+:\\d+(,[^\\s,]+:\\d+)*")) {
        throw new IllegalArgumentException(
            "--kafka-bootstrap must be host:port[,host:port...], got: " + kafkaBootstrap);
      }
      return new ToolKafka(given, null);
    }
    Optional<BrokerRecord> recorded = BrokerRecord.read(dataDir);
    if (recorded.isPresent() && answers(recorded.get().bootstrap())) {
      return new ToolKafka(recorded.get().bootstrap(), null);
    }
    Path kafkaDir = dataDir.resolve("kafka");
    if (Files.exists(kafkaDir.resolve("meta.properties"))) {
      EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(kafkaDir, 0, Map.of()).start();
      return new ToolKafka(broker.bootstrapServers(), broker);
    }
    return new ToolKafka(
        recorded.map(BrokerRecord::bootstrap).orElse(InstanceChecks.DEFAULT_BOOTSTRAP), null);
  }

  private boolean answers(String bootstrap) {
    try {
      BrokerRecord.clusterId(
          bootstrap, Duration.ofSeconds(Math.max(1, Math.min(5, timeout.toSeconds()))));
      return true;
    } catch (IllegalStateException e) {
      return false;
    }
  }

  /**
   * A Kafka to work on.
   *
   * @param bootstrap its bootstrap servers
   * @param opened the data dir's broker when this command started it (stopped on close)
   */
  record ToolKafka(String bootstrap, @Nullable EmbeddedKafkaBroker opened)
      implements AutoCloseable {

    /** {@code host:port}, and that it is the data dir's broker opened by the command. */
    String describe() {
      return opened == null
          ? bootstrap
          : bootstrap + " (the embedded broker of " + opened.dataDir() + ", serve stopped)";
    }

    @Override
    public void close() {
      if (opened != null) {
        opened.close();
      }
    }
  }
}
