package org.atnabridge.kafka.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node KRaft Kafka broker listening on loopback.
 *
 * <p>The data directory is formatted once (like {@code kafka-storage.sh format}); a restart on the
 * same directory keeps topics and offsets. Port 0 picks free ports. Construction does no I/O: call
 * {@link #start()}, then {@link #close()}.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

  private final Path dataDir;
  private final int requestedPort;
  private final Map<String, String> overrides;
  private final @Nullable Membership membership;
  private @Nullable KafkaRaftServer server;
  private int brokerPort;

  /**
   * @param dataDir where the log segments and the KRaft metadata live
   * @param port the PLAINTEXT listener port on 127.0.0.1, or 0 for a free one
   * @param overrides broker settings that replace the defaults
   */
  public EmbeddedKafkaBroker(Path dataDir, int port, Map<String, String> overrides) {
    this(dataDir, port, overrides, null);
  }

  /**
   * One node (broker and controller) of a multi-node KRaft cluster.
   *
   * @param nodeId this node's {@code node.id}
   * @param clusterId the cluster id every node's storage is formatted with
   * @param controllerPort this node's CONTROLLER listener port on 127.0.0.1
   * @param voters {@code controller.quorum.voters} of the whole cluster ({@code
   *     1@127.0.0.1:port,2@...})
   */
  public record Membership(int nodeId, String clusterId, int controllerPort, String voters) {}

  /**
   * A node of a multi-node cluster ({@code membership}), or a single-node one when null; {@code
   * overrides} then usually raise the internal topics' replication.
   */
  public EmbeddedKafkaBroker(
      Path dataDir, int port, Map<String, String> overrides, @Nullable Membership membership) {
    this.membership = membership;
    this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("kafka port out of range: " + port);
    }
    this.requestedPort = port;
    this.overrides = Map.copyOf(overrides);
  }

  public synchronized EmbeddedKafkaBroker start() {
    if (server != null) {
      return this;
    }
    try {
      Files.createDirectories(dataDir);
      brokerPort = requestedPort == 0 ? freePort() : requestedPort;
      int controllerPort =
          membership == null ? freePortOtherThan(brokerPort) : membership.controllerPort();
      int nodeId = membership == null ? 1 : membership.nodeId();
      Map<String, Object> p = new HashMap<>();
      p.put("process.roles", "broker,controller");
      p.put("node.id", String.valueOf(nodeId));
      p.put(
          "controller.quorum.voters",
          membership == null ? "1@127.0.0.1:" + controllerPort : membership.voters());
      p.put(
          "listeners",
          "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
      p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
      p.put("controller.listener.names", "CONTROLLER");
      p.put("inter.broker.listener.name", "PLAINTEXT");
      p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
      p.put("log.dirs", dataDir.toString());
      p.put("offsets.topic.replication.factor", "1");
      p.put("offsets.topic.num.partitions", "1");
      p.put("transaction.state.log.replication.factor", "1");
      p.put("transaction.state.log.min.isr", "1");
      p.put("transaction.state.log.num.partitions", "1");
      p.put("share.coordinator.state.topic.replication.factor", "1");
      p.put("share.coordinator.state.topic.min.isr", "1");
      p.put("group.initial.rebalance.delay.ms", "0");
      p.put("auto.create.topics.enable", "false");
      // the default allocates a 128 MiB on-heap buffer per broker
      p.put("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024));
      // the largest record any topic allows (audit.dlq: 16 MiB); topics created before their own
      // max.message.bytes existed take this broker default
      p.put("message.max.bytes", String.valueOf(16 * 1024 * 1024 + 1024));
      p.putAll(overrides);
      KafkaConfig config = new KafkaConfig(p, false);
      if (!Files.exists(dataDir.resolve("meta.properties"))) {
        new Formatter()
            .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
            .setClusterId(
                membership == null ? Uuid.randomUuid().toString() : membership.clusterId())
            .setNodeId(nodeId)
            .setControllerListenerName("CONTROLLER")
            .setMetadataLogDirectory(dataDir.toString())
            .setDirectories(List.of(dataDir.toString()))
            .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
            .run();
      }
      KafkaRaftServer s = new KafkaRaftServer(config, Time.SYSTEM);
      s.startup();
      server = s;
      LOG.info("Kafka broker (KRaft) listening on {}", bootstrapServers());
      return this;
    } catch (Exception e) {
      throw new IllegalStateException(
          "cannot start the embedded Kafka broker in " + dataDir + ": " + e.getMessage(), e);
    }
  }

  /** {@code 127.0.0.1:port} of the PLAINTEXT listener. */
  public String bootstrapServers() {
    if (server == null) {
      throw new IllegalStateException("broker not started");
    }
    return "127.0.0.1:" + brokerPort;
  }

  public Path dataDir() {
    return dataDir;
  }

  public boolean isRunning() {
    return server != null;
  }

  /** Creates the topics that do not exist yet; existing ones are left alone. */
  public void createTopics(Collection<NewTopic> topics) {
    createTopics(bootstrapServers(), topics);
  }

  /** Creates the topics that do not exist yet on any cluster; existing ones are left alone. */
  public static void createTopics(String bootstrapServers, Collection<NewTopic> topics) {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<NewTopic> missing = new ArrayList<>();
      for (NewTopic t : topics) {
        if (!existing.contains(t.name())) {
          missing.add(t);
        }
      }
      if (missing.isEmpty()) {
        return;
      }
      try {
        admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e;
        }
      }
      LOG.debug(
          "created topics {}",
          missing.stream().map(NewTopic::name).collect(Collectors.joining(",")));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    } catch (Exception e) {
      throw new IllegalStateException(
          "cannot create topics on " + bootstrapServers + ": " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void close() {
    KafkaRaftServer s = server;
    if (s == null) {
      return;
    }
    server = null;
    s.shutdown();
    s.awaitShutdown();
    LOG.info("Kafka broker stopped");
  }

  /**
   * A free port that is not {@code taken}: a port the caller has just checked and released (or
   * chosen as free) may be the next one the kernel hands out for port 0, and two listeners on one
   * port refuse to start.
   */
  private static int freePortOtherThan(int taken) {
    int port = freePort();
    while (port == taken) {
      port = freePort();
    }
    return port;
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress("127.0.0.1", 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
