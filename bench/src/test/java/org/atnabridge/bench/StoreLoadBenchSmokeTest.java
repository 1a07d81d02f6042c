package org.atnabridge.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the store load benchmark on Lucene with 3,000 events and 20 queries (JSON generated, then
 * indexed through {@code indexJson}), so a benchmark that no longer works against the store fails
 * the build. Asserts that it measured, never how fast.
 */
class StoreLoadBenchSmokeTest {

  @Test
  void lucene_smallRun_measuresEverything(@TempDir Path dir) throws Exception {
    StoreLoadBench.Result r = StoreLoadBench.lucene(dir, 3_000, 2, 20);

    assertThat(r.eventsPerSecond()).isPositive();
    assertThat(r.cpuMicrosPerEvent()).isPositive();
    assertThat(r.generateSeconds()).isPositive();
    assertThat(r.bytesOnDisk()).isPositive();
    assertThat(r.patientMillis()).hasSize(3);
    assertThat(r.agentMillis()[2]).isPositive();
  }
}
