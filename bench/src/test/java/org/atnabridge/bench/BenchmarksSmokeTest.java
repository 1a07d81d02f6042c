package org.atnabridge.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every benchmark for one short iteration in this JVM, so a benchmark that throws or no longer
 * compiles against the code it measures fails the build. Asserts that each produced a result, never
 * how fast: timing belongs in benchmark reports, not in tests.
 */
class BenchmarksSmokeTest {

  @Test
  void everyBenchmark_runsOneIteration() throws Exception {
    List<Class<?>> classes =
        List.of(
            AtnaConverterBenchmarks.class,
            AuditStreamsWorkBenchmarks.class,
            AccessLogConverterBenchmarks.class,
            AlertRulesBenchmarks.class,
            SubscriptionMatchBenchmarks.class);
    OptionsBuilder builder = new OptionsBuilder();
    classes.forEach(c -> builder.include(c.getName() + "\\."));
    Options options =
        builder
            .forks(0)
            .warmupIterations(0)
            .measurementIterations(1)
            .measurementTime(TimeValue.milliseconds(200))
            .build();
    Collection<RunResult> results = new Runner(options).run();
    long benchmarks =
        classes.stream()
            .flatMap(c -> java.util.Arrays.stream(c.getMethods()))
            .filter(m -> m.isAnnotationPresent(org.openjdk.jmh.annotations.Benchmark.class))
            .count();
    assertThat(results).hasSize((int) benchmarks);
    assertThat(results).allSatisfy(r -> assertThat(r.getPrimaryResult().getScore()).isPositive());
  }
}
