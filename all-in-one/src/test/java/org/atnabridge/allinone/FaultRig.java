package org.atnabridge.allinone;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.schemas.Topics;
import org.atnabridge.testing.KafkaCluster;
import org.atnabridge.testing.TestPki;
import org.atnabridge.testing.TestVectors;
import org.atnabridge.testing.TopicReaders;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.Parameters;
import org.jspecify.annotations.Nullable;

/**
 * What every fault test runs on: a 3-node KRaft cluster (one JVM per node; topics made by {@code
 * topics create} with replication 3 and min ISR 2), Elasticsearch, and every service scaled out as
 * JVMs of the packaged jar: two ingest (TCP and mutual TLS) behind an nginx {@code stream} load
 * balancer, {@code n} ≥ 2 streams, {@code m} ≥ 2 indexers, and two api behind an nginx {@code http}
 * load balancer. Clients only ever use the balancer's addresses. Loads are uniquely numbered ATNA
 * messages sent by Debian's {@code loggen} over TCP and by {@code openssl s_client} with a client
 * certificate over TLS, and the count is end to end: every message searchable exactly once through
 * the API, {@code $verify} intact, {@code audit.dlq} empty.
 */
final class FaultRig implements AutoCloseable {

  /** Instances of ingest and of api: two each, behind the balancer. */
  static final int FRONT_INSTANCES = 2;

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  final KafkaCluster kafka;
  final List<ServeProcess> streams = new ArrayList<>();
  final List<ServeProcess> indexers = new ArrayList<>();
  final List<ServeProcess> ingests = new ArrayList<>();
  final List<ServeProcess> apis = new ArrayList<>();
  final List<Integer> ingestTcpPorts = new ArrayList<>();
  private final List<String[]> apiArgs = new ArrayList<>();
  private final List<AutoCloseable> running = new ArrayList<>();
  private final Path dir;
  private final Path shared;
  private final TestPki pki;
  private @Nullable Nginx balancer;
  private int restarts;

  private FaultRig(Path dir, KafkaCluster kafka) {
    this.dir = dir;
    this.kafka = kafka;
    this.shared = dir.resolve("shared"); // the first streams' checkpoint key, the API's token key
    this.pki = TestPki.create(dir.resolve("pki"));
    running.add(kafka);
  }

  /**
   * Starts the rig against Elasticsearch at {@code elasticsearchUrls} (the value of {@code
   * --elasticsearch-url}: one node, or several where the option accepts them), with {@code max(2,
   * streamsCount)} streams and {@code max(2, indexerCount)} indexers.
   */
  static FaultRig start(Path dir, String elasticsearchUrls, int streamsCount, int indexerCount)
      throws Exception {
    KafkaCluster kafka = KafkaCluster.start(dir.resolve("kafka"), Duration.ofSeconds(120));
    FaultRig rig = new FaultRig(dir, kafka);
    try {
      rig.startServices(elasticsearchUrls, Math.max(2, streamsCount), Math.max(2, indexerCount));
      return rig;
    } catch (Exception | AssertionError e) {
      rig.close();
      throw e;
    }
  }

