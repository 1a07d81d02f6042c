package org.atnabridge.testing;

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
import org.jspecify.annotations.Nullable;

/**
 * Elasticsearch from the integ-test-zip as a child process of the test JVM: its own work dir
 * (config copy, data, logs, tmp) under {@code target/es-run}, loopback only, free ports, 512 MB
 * heap, security and ML off.
 *
 * <p>ES refuses to run as root, so as uid 0 the node runs as uid {@value #DEFAULT_UID} (no passwd
 * entry needed) through {@code setpriv}, and the work dir is chowned to it.
 *
 * <p>No orphans: {@link #close()} runs from the JUnit root store and from a JVM shutdown hook, and
 * stops the whole process tree (watchdog shell, CLI launcher, server JVM). A test JVM killed with
 * SIGKILL runs neither: then the watchdog shell around ES notices within a second that its owner is
 * gone and stops ES, and as a last resort each start reaps nodes whose owning JVM has died
 * (recorded in {@code owner.pid} of each node's work dir).
 */
final class ElasticsearchProcess implements RestartableElasticsearchNode {

  static final int DEFAULT_UID = 1990;

  private volatile Process process;
  private @Nullable ProcessBuilder launcher;
  private final Path workDir;
  private final String url;
  private final Thread shutdownHook;
  private volatile boolean closed;
  private volatile boolean keepWorkDir;

  private final @Nullable ElasticsearchSecurity security;

  private ElasticsearchProcess(
      Process process, Path workDir, String url, @Nullable ElasticsearchSecurity security) {
    this.process = process;
    this.workDir = workDir;
    this.url = url;
    this.security = security;
    this.shutdownHook = new Thread(this::close, "elasticsearch-stop");
  }

  static ElasticsearchProcess start(Duration timeout) {
    return start(timeout, null);
  }

