package org.atnabridge.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One tiny run of {@link ApiLoadBench} on Lucene (2,000 events, embedded broker, real FHIR server,
 * 2 clients for 2 s per kind): every search found its event. Asserts that it measured, never how
 * fast.
 */
class ApiLoadBenchSmokeIT {

  @Test
  void lucene_smallRun_everySearchFindsItsEvent(@TempDir Path dir) throws Exception {
    List<ApiLoadBench.Result> results =
        ApiLoadBench.lucene(
            dir,
            2_000,
            new ApiLoadBench.Load(2, Duration.ofSeconds(1), Duration.ofSeconds(2), null));

    assertThat(results).extracting(ApiLoadBench.Result::kind).containsExactly("patient", "agent");
    for (ApiLoadBench.Result r : results) {
      assertThat(r.requests()).as(r.kind()).isPositive();
      assertThat(r.errors()).as(r.kind()).isZero();
      assertThat(r.p99()).as(r.kind()).isGreaterThanOrEqualTo(r.p50()).isPositive();
      assertThat(r.cpuMsPerRequest()).as(r.kind()).isPositive();
    }
  }
}