  private void startServices(String elasticsearchUrls, int streamsCount, int indexerCount)
      throws Exception {
    String bootstrap = kafka.bootstrapServers();
    run(
        "topics",
        "create",
        "--kafka-bootstrap",
        bootstrap,
        "--replication-factor",
        "3",
        "--min-insync-replicas",
        "2");
    String alias = "fault-" + UUID.randomUUID();
    for (int i = 0; i < streamsCount; i++) {
      // one checkpoint key for every instance (what $verify trusts), own state dir each
      Path data = i == 0 ? shared : dir.resolve("streams-" + (i + 1));
      if (i > 0) {
        copyKeys(data, "checkpoint-ed25519.key", "checkpoint-ed25519.pub");
      }
      ServeProcess s =
          started(
              "streams-" + (i + 1),
              "streams",
              "--kafka-bootstrap",
              bootstrap,
              "--data-dir",
              data.toString(),
              "--health-port",
              String.valueOf(ServeProcess.freePort()));
      if (i == 0) {
        s.awaitReady(Duration.ofSeconds(120)); // it writes the checkpoint key the others copy
      }
      streams.add(s);
    }
    List<ServeProcess> rest = new ArrayList<>(streams.subList(1, streams.size()));
    for (int i = 0; i < indexerCount; i++) {
      indexers.add(
          started(
              "indexer-" + (i + 1),
              "indexer",
              "--kafka-bootstrap",
              bootstrap,
              "--data-dir",
              dir.resolve("indexer-" + (i + 1)).toString(),
              "--elasticsearch-url",
              elasticsearchUrls,
              "--elasticsearch-index",
              alias,
              "--health-port",
              String.valueOf(ServeProcess.freePort())));
    }
    rest.addAll(indexers);
    List<Integer> apiPorts = new ArrayList<>();
    for (int i = 0; i < FRONT_INSTANCES; i++) {
      apiPorts.add(ServeProcess.freePort());
    }
    List<Integer> tlsPorts = new ArrayList<>();
    for (int i = 0; i < FRONT_INSTANCES; i++) {
      int tcp = ServeProcess.freePort();
      int tls = ServeProcess.freePort();
      ingestTcpPorts.add(tcp);
      tlsPorts.add(tls);
      ingests.add(
          started(
              "ingest-" + (i + 1),
              "ingest",
              "--kafka-bootstrap",
              bootstrap,
              "--data-dir",
              dir.resolve("ingest-" + (i + 1)).toString(),
              "--syslog-host",
              "127.0.0.1",
              "--syslog-port",
              String.valueOf(tcp),
              "--syslog-tls-port",
              String.valueOf(tls),
              "--tls-cert",
              pki.serverCert().toString(),
              "--tls-key",
              pki.serverKey().toString(),
              "--tls-trust",
              pki.ca().toString(),
              "--health-port",
              String.valueOf(ServeProcess.freePort())));
    }
    rest.addAll(ingests);
    Nginx lb = Nginx.balancer(dir.resolve("nginx"), ingestTcpPorts, tlsPorts, apiPorts);
    running.add(lb);
    balancer = lb;
    for (int i = 0; i < FRONT_INSTANCES; i++) {
      // the first api makes the token key in the shared data dir; the others trust a copy of it
      Path data = i == 0 ? shared : dir.resolve("api-" + (i + 1));
      if (i > 0) {
        apis.get(0).awaitReady(Duration.ofSeconds(120));
        copyKeys(data, keyFiles(shared));
      }
      String[] args = {
        "api",
        "--kafka-bootstrap",
        bootstrap,
        "--data-dir",
        data.toString(),
        "--elasticsearch-url",
        elasticsearchUrls,
        "--elasticsearch-index",
        alias,
        "--http-port",
        String.valueOf(apiPorts.get(i)),
        // the links the API writes (self, next) name the balancer, never one instance; nginx also
        // sets Host and X-Forwarded-*, which the API never builds links from
        "--public-base-url",
        lb.baseUrl() + "/fhir"
      };
      apiArgs.add(args);
      apis.add(started("api-" + (i + 1), args));
    }
    rest.addAll(apis);
    for (ServeProcess p : rest) {
      p.awaitReady(Duration.ofSeconds(120));
    }
  }

  /** The FHIR base clients use: the balancer in front of the api instances. */
  String fhir() {
    return requireBalancer().baseUrl() + "/fhir";
  }

  /**
   * Starts loggen sending the numbered ATNA messages {@code 0..messages-1} over TCP to the
   * balancer, at {@code rate} per second on one connection; with {@code reconnect} loggen opens a
   * new connection (through the balancer, so to a live ingest) when its connection breaks.
   */
  Process send(int messages, int rate) throws IOException {
    return send(messages, rate, false);
  }

