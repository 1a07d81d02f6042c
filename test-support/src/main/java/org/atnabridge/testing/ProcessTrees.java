package org.atnabridge.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The Elasticsearch process tree on the OS: stopping it whole, and finding nodes whose owning JVM
 * died (pid files hold "pid start-instant").
 */
final class ProcessTrees {

  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  private ProcessTrees() {}

  /**
   * SIGTERM to the launcher and the server JVM (both shut down cleanly on it), SIGKILL after a
   * grace period.
   */
  static void stopTree(ProcessHandle root) {
    List<ProcessHandle> all = new ArrayList<>();
    all.add(root);
    all.addAll(root.descendants().toList());
    all.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
    for (ProcessHandle p : all) {
      try {
        p.onExit().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (Exception notYet) {
        p.destroyForcibly();
      }
    }
    for (ProcessHandle p : all) {
      if (p.isAlive()) {
        p.destroyForcibly();
        p.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(t -> p).join();
      }
    }
  }

  /** Stops nodes left behind by a test JVM that died without running its shutdown hook. */
  static void reapOrphans(Path base) {
    if (!Files.isDirectory(base)) {
      return;
    }
    try (Stream<Path> nodes = Files.list(base)) {
      for (Path node : nodes.filter(d -> d.getFileName().toString().startsWith("node-")).toList()) {
        if (process(node.resolve("owner.pid")).isPresent()) {
          continue; // its JVM is alive (a parallel run) and owns it
        }
        process(node.resolve("es.pid"))
            .ifPresent(
                es -> {
                  System.err.println(
                      "ElasticsearchExtension: stopping orphaned Elasticsearch pid "
                          + es.pid()
                          + " from "
                          + node);
                  stopTree(es);
                });
        NodeFiles.deleteTree(node);
      }
    } catch (IOException e) {
      System.err.println("ElasticsearchExtension: cannot clean " + base + ": " + e);
    }
  }

  /** "pid start-instant", so a recycled pid is never mistaken for ours. */
  static String pidLine(ProcessHandle p) {
    return p.pid() + " " + p.info().startInstant().map(Instant::toString).orElse("-");
  }

  static Optional<ProcessHandle> process(Path pidFile) {
    try {
      String[] parts = Files.readString(pidFile).trim().split(" ");
      return ProcessHandle.of(Long.parseLong(parts[0]))
          .filter(ProcessHandle::isAlive)
          .filter(p -> p.info().startInstant().map(Instant::toString).orElse("-").equals(parts[1]));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