  /** A node with {@code security} on (HTTPS, a file-realm superuser), or without any when null. */
  static ElasticsearchProcess start(Duration timeout, @Nullable ElasticsearchSecurity security) {
    ElasticsearchLaunch launch = new ElasticsearchLaunch();
    Path home = launch.home;
    Path work;
    int httpPort;
    int transportPort;
    try {
      work = launch.newWorkDir();
      if (security != null) {
        Path certs = Files.createDirectories(work.resolve("config/certs"));
        Files.copy(security.pki().ca(), certs.resolve("ca.pem"));
        Files.copy(security.pki().serverCert(), certs.resolve("server.pem"));
        Files.copy(security.pki().serverKey(), certs.resolve("server.key"));
      }
      launch.handOver(work);
      httpPort = NodeFiles.freePort();
      do {
        transportPort = NodeFiles.freePort();
      } while (transportPort == httpPort);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot prepare the Elasticsearch work dir under " + launch.base, e);
    }

    if (security != null) {
      // the file realm's user, written by the distribution's own tool into the node's config
      List<String> useradd = new ArrayList<>(launch.asNodeUser());
      useradd.addAll(
          List.of(
              home.resolve("bin/elasticsearch-users").toString(),
              "useradd",
              security.user(),
              "-p",
              security.password(),
              "-r",
              "superuser"));
      runTool(useradd, work, launch);
    }
    List<String> settings = new ArrayList<>();
    settings.add("-Ediscovery.type=single-node");
    settings.addAll(ElasticsearchLaunch.commonSettings(work, httpPort, transportPort));
    if (security == null) {
      settings.add("-Expack.security.enabled=false");
    } else {
      settings.addAll(
          List.of(
              "-Expack.security.enabled=true",
              "-Expack.security.http.ssl.enabled=true",
              "-Expack.security.http.ssl.certificate=certs/server.pem",
              "-Expack.security.http.ssl.key=certs/server.key",
              "-Expack.security.http.ssl.certificate_authorities=certs/ca.pem",
              "-Expack.security.authc.api_key.enabled=true"));
    }
    ProcessBuilder pb =
        launch.node(work, settings, System.getProperty("es.java.opts", "-Xms512m -Xmx512m"));
    boolean root = launch.root;
    int uid = launch.uid;
    Path javaHome = launch.javaHome;

    Instant started = Instant.now();
    Process process;
    try {
      process = pb.start();
      Files.writeString(work.resolve("es.pid"), ProcessTrees.pidLine(process.toHandle()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + pb.command(), e);
    }
    String url = (security == null ? "http" : "https") + "://127.0.0.1:" + httpPort;
    ElasticsearchProcess node = new ElasticsearchProcess(process, work, url, security);
    node.launcher = pb;
    Runtime.getRuntime().addShutdownHook(node.shutdownHook);
    try {
      node.awaitHealthy(timeout);
    } catch (RuntimeException e) {
      node.keepWorkDir = true;
      node.close();
      throw new IllegalStateException(
          "Elasticsearch "
              + home.getFileName()
              + " did not become healthy on "
              + url
              + " ("
              + e.getMessage()
              + "); work dir kept at "
              + work
              + "; last lines of its output:\n"
              + NodeFiles.tail(work, 60),
          e);
    }
    System.out.printf(
        "ElasticsearchExtension: %s process%s, JDK %s, healthy on %s in %.1f s%n",
        home.getFileName(),
        root ? " as uid " + uid : "",
        javaHome,
        url,
        Duration.between(started, Instant.now()).toMillis() / 1000.0);
    return node;
  }

  @Override
  public String url() {
    return url;
  }

  @Override
  public String kind() {
    return "process";
  }

  /** Stops the node like an operator would (SIGTERM), keeping its data, ports and work dir. */
  @Override
  public synchronized void stop() {
    if (closed) {
      throw new IllegalStateException("closed");
    }
    ProcessTrees.stopTree(process.toHandle());
  }

  /**
   * Starts the stopped node again on the same data, ports and settings, and waits until healthy.
   */
  @Override
  public synchronized void restart(Duration timeout) {
    if (closed || launcher == null) {
      throw new IllegalStateException("closed or not restartable");
    }
    if (process.isAlive()) {
      throw new IllegalStateException("still running");
    }
    try {
      process = launcher.start();
      Files.writeString(workDir.resolve("es.pid"), ProcessTrees.pidLine(process.toHandle()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot restart Elasticsearch in " + workDir, e);
    }
    awaitHealthy(timeout);
  }

  Path workDir() {
    return workDir;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
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
    ProcessTrees.stopTree(process.toHandle());
    if (!keepWorkDir) {
      try {
        NodeFiles.deleteTree(workDir);
      } catch (IOException e) {
        System.err.println("ElasticsearchExtension: cannot delete " + workDir + ": " + e);
      }
    }
  }

  /** Runs one of the distribution's command-line tools to completion; fails with its output. */
  private static void runTool(List<String> command, Path work, ElasticsearchLaunch launch) {
    try {
      Path out = Files.createTempFile(work, "tool-", ".log");
      ProcessBuilder pb =
          new ProcessBuilder(command)
              .directory(work.toFile())
              .redirectErrorStream(true)
              .redirectOutput(out.toFile());
      launch.environment(pb.environment(), work);
      pb.environment().put("ES_JAVA_OPTS", "-Xms64m -Xmx256m");
      Process p = pb.start();
      if (!p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("elasticsearch tool timed out after 120 s");
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            "elasticsearch tool exited " + p.exitValue() + ": " + Files.readString(out));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private void awaitHealthy(Duration timeout) {
    HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create(url + "/_cluster/health?wait_for_status=yellow&timeout=1s"))
            .timeout(Duration.ofSeconds(5))
            .GET();
    if (security != null) {
      client.sslContext(security.sslContext());
      request.header("Authorization", security.basicAuthorization());
    }
    HttpClient http = client.build();
    HttpRequest health = request.build();
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no answer yet";
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the process exited with code " + process.exitValue());
      }
      try {
        HttpResponse<String> r = http.send(health, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
        last = "HTTP " + r.statusCode() + ": " + r.body();
      } catch (IOException e) {
        last = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for cluster health", e);
      }
      sleep(Duration.ofMillis(500));
    }
    throw new IllegalStateException(
        "cluster health not yellow within " + timeout.toSeconds() + " s, last: " + last);
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
