package org.atnabridge.allinone;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.atnabridge.allinone.health.HealthServer;
import org.atnabridge.allinone.health.KafkaProbe;
import org.atnabridge.allinone.health.Readiness;
import org.atnabridge.kafka.embedded.EmbeddedKafkaBroker;
import org.atnabridge.schemas.Topics;
import org.atnabridge.store.AuditStore;
import org.atnabridge.store.StoreHealth;
import org.jspecify.annotations.Nullable;

/**
 * What each single-service command shares: the meter registry with the JVM's meters, the topics
 * (created when missing, as {@code serve} does), the Kafka probe, and the readiness the service's
 * checks join.
 */
final class ServiceProcess implements AutoCloseable, StartupGate {

  final Parts parts = new Parts();
  final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  final Readiness readiness = new Readiness();
  final KafkaProbe kafka;
  final String bootstrap;
  private volatile @Nullable AuditStore gate;

  ServiceProcess(PipelineConfig config) {
    bootstrap = java.util.Objects.requireNonNull(config.kafkaBootstrap(), "--kafka-bootstrap");
    Pipeline.bindJvmMeters(registry);
    // missing topics (topics create not run) get the cluster's default replication, never 1 on
    // a cluster that replicates; their partitions and configs are the product's, not the broker's
    EmbeddedKafkaBroker.createTopics(bootstrap, Topics.newTopicsWithBrokerReplication());
    kafka = parts.add(new KafkaProbe(bootstrap));
    readiness.add(kafka.reachable());
  }

  /** {@code /health/*} and {@code /metrics} on the service's own port. */
  HealthServer serveHealth(HealthPortOptions options) {
    return parts.add(
        HealthServer.start(options.healthHost, options.healthPort, readiness, registry));
  }

  /** The ready line waits until {@code store} answers ({@link StartupGate}). */
  void readyOnceReachable(AuditStore store) {
    gate = store;
  }

  @Override
  public @Nullable String notReadyYet() {
    AuditStore store = gate;
    if (store == null) {
      return null;
    }
    StoreHealth h = store.check();
    return h.ok() ? null : "store: " + h.reason();
  }

  @Override
  public void close() {
    parts.close();
  }
}
