package org.atnabridge.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One service of the packaged {@code atna-bridge.jar} ({@code ingest}, {@code streams}, {@code
 * indexer}) run as its own JVM, as an operator runs it, its output in a log file; with the CPU time
 * the process has used so far, read from the OS ({@code /proc/<pid>/stat} through {@link
 * ProcessHandle}), so that a bench can charge each event the service's own CPU and nothing else.
 */
final class ServiceJvm implements AutoCloseable {

  /** The line {@code ServiceRun} logs once the service is ready. */
  static final String READY = "atna-bridge ready in";

  private final Process process;
  private final Path log;

  private ServiceJvm(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /**
   * {@code java -Xmx512m -jar atna-bridge.jar ARGS...}: the heap the fault tests give each service.
   */
  static ServiceJvm start(Path log, String... args) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "--enable-native-access=ALL-UNNAMED",
                "-jar",
                jar().toString()));
    command.addAll(List.of(args));
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new ServiceJvm(p, log);
  }

  /**
   * The packaged jar: {@code -Dbench.jar}, else {@code all-in-one/target/atna-bridge.jar} from the
   * repository root or from a module directory (where failsafe runs the smoke test).
   */
  static Path jar() {
    String set = System.getProperty("bench.jar");
    if (set != null) {
      return Path.of(set).toAbsolutePath();
    }
    for (String candidate :
        List.of("all-in-one/target/atna-bridge.jar", "../all-in-one/target/atna-bridge.jar")) {
      Path p = Path.of(candidate).toAbsolutePath().normalize();
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    throw new IllegalStateException(
        "no all-in-one/target/atna-bridge.jar: package all-in-one first, or set -Dbench.jar");
  }

  /** Waits for the ready line; fails with the log's tail when the process died or took too long. */
  ServiceJvm awaitReady(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("service died before ready:\n" + tail());
      }
      if (log().contains(READY)) {
        return this;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("service not ready in " + timeout + ":\n" + tail());
  }

  /** CPU time (user + system) of the JVM since it started, in nanoseconds. */
  long cpuNanos() {
    return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
  }

  boolean isAlive() {
    return process.isAlive();
  }

  String tail() {
    String all = log();
    return all.substring(Math.max(0, all.length() - 4000));
  }

  private String log() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** SIGTERM, then SIGKILL if it has not stopped within 30 s. */
  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
    }
  }

  /** The summed CPU time of {@code jvms}, in nanoseconds. */
  static long cpuNanos(List<ServiceJvm> jvms) {
    long sum = 0;
    for (ServiceJvm j : jvms) {
      sum += j.cpuNanos();
    }
    return sum;
  }
}
