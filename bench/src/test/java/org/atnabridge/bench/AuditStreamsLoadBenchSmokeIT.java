package org.atnabridge.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Tiny runs of {@link AuditStreamsLoadBench} (embedded broker + the streams application, or its
 * Kafka floor); no numbers asserted.
 */
class AuditStreamsLoadBenchSmokeIT {

  @Test
  void run_fewEvents_allEnrichedAndMeasured() throws Exception {
    AuditStreamsLoadBench.Result r = AuditStreamsLoadBench.run(300, 0);
    assertThat(r.events()).isEqualTo(300);
    assertThat(r.eventsPerSecond()).isPositive();
    assertThat(r.p99Ms()).isGreaterThanOrEqualTo(r.p50Ms());
  }

  @Test
  void runFloor_fewEvents_allWrittenAndMeasured() throws Exception {
    AuditStreamsLoadBench.Result r = AuditStreamsLoadBench.runFloor(300, 0);
    assertThat(r.events()).isEqualTo(300);
    assertThat(r.eventsPerSecond()).isPositive();
  }
}
