package org.atnabridge.allinone;

import picocli.CommandLine.Option;

/** {@code serve}'s Kafka: the embedded broker, or an external one. */
final class KafkaOptions {

  @Option(
      names = "--kafka-port",
      defaultValue = "${env:ATNA_KAFKA_PORT:-9092}",
      description =
          "Port of the embedded Kafka broker on 127.0.0.1 (env ATNA_KAFKA_PORT; default ${DEFAULT-VALUE}).")
  int kafkaPort;

  @Option(
      names = "--kafka-bootstrap",
      defaultValue = "${env:ATNA_KAFKA_BOOTSTRAP:-}",
      description =
          "Use this external Kafka (host:port,...) instead of the embedded broker (env ATNA_KAFKA_BOOTSTRAP).")
  String kafkaBootstrap;

  PipelineConfig.Builder applyTo(PipelineConfig.Builder config) {
    return config.kafkaPort(kafkaPort).kafkaBootstrap(kafkaBootstrap);
  }
}
