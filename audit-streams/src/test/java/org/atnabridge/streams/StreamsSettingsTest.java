package org.atnabridge.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class StreamsSettingsTest {

  @Test
  void defaultThreads_onePerCore_atMostOnePerRawPartition() {
    assertThat(StreamsSettings.defaultThreads(1)).isEqualTo(1);
    assertThat(StreamsSettings.defaultThreads(2)).isEqualTo(2);
    assertThat(StreamsSettings.defaultThreads(64)).isEqualTo(3);
  }

  @Test
  void toProperties_exactlyOnceWithTheThreadsAndOverridesWin() {
    Properties p =
        new StreamsSettings("b:9092", Path.of("s"), 1, 2, 200, Map.of("commit.interval.ms", "50"))
            .toProperties(AuditTopology.APPLICATION_ID);
    assertThat(p)
        .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2)
        .containsEntry(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 2)
        .containsEntry(StreamsConfig.APPLICATION_ID_CONFIG, "audit-enrich")
        .containsEntry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "50");
    assertThatThrownBy(() -> new StreamsSettings("b:9092", Path.of("s"), 1, 0, 200, Map.of()))
        .hasMessageContaining("threads");
  }

  @Test
  void internalTopics_replicatedAsTheClusterReplicatesByDefault_neverZero() {
    Properties p =
        StreamsSettings.defaults("b:9092", Path.of("s")).toProperties(AuditTopology.APPLICATION_ID);
    // -1: the broker's default.replication.factor (3 on the Compose cluster, 1 embedded), so a
    // changelog is never left with one replica on a cluster that replicates everything else
    assertThat(p).containsEntry(StreamsConfig.REPLICATION_FACTOR_CONFIG, -1);
    assertThatThrownBy(() -> new StreamsSettings("b:9092", Path.of("s"), 0, 1, 200, Map.of()))
        .hasMessageContaining("replicationFactor");
  }
}