  Process send(int messages, int rate, boolean reconnect) throws IOException {
    Path load = Files.write(dir.resolve("load.txt"), numberedMessages(0, messages), UTF_8);
    List<String> command =
        new ArrayList<>(
            List.of(
                "/usr/bin/loggen",
                "-S",
                "-d",
                "-I",
                "600",
                "-R",
                load.toString(),
                "-r",
                String.valueOf(rate)));
    if (reconnect) {
      command.add("--reconnect");
    }
    command.addAll(List.of("127.0.0.1", String.valueOf(requireBalancer().tcpPort())));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("loggen.out").toFile())
        .start();
  }

  /** Waits for loggen to have sent every message. */
  void awaitSent(Process loggen, int messages) throws Exception {
    assertThat(loggen.waitFor(300, TimeUnit.SECONDS)).as("loggen finished").isTrue();
    String sent = Files.readString(dir.resolve("loggen.out"));
    assertThat(sent).as(sent).contains("count=" + messages);
  }

  /**
   * Sends the numbered messages {@code from..from+count-1} over TLS (RFC 5425, octet-counted) to
   * the balancer with {@code openssl s_client} presenting the test client certificate, which the
   * balancer passes through to ingest; waits for s_client to finish.
   */
  void sendTls(int from, int count) throws Exception {
    Path frames = dir.resolve("tls-load-" + from + ".bin");
    try (OutputStream out = Files.newOutputStream(frames)) {
      for (String m : numberedMessages(from, count)) {
        byte[] bytes = m.getBytes(UTF_8);
        out.write((bytes.length + " ").getBytes(UTF_8));
        out.write(bytes);
      }
    }
    Process s =
        new ProcessBuilder(pki.mutualTlsClient(requireBalancer().tlsPort()))
            .redirectErrorStream(true)
            .redirectInput(frames.toFile())
            .redirectOutput(dir.resolve("s_client-" + from + ".out").toFile())
            .start();
    assertThat(s.waitFor(120, TimeUnit.SECONDS)).as("openssl s_client finished").isTrue();
    assertThat(s.exitValue())
        .as(Files.readString(dir.resolve("s_client-" + from + ".out")))
        .isZero();
  }

  /** The count: every message stored once, the chain intact, nothing dead-lettered. */
  void assertEveryMessageOnce(int messages) throws Exception {
    String token = token();
    List<Map<String, Integer>> found = new ArrayList<>(List.of(Map.of()));
    await()
        .atMost(Duration.ofMinutes(5))
        .pollInterval(Duration.ofSeconds(3))
        .untilAsserted(
            () -> {
              found.set(0, patientsFound(token, 1000));
              assertThat(found.get(0)).hasSize(messages);
            });
    assertThat(found.get(0).values()).as("every message stored once").containsOnly(1);
    assertChainIntactNoDeadLetter();
  }

  /** {@code $verify} (through the balancer) says intact, and {@code audit.dlq} holds nothing. */
  void assertChainIntactNoDeadLetter() throws Exception {
    Parameters verified =
        Fhir.jsonParser()
            .parseResource(
                Parameters.class,
                get(fhir() + "/AuditEvent/$verify?pendingBound=5m", token()).body());
    assertThat(verified.getParameterBool("intact")).as(Fhir.toJson(verified)).isTrue();
    assertThat(TopicReaders.committed(kafka.bootstrapServers(), Topics.AUDIT_DLQ.name())).isEmpty();
  }

  /** A read token the api instances trust (minted with the shared token key). */
  String token() throws IOException, InterruptedException {
    return ServeProcess.token(shared);
  }

  /**
   * Patient identifier value → how many stored events name it, over every page of the search
   * ({@code pageSize} events a page), following the {@code next} links through the balancer.
   */
  Map<String, Integer> patientsFound(String token, int pageSize) throws Exception {
    Map<String, Integer> seen = new HashMap<>();
    String next = fhir() + "/AuditEvent?date=lt2021-01-01&_count=" + pageSize;
    while (next != null) {
      Bundle page = page(next, token);
      countPatients(page, seen);
      next = nextLink(page);
    }
    return seen;
  }

  /** One page of a search, which must answer 200. */
  Bundle page(String url, String token) throws Exception {
    HttpResponse<String> r = get(url, token);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return Fhir.jsonParser().parseResource(Bundle.class, r.body());
  }

  static @Nullable String nextLink(Bundle page) {
    return page.getLink("next") == null ? null : page.getLink("next").getUrl();
  }

  static void countPatients(Bundle page, Map<String, Integer> seen) {
    for (Bundle.BundleEntryComponent e : page.getEntry()) {
      AuditEvent event = (AuditEvent) e.getResource();
      if (event.hasPatient()) {
        seen.merge(event.getPatient().getIdentifier().getValue(), 1, Integer::sum);
      }
    }
  }

  /** The patient identifier value message {@code i} carries. */
  static String patient(int i) {
    return String.format("F%06d", i);
  }

  /** SIGKILL of api instance {@code i}: no shutdown, its connections reset. */
  void killApi(int i) throws InterruptedException {
    apis.get(i).kill();
  }

  /** Api instance {@code i} started again with its own options; waits for it to be ready. */
  void startApiAgain(int i) throws IOException {
    restarts++;
    ServeProcess again = started("api-" + (i + 1) + "-restart-" + restarts, apiArgs.get(i));
    apis.set(i, again);
    again.awaitReady(Duration.ofSeconds(120));
  }

  /**
   * The ingest instances that hold established syslog TCP connections (the balancer's upstream
   * side), read from the kernel's socket tables.
   */
  List<Integer> ingestsWithConnections() throws IOException {
    List<Integer> holding = new ArrayList<>();
    for (int i = 0; i < ingestTcpPorts.size(); i++) {
      if (establishedOn(ingestTcpPorts.get(i)) > 0) {
        holding.add(i);
      }
    }
    return holding;
  }

  /** Established TCP sockets whose local port is {@code port} (/proc/net/tcp and tcp6). */
  static int establishedOn(int port) throws IOException {
    String local = String.format(":%04X", port);
    int n = 0;
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path t = Path.of(table);
      if (!Files.exists(t)) {
        continue;
      }
      for (String line : Files.readAllLines(t)) {
        String[] f = line.strip().split("\\s+");
        // sl local_address rem_address st ...; state 01 is ESTABLISHED
        if (f.length > 3 && f[1].endsWith(local) && f[3].equals("01")) {
          n++;
        }
      }
    }
    return n;
  }

  /**
   * One RFC 5424 message per number: ITI-20 framing of the ITI-8 vector, its patient replaced by a
   * numbered one, so that each message becomes an AuditEvent of its own.
   */
  private static List<String> numberedMessages(int from, int count) {
    String xml =
        new String(TestVectors.bytes("dicom-audit-xml/ipf-pixfeed.xml"), UTF_8)
            .replaceAll("\\R\\s*", "");
    assertThat(xml).contains("ParticipantObjectID=\"7627199^^^");
    List<String> lines = new ArrayList<>(count);
    for (int i = from; i < from + count; i++) {
      lines.add(
          new String(
              AtnaTraffic.syslog5424(xml.replace("7627199^^^", patient(i) + "^^^").getBytes(UTF_8)),
              UTF_8));
    }
    return lines;
  }

  private Nginx requireBalancer() {
    Nginx lb = balancer;
    if (lb == null) {
      throw new IllegalStateException("the balancer is not started");
    }
    return lb;
  }

  private void copyKeys(Path dataDir, String... files) throws IOException {
    Path keys = Files.createDirectories(dataDir.resolve("keys"));
    for (String f : files) {
      Files.copy(shared.resolve("keys").resolve(f), keys.resolve(f));
    }
  }

  private static String[] keyFiles(Path dataDir) throws IOException {
    try (Stream<Path> files = Files.list(dataDir.resolve("keys"))) {
      return files
          .filter(Files::isRegularFile)
          .map(f -> f.getFileName().toString())
          .toArray(String[]::new);
    }
  }

  private ServeProcess started(String name, String... args) throws IOException {
    ServeProcess p = ServeProcess.start(dir.resolve(name + ".log"), args);
    running.add(p);
    return p;
  }

  private static void run(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(ServeProcess.java(), "-jar"));
    command.add(ServeProcess.JAR.toString());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
  }

  private static HttpResponse<String> get(String url, String token) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(60))
            .header("Authorization", "Bearer " + token)
            .build(),
        HttpResponse.BodyHandlers.ofString(UTF_8));
  }

  @Override
  public void close() throws Exception {
    for (int i = running.size() - 1; i >= 0; i--) {
      running.get(i).close();
    }
  }
}
