package org.atnabridge.allinone.health;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

/**
 * The readiness checks that ask the Kafka cluster: is it reachable, and how far behind is a
 * consumer group. One admin client per process, each answer bounded by a short timeout so a probe
 * never hangs on a missing broker.
 */
public final class KafkaProbe implements AutoCloseable {

  static final Duration TIMEOUT = Duration.ofSeconds(3);

  private final Admin admin;

  public KafkaProbe(String bootstrapServers) {
    this.admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG,
                "atna-bridge-health",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                (int) TIMEOUT.toMillis(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                (int) TIMEOUT.toMillis()));
  }

  /** {@code kafka}: the cluster answers with at least one broker. */
  public HealthCheck reachable() {
    return new HealthCheck(
        "kafka",
        () -> {
          try {
            int brokers =
                admin
                    .describeCluster()
                    .nodes()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .size();
            return brokers > 0 ? null : "no broker in the cluster";
          } catch (ExecutionException | TimeoutException e) {
            return "kafka not reachable: " + e;
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
          }
        });
  }

  /**
   * {@code lag}: the records {@code group} has yet to consume over all its partitions are at most
   * {@code maxLag}. A group that has committed nothing yet is not behind by this measure.
   */
  public HealthCheck lag(String group, long maxLag) {
    return new HealthCheck(
        "lag",
        () -> {
          long lag = lag(group);
          return lag <= maxLag
              ? null
              : "consumer group " + group + " is " + lag + " records behind (max " + maxLag + ")";
        });
  }

  /** Records {@code group} has yet to consume: end offsets minus committed offsets, summed. */
  public long lag(String group) {
    try {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin
              .listConsumerGroupOffsets(group)
              .partitionsToOffsetAndMetadata()
              .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      Map<TopicPartition, @Nullable OffsetAndMetadata> known =
          committed.entrySet().stream()
              .filter(e -> e.getValue() != null)
              .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
      if (known.isEmpty()) {
        return 0;
      }
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
          admin
              .listOffsets(
                  known.keySet().stream()
                      .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest())))
              .all()
              .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      long lag = 0;
      for (Map.Entry<TopicPartition, @Nullable OffsetAndMetadata> e : known.entrySet()) {
        ListOffsetsResult.ListOffsetsResultInfo end = ends.get(e.getKey());
        if (end != null && e.getValue() != null) {
          lag += Math.max(0, end.offset() - e.getValue().offset());
        }
      }
      return lag;
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("consumer lag of " + group + " unknown: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(5));
  }
}
