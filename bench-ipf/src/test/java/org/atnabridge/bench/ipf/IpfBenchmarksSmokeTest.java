package org.atnabridge.bench.ipf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * One short in-JVM iteration: IPF reads every payload of the mix and the benchmark produces a
 * score.
 */
class IpfBenchmarksSmokeTest {

  @Test
  void everyBenchmark_runsOneIteration() throws Exception {
    assertThat(IpfBenchmarks.payloads()).hasSize(22);
    Options options =
        new OptionsBuilder()
            .include(IpfBenchmarks.class.getSimpleName())
            .forks(0)
            .warmupIterations(0)
            .measurementIterations(1)
            .measurementTime(TimeValue.milliseconds(500))
            .build();
    Collection<RunResult> results = new Runner(options).run();
    assertThat(results)
        .singleElement()
        .satisfies(r -> assertThat(r.getPrimaryResult().getScore()).isPositive());
  }
}
