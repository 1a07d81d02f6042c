package org.atnabridge.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.atnabridge.testing.ElasticsearchExtension;
import org.atnabridge.testing.ElasticsearchNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One tiny run of {@link CapacityBench} over every service (one JVM of the packaged jar each,
 * against a real Elasticsearch node): every message sent reached Kafka through ingest, was enriched
 * by streams, and was indexed once (the store's count is exactly the warm-up plus the measured
 * events). Asserts that it measured, never how fast.
 */
@ExtendWith(ElasticsearchExtension.class)
class CapacityBenchSmokeIT {

  @Test
  void everyService_fewEvents_allProcessedAndMeasured(ElasticsearchNode es) throws Exception {
    CapacityBench.Result r = CapacityBench.run("all", 150, List.of(1), 30, 150, es.url());

    assertThat(r.measurements())
        .extracting(CapacityBench.Measurement::service)
        .containsExactly("ingest", "streams", "indexer");
    assertThat(r.measurements())
        .allSatisfy(
            m -> {
              assertThat(m.events()).isEqualTo(150);
              assertThat(m.instances()).isEqualTo(1);
              assertThat(m.cpuNanos()).isPositive();
              assertThat(m.seconds()).isPositive();
            });
    assertThat(r.storage()).isNotNull();
    assertThat(r.storage().docs()).as("every event indexed once").isEqualTo(180);
    assertThat(r.storage().primaryBytes()).isPositive();
    assertThat(r.merged()).isNotNull();
    assertThat(r.merged().docs()).isEqualTo(180);
  }
}
