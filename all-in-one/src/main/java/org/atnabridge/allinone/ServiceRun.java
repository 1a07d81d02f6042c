package org.atnabridge.allinone;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How every long-running command lives: start, say ready, run until SIGTERM/SIGINT, then stop
 * cleanly.
 */
final class ServiceRun {

  private static final Logger LOG = LoggerFactory.getLogger(ServiceRun.class);

  private ServiceRun() {}

  /**
   * Starts what {@code start} returns and blocks until the JVM is asked to stop, then closes it
   * (intake first: each service stops in reverse order of start).
   *
   * @param command the subcommand, named in the ready line
   */
  static int untilStopped(
      String command, @Nullable Path dataDir, Supplier<? extends AutoCloseable> start)
      throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    AutoCloseable[] running = new AutoCloseable[1];
    Thread hook =
        new Thread(
            () -> {
              LOG.info("stopping: flushing and committing");
              synchronized (running) {
                if (running[0] != null) {
                  try {
                    running[0].close();
                  } catch (Exception e) {
                    LOG.warn("{} did not stop cleanly: {}", command, e.toString());
                  }
                }
              }
              stopped.countDown();
            },
            "atna-bridge-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    // which JDK runs the product, whether bin/atna-bridge picked it or the jar was started by hand
    LOG.info("java: {} ({})", System.getProperty("java.home"), System.getProperty("java.version"));
    long t0 = System.nanoTime();
    synchronized (running) {
      running[0] = start.get();
    }
    if (running[0] instanceof StartupGate gate && !awaitGate(command, gate, stopped, t0)) {
      return 0; // asked to stop before it was ready
    }
    long ms = (System.nanoTime() - t0) / 1_000_000;
    if (dataDir == null) {
      LOG.info("atna-bridge ready in {} ms ({})", ms, command);
    } else if (command.equals("serve")) {
      LOG.info(
          "atna-bridge ready in {} ms (data dir {})", ms, dataDir.toAbsolutePath().normalize());
    } else {
      LOG.info(
          "atna-bridge ready in {} ms ({}, data dir {})",
          ms,
          command,
          dataDir.toAbsolutePath().normalize());
    }
    stopped.await();
    return 0;
  }

  /**
   * Holds the ready line back while the gate reports something missing: logged once, then checked
   * every second until it passes or the process is asked to stop.
   *
   * @return true when the gate passed, false when stopped first
   */
  private static boolean awaitGate(
      String command, StartupGate gate, CountDownLatch stopped, long t0)
      throws InterruptedException {
    String missing = gate.notReadyYet();
    if (missing == null) {
      return true;
    }
    LOG.warn(
        "{} started in {} ms but is not ready: {}; /health/ready answers 503 until it is",
        command,
        (System.nanoTime() - t0) / 1_000_000,
        missing);
    while (missing != null) {
      if (stopped.await(1, TimeUnit.SECONDS)) {
        return false;
      }
      missing = gate.notReadyYet();
    }
    return true;
  }
}
