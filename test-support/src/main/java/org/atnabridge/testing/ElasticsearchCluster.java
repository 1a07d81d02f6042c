package org.atnabridge.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A 3-node Elasticsearch cluster for fault tests, from the same Maven Central integ-test
 * distribution as the single node ({@link ElasticsearchExtension}) and launched the same way
 * ({@link ElasticsearchLaunch}: as an unprivileged uid under root, watchdog, no orphans). Each node
 * is a process of its own with its own data and log dirs and {@link FreePorts} for HTTP and
 * transport; all three are master-eligible data nodes found through {@code discovery.seed_hosts},
 * security off, loopback only, 512 MB heap each ({@code -Des.cluster.java.opts}). A node can be
 * killed with SIGKILL (a crashed machine) and started again on its data and ports.
 *
 * <p>Nodes are named {@code es-1}, {@code es-2}, {@code es-3}, as {@code _cat/shards} names them.
 * The caller closes the cluster; a JVM shutdown hook closes it too.
 */
public final class ElasticsearchCluster implements AutoCloseable {

  public static final int NODES = 3;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final ElasticsearchLaunch launch;
  private final Path[] work = new Path[NODES];
  private final int[] httpPorts = new int[NODES];
  private final ProcessBuilder[] launchers = new ProcessBuilder[NODES];
  private final @Nullable Process[] processes = new Process[NODES];
  private final Thread shutdownHook = new Thread(this::close, "elasticsearch-cluster-stop");
  private volatile boolean closed;

