package org.atnabridge.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** What the end-to-end latency benches share: pacing a sender, percentiles, the machine's load. */
final class LatencyRuns {

  private LatencyRuns() {}

  /** The p-quantile (0..1) of {@code values} by the nearest-rank method; NaN when empty. */
  static double percentile(List<Double> values, double p) {
    List<Double> sorted = values.stream().sorted().toList();
    return sorted.isEmpty()
        ? Double.NaN
        : sorted.get(
            Math.max(0, Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1)));
  }

  /** Sleeps at least 0.1 ms: a paced sender waits for its next due time. */
  static void sleepNanos(long nanos) {
    try {
      Thread.sleep(Duration.ofNanos(Math.max(nanos, 100_000)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** {@code /proc/loadavg} as it reads, or "?". */
  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).strip();
    } catch (IOException e) {
      return "?";
    }
  }
}
