package org.atnabridge.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.jspecify.annotations.Nullable;

/**
 * A 3-node KRaft Kafka cluster for fault tests, each node (broker and controller) a JVM of its own
 * on loopback, so that one can be killed with SIGKILL mid-load and started again on its data dir
 * and ports. Internal topics and new topics are replicated 3 times, {@code min.insync.replicas} 2.
 */
public final class KafkaCluster implements AutoCloseable {

  public static final int NODES = 3;

  private final Path dir;
  private final String clusterId = Uuid.randomUuid().toString();
  private final int[] brokerPorts = new int[NODES];
  private final int[] controllerPorts = new int[NODES];
  private final @Nullable Process[] nodes = new Process[NODES];
  private final String voters;

  private KafkaCluster(Path dir) {
    this.dir = dir;
    List<String> v = new ArrayList<>();
    for (int i = 0; i < NODES; i++) {
      brokerPorts[i] = FreePorts.next();
      controllerPorts[i] = FreePorts.next();
      v.add((i + 1) + "@127.0.0.1:" + controllerPorts[i]);
    }
    voters = String.join(",", v);
  }

  /** Starts the three nodes and waits until all three brokers are in the cluster. */
  public static KafkaCluster start(Path dir, Duration timeout) {
    KafkaCluster cluster = new KafkaCluster(dir);
    try {
      for (int i = 0; i < NODES; i++) {
        cluster.launch(i);
      }
      cluster.awaitBrokers(NODES, timeout);
      return cluster;
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  /** Every broker's address, as clients are given it. */
  public String bootstrapServers() {
    List<String> out = new ArrayList<>();
    for (int port : brokerPorts) {
      out.add("127.0.0.1:" + port);
    }
    return String.join(",", out);
  }

  /** SIGKILL of node {@code i} (0-based): no shutdown, no flush, as a crashed machine. */
  public void kill(int i) {
    Process p = nodes[i];
    if (p == null) {
      return;
    }
    p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
    try {
      p.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    nodes[i] = null;
  }

  /** Starts node {@code i} again on its data dir and ports; waits until it is back in. */
  public void restart(int i, Duration timeout) {
    launch(i);
    awaitBrokers(NODES, timeout);
  }

  private void launch(int i) {
    Path data = dir.resolve("node-" + (i + 1));
    Path log = dir.resolve("node-" + (i + 1) + ".log");
    try {
      Files.createDirectories(data);
      List<String> command =
          List.of(
              Path.of(System.getProperty("java.home"), "bin", "java").toString(),
              "-Xmx384m",
              "-cp",
              System.getProperty("java.class.path"),
              KafkaClusterNode.class.getName(),
              String.valueOf(i + 1),
              clusterId,
              data.toString(),
              String.valueOf(brokerPorts[i]),
              String.valueOf(controllerPorts[i]),
              voters,
              String.valueOf(ProcessHandle.current().pid()));
      nodes[i] =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start Kafka node " + (i + 1), e);
    }
  }

  private void awaitBrokers(int count, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no answer";
    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                5_000))) {
      while (System.nanoTime() < deadline) {
        for (int i = 0; i < NODES; i++) {
          Process p = nodes[i];
          if (p != null && !p.isAlive()) {
            throw new IllegalStateException("Kafka node " + (i + 1) + " exited:\n" + log(i));
          }
        }
        try {
          int seen = admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size();
          if (seen >= count) {
            return;
          }
          last = seen + " brokers";
        } catch (Exception e) {
          last = e.toString();
        }
        Thread.sleep(500);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    throw new IllegalStateException(
        "Kafka cluster: " + count + " brokers not up within " + timeout + " (" + last + ")");
  }

  private String log(int i) {
    try {
      List<String> lines = Files.readAllLines(dir.resolve("node-" + (i + 1) + ".log"));
      return lines.stream().skip(Math.max(0, lines.size() - 40)).collect(Collectors.joining("\n"));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  @Override
  public void close() {
    for (int i = 0; i < NODES; i++) {
      kill(i);
    }
  }
}
