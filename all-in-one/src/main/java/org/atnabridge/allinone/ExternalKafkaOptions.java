package org.atnabridge.allinone;

import picocli.CommandLine.Option;

/**
 * The Kafka a single service joins ({@code ingest}, {@code streams}, {@code indexer}, {@code api}):
 * never embedded.
 */
final class ExternalKafkaOptions {

  @Option(
      names = "--kafka-bootstrap",
      defaultValue = "${env:ATNA_KAFKA_BOOTSTRAP:-}",
      description =
          "The Kafka (host:port,...) this service joins; required (env ATNA_KAFKA_BOOTSTRAP).")
  String kafkaBootstrap;

  /**
   * @throws IllegalArgumentException naming the option when it is not given
   */
  PipelineConfig.Builder applyTo(PipelineConfig.Builder config, String command) {
    if (kafkaBootstrap == null || kafkaBootstrap.isBlank()) {
      throw new IllegalArgumentException(
          "--kafka-bootstrap is required by atna-bridge "
              + command
              + " (host:port[,host:port...] of the Kafka every service shares; env ATNA_KAFKA_BOOTSTRAP); "
              + "atna-bridge serve runs all services with an embedded broker");
    }
    return config.kafkaBootstrap(kafkaBootstrap);
  }
}
