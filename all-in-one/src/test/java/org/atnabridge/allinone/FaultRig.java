package org.atnabridge.allinone;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
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
import org.atnabridge.schemas.Fhir;
import org.atnabridge.schemas.Topics;
import org.atnabridge.testing.KafkaCluster;
import org.atnabridge.testing.TestVectors;
import org.atnabridge.testing.TopicReaders;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.Parameters;

/**
 * What every fault test runs on: a 3-node KRaft cluster (one JVM per node; topics made by {@code
 * topics create} with replication 3 and min ISR 2), one Elasticsearch node, and the services as
 * JVMs of the packaged jar: one ingest, {@code n} streams, {@code m} indexers, one api. Loads are
 * uniquely numbered ATNA messages sent by Debian's {@code loggen} over TCP, and the count is end to
 * end: every message searchable exactly once through the API, {@code $verify} intact, {@code
 * audit.dlq} empty.
 */
final class FaultRig implements AutoCloseable {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  final KafkaCluster kafka;
  final List<ServeProcess> streams = new ArrayList<>();
  final List<ServeProcess> indexers = new ArrayList<>();
  private final List<AutoCloseable> running = new ArrayList<>();
  private final Path dir;
  private final Path shared;
  private final int syslog;
  private final String fhir;

  private FaultRig(Path dir, KafkaCluster kafka, int syslog, int http) {
    this.dir = dir;
    this.kafka = kafka;
    this.shared = dir.resolve("shared"); // the first streams' checkpoint key, the API's token key
    this.syslog = syslog;
    this.fhir = "http://127.0.0.1:" + http + "/fhir";
    running.add(kafka);
  }

  /**
   * Starts the rig against Elasticsearch at {@code elasticsearchUrls} (the value of {@code
   * --elasticsearch-url}: one node, or several where the option accepts them).
   */
  static FaultRig start(Path dir, String elasticsearchUrls, int streamsCount, int indexerCount)
      throws Exception {
    KafkaCluster kafka = KafkaCluster.start(dir.resolve("kafka"), Duration.ofSeconds(120));
    FaultRig rig = new FaultRig(dir, kafka, ServeProcess.freePort(), ServeProcess.freePort());
    try {
      rig.startServices(elasticsearchUrls, streamsCount, indexerCount);
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
        Path keys = Files.createDirectories(data.resolve("keys"));
        for (String f : List.of("checkpoint-ed25519.key", "checkpoint-ed25519.pub")) {
          Files.copy(shared.resolve("keys").resolve(f), keys.resolve(f));
        }
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
      s.awaitReady(Duration.ofSeconds(120));
      streams.add(s);
    }
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
    ServeProcess api =
        started(
            "api",
            "api",
            "--kafka-bootstrap",
            bootstrap,
            "--data-dir",
            shared.toString(),
            "--elasticsearch-url",
            elasticsearchUrls,
            "--elasticsearch-index",
            alias,
            "--http-port",
            URI.create(fhir).getPort() + "");
    ServeProcess ingest =
        started(
            "ingest",
            "ingest",
            "--kafka-bootstrap",
            bootstrap,
            "--syslog-host",
            "127.0.0.1",
            "--syslog-port",
            String.valueOf(syslog),
            "--health-port",
            String.valueOf(ServeProcess.freePort()));
    List<ServeProcess> rest = new ArrayList<>(indexers);
    rest.add(api);
    rest.add(ingest);
    for (ServeProcess p : rest) {
      p.awaitReady(Duration.ofSeconds(120));
    }
  }

  /** Starts loggen sending {@code messages} numbered ATNA messages at {@code rate} per second. */
  Process send(int messages, int rate) throws IOException {
    Path load = numberedMessages(dir.resolve("load.txt"), messages);
    return new ProcessBuilder(
            "/usr/bin/loggen",
            "-S",
            "-d",
            "-I",
            "600",
            "-R",
            load.toString(),
            "-r",
            String.valueOf(rate),
            "127.0.0.1",
            String.valueOf(syslog))
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

  /** The count: every message stored once, the chain intact, nothing dead-lettered. */
  void assertEveryMessageOnce(int messages) throws Exception {
    String token = ServeProcess.token(shared);
    List<Map<String, Integer>> found = new ArrayList<>(List.of(Map.of()));
    await()
        .atMost(Duration.ofMinutes(5))
        .pollInterval(Duration.ofSeconds(3))
        .untilAsserted(
            () -> {
              found.set(0, patientsFound(token));
              assertThat(found.get(0)).hasSize(messages);
            });
    assertThat(found.get(0).values()).as("every message stored once").containsOnly(1);
    Parameters verified =
        Fhir.jsonParser()
            .parseResource(
                Parameters.class, get(fhir + "/AuditEvent/$verify?pendingBound=5m", token).body());
    assertThat(verified.getParameterBool("intact")).as(Fhir.toJson(verified)).isTrue();
    assertThat(TopicReaders.committed(kafka.bootstrapServers(), Topics.AUDIT_DLQ.name())).isEmpty();
  }

  /** Patient identifier value → how many stored events name it, over every page of the search. */
  private Map<String, Integer> patientsFound(String token) throws Exception {
    Map<String, Integer> seen = new HashMap<>();
    String next = fhir + "/AuditEvent?date=lt2021-01-01&_count=1000";
    while (next != null) {
      HttpResponse<String> r = get(next, token);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      Bundle page = Fhir.jsonParser().parseResource(Bundle.class, r.body());
      for (Bundle.BundleEntryComponent e : page.getEntry()) {
        AuditEvent event = (AuditEvent) e.getResource();
        if (event.hasPatient()) {
          seen.merge(event.getPatient().getIdentifier().getValue(), 1, Integer::sum);
        }
      }
      next = page.getLink("next") == null ? null : page.getLink("next").getUrl();
    }
    return seen;
  }

  /**
   * One line per message for loggen: ITI-20 RFC 5424 framing of the ITI-8 vector, its patient
   * replaced by a numbered one, so that each message becomes an AuditEvent of its own.
   */
  private static Path numberedMessages(Path file, int messages) throws IOException {
    String xml =
        new String(TestVectors.bytes("dicom-audit-xml/ipf-pixfeed.xml"), UTF_8)
            .replaceAll("\\R\\s*", "");
    assertThat(xml).contains("ParticipantObjectID=\"7627199^^^");
    List<String> lines = new ArrayList<>(messages);
    for (int i = 0; i < messages; i++) {
      lines.add(
          new String(
              AtnaTraffic.syslog5424(
                  xml.replace("7627199^^^", String.format("F%06d^^^", i)).getBytes(UTF_8)),
              UTF_8));
    }
    return Files.write(file, lines, UTF_8);
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
