package org.atnabridge.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** One tiny run of {@link AuditStreamsLoadBench} (embedded broker + both streams applications); no numbers asserted. */
class AuditStreamsLoadBenchSmokeIT {

  @Test
  void run_fewEvents_allEnrichedAndMeasured() throws Exception {
    AuditStreamsLoadBench.Result r = AuditStreamsLoadBench.run(300, 0);
    assertThat(r.events()).isEqualTo(300);
    assertThat(r.eventsPerSecond()).isPositive();
    assertThat(r.p99Ms()).isGreaterThanOrEqualTo(r.p50Ms());
  }
}