  private ElasticsearchCluster(ElasticsearchLaunch launch) throws IOException {
    this.launch = launch;
    String cluster = "atna-test-" + UUID.randomUUID();
    int[] transportPorts = new int[NODES];
    List<String> seeds = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < NODES; i++) {
      httpPorts[i] = FreePorts.next();
      transportPorts[i] = FreePorts.next();
      seeds.add("127.0.0.1:" + transportPorts[i]);
      names.add(name(i));
    }
    String javaOpts = System.getProperty("es.cluster.java.opts", "-Xms512m -Xmx512m");
    for (int i = 0; i < NODES; i++) {
      work[i] = launch.newWorkDir();
      launch.handOver(work[i]);
      List<String> settings = new ArrayList<>();
      settings.addAll(
          List.of(
              "-Ecluster.name=" + cluster,
              "-Enode.name=" + name(i),
              "-Ediscovery.seed_hosts=" + String.join(",", seeds),
              "-Ecluster.initial_master_nodes=" + String.join(",", names),
              "-Expack.security.enabled=false"));
      settings.addAll(ElasticsearchLaunch.commonSettings(work[i], httpPorts[i], transportPorts[i]));
      launchers[i] = launch.node(work[i], settings, javaOpts);
    }
  }

  /** Starts the three nodes and waits until all three are in the cluster and it is green. */
  public static ElasticsearchCluster start(Duration timeout) {
    ElasticsearchCluster cluster;
    try {
      cluster = new ElasticsearchCluster(new ElasticsearchLaunch());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the Elasticsearch cluster's work dirs", e);
    }
    Runtime.getRuntime().addShutdownHook(cluster.shutdownHook);
    Instant started = Instant.now();
    try {
      for (int i = 0; i < NODES; i++) {
        cluster.launch(i);
      }
      cluster.awaitHealth("green", timeout);
    } catch (RuntimeException e) {
      String tails = cluster.tails();
      cluster.close();
      throw new IllegalStateException(e.getMessage() + "\n" + tails, e);
    }
    System.out.printf(
        "ElasticsearchCluster: %d nodes of %s, healthy on %s in %.1f s%n",
        NODES,
        cluster.launch.home.getFileName(),
        cluster.urls(),
        Duration.between(started, Instant.now()).toMillis() / 1000.0);
    return cluster;
  }

  /** Every node's base URL, comma-separated: the value of {@code --elasticsearch-url}. */
  public String urls() {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < NODES; i++) {
      out.add(url(i));
    }
    return String.join(",", out);
  }

  /** The node names, {@code es-1} … {@code es-3}. */
  public List<String> nodes() {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < NODES; i++) {
      out.add(name(i));
    }
    return out;
  }

  /**
   * The node holding a started primary shard of {@code index} (an index, alias or pattern), by
   * {@code _cat/shards}.
   *
   * @throws IllegalStateException when no primary of it is started
   */
  public String nodeHoldingPrimary(String index) {
    for (JsonNode shard : shards(index)) {
      if ("p".equals(shard.path("prirep").asText())
          && "STARTED".equals(shard.path("state").asText())) {
        return shard.path("node").asText();
      }
    }
    throw new IllegalStateException("no started primary shard of " + index + ": " + shards(index));
  }

  /** {@code _cat/shards} of {@code index} as JSON rows (index, shard, prirep, state, node, …). */
  public List<JsonNode> shards(String index) {
    List<JsonNode> out = new ArrayList<>();
    get("/_cat/shards/" + index + "?format=json").forEach(out::add);
    return out;
  }

  /** A GET to the first node that answers, its JSON body; fails on a status other than 200. */
  public JsonNode get(String pathAndQuery) {
    String last = "no node running";
    for (int i = 0; i < NODES; i++) {
      Process p = processes[i];
      if (p == null || !p.isAlive()) {
        continue;
      }
      try {
        HttpResponse<String> r =
            HTTP.send(
                HttpRequest.newBuilder(URI.create(url(i) + pathAndQuery))
                    .timeout(Duration.ofSeconds(30))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return JSON.readTree(r.body());
        }
        last = url(i) + pathAndQuery + ": HTTP " + r.statusCode() + " " + r.body();
      } catch (IOException e) {
        last = url(i) + pathAndQuery + ": " + e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
    throw new IllegalStateException(last);
  }

  /** SIGKILL of the node's whole process tree: no shutdown, no flush, as a crashed machine. */
  public synchronized void kill(String node) {
    int i = index(node);
    Process p = processes[i];
    if (p == null) {
      return;
    }
    List<ProcessHandle> tree = new ArrayList<>(p.toHandle().descendants().toList());
    tree.add(p.toHandle());
    tree.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle h : tree) {
      h.onExit().orTimeout(30, TimeUnit.SECONDS).exceptionally(t -> h).join();
    }
    processes[i] = null;
  }

  /**
   * Starts a killed node again on its data and ports, and waits until all three nodes are in the
   * cluster and it is at least yellow (its shard copies may still be recovering).
   */
  public synchronized void restart(String node, Duration timeout) {
    int i = index(node);
    if (processes[i] != null) {
      throw new IllegalStateException(node + " is still running");
    }
    launch(i);
    awaitHealth("yellow", timeout);
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    if (Thread.currentThread() != shutdownHook) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running or about to; stopping twice is harmless
      }
    }
    for (int i = 0; i < NODES; i++) {
      Process p = processes[i];
      if (p != null) {
        ProcessTrees.stopTree(p.toHandle());
        processes[i] = null;
      }
    }
    for (Path w : work) {
      if (w != null) {
        try {
          NodeFiles.deleteTree(w);
        } catch (IOException e) {
          System.err.println("ElasticsearchCluster: cannot delete " + w + ": " + e);
        }
      }
    }
  }

  private void launch(int i) {
    try {
      Process p = launchers[i].start();
      processes[i] = p;
      Files.writeString(work[i].resolve("es.pid"), ProcessTrees.pidLine(p.toHandle()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start Elasticsearch node " + name(i), e);
    }
  }

  private void awaitHealth(String status, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String query =
        "/_cluster/health?wait_for_nodes=" + NODES + "&wait_for_status=" + status + "&timeout=1s";
    String last = "no answer yet";
    while (System.nanoTime() < deadline) {
      for (int i = 0; i < NODES; i++) {
        Process p = processes[i];
        if (p != null && !p.isAlive()) {
          throw new IllegalStateException(
              "Elasticsearch node " + name(i) + " exited with code " + p.exitValue());
        }
      }
      try {
        get(query);
        return;
      } catch (IllegalStateException notYet) {
        last = notYet.getMessage();
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
    throw new IllegalStateException(
        "the Elasticsearch cluster did not reach "
            + NODES
            + " nodes and "
            + status
            + " within "
            + timeout.toSeconds()
            + " s, last: "
            + last);
  }

  private String tails() {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < NODES; i++) {
      out.append(name(i)).append(":\n").append(NodeFiles.tail(work[i], 30));
    }
    return out.toString();
  }

  private String url(int i) {
    return "http://127.0.0.1:" + httpPorts[i];
  }

  private static String name(int i) {
    return "es-" + (i + 1);
  }

  private static int index(String node) {
    for (int i = 0; i < NODES; i++) {
      if (name(i).equals(node)) {
        return i;
      }
    }
    throw new IllegalArgumentException("no node " + node + " (es-1 … es-" + NODES + ")");
  }
}
