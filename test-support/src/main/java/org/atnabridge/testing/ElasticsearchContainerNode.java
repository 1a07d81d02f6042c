package org.atnabridge.testing;

import java.time.Duration;
import org.testcontainers.elasticsearch.ElasticsearchContainer;
import org.testcontainers.utility.DockerImageName;

/** The official image through Testcontainers, used where a Docker engine answers. */
final class ElasticsearchContainerNode implements ElasticsearchNode {

  static final String DEFAULT_IMAGE =
      "docker.elastic.co/elasticsearch/elasticsearch:" + ElasticsearchDistribution.DEFAULT_VERSION;

  private final ElasticsearchContainer container;
  private final Thread shutdownHook;
  private volatile boolean closed;

  private ElasticsearchContainerNode(ElasticsearchContainer container) {
    this.container = container;
    this.shutdownHook = new Thread(this::close, "elasticsearch-container-stop");
  }

  @SuppressWarnings("resource") // closed by close(), from the root store or the shutdown hook
  static ElasticsearchContainerNode start(Duration timeout) {
    ElasticsearchContainer c =
        new ElasticsearchContainer(
                DockerImageName.parse(System.getProperty("es.image", DEFAULT_IMAGE))
                    .asCompatibleSubstituteFor("docker.elastic.co/elasticsearch/elasticsearch"))
            .withEnv("xpack.security.enabled", "false")
            .withEnv("xpack.ml.enabled", "false")
            .withEnv("cluster.routing.allocation.disk.threshold_enabled", "false")
            .withEnv("ES_JAVA_OPTS", System.getProperty("es.java.opts", "-Xms512m -Xmx512m"))
            .withStartupTimeout(timeout);
    ElasticsearchContainerNode node = new ElasticsearchContainerNode(c);
    Runtime.getRuntime().addShutdownHook(node.shutdownHook);
    long t0 = System.nanoTime();
    try {
      c.start();
    } catch (RuntimeException e) {
      String logs = "";
      try {
        logs = c.getLogs();
      } catch (RuntimeException ignored) {
        // the container may not exist at all
      }
      node.close();
      throw new IllegalStateException(
          "Elasticsearch container "
              + c.getDockerImageName()
              + " did not start: "
              + e.getMessage()
              + "\n"
              + tail(logs, 60),
          e);
    }
    System.out.printf(
        "ElasticsearchExtension: container %s healthy on %s in %.1f s%n",
        c.getDockerImageName(), node.url(), (System.nanoTime() - t0) / 1e9);
    return node;
  }

  @Override
  public String url() {
    return "http://" + container.getHttpHostAddress();
  }

  @Override
  public String kind() {
    return "container";
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
        // the hook is running or about to
      }
    }
    container.stop();
  }

  private static String tail(String text, int lines) {
    var all = text.lines().toList();
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }
}
