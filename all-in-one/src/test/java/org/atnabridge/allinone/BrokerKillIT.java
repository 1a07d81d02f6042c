package org.atnabridge.allinone;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import org.atnabridge.testing.ElasticsearchExtension;
import org.atnabridge.testing.ElasticsearchNode;
import org.atnabridge.testing.KafkaCluster;
import org.atnabridge.testing.TestVectors;
import org.atnabridge.testing.TopicReaders;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.Parameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault: one of three Kafka brokers killed with SIGKILL in the middle of a TCP syslog load, then
 * brought back. A 3-node KRaft cluster (each node its own JVM, topics made by {@code topics create}
 * with replication 3 and min ISR 2), the four services as four JVMs of the packaged jar, and
 * Debian's {@code loggen} sending uniquely numbered ATNA messages (each names its own patient).
 * Counted end to end: every message searchable exactly once through the API, {@code $verify}
 * intact, {@code audit.dlq} empty.
 */
@ExtendWith(ElasticsearchExtension.class)
class BrokerKillIT {

  private static final int MESSAGES = 3_000;
  private static final int RATE = 300;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path dir;
  private final List<AutoCloseable> running = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (int i = running.size() - 1; i >= 0; i--) {
      running.get(i).close();
    }
  }

  @Test
  void oneBrokerKilledDuringTcpLoad_everyMessageOnce_chainIntact_noDeadLetter(ElasticsearchNode es)
      throws Exception {
    KafkaCluster kafka = KafkaCluster.start(dir.resolve("kafka"), Duration.ofSeconds(120));
    running.add(kafka);
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

    String alias = "fault-broker-" + UUID.randomUUID();
    Path shared = dir.resolve("shared"); // streams' checkpoint key, the API's token key
    int syslog = ServeProcess.freePort();
    int http = ServeProcess.freePort();
    ServeProcess streams =
        started(
            "streams",
            "--kafka-bootstrap",
            bootstrap,
            "--data-dir",
            shared.toString(),
            "--health-port",
            String.valueOf(ServeProcess.freePort()));
    streams.awaitReady(Duration.ofSeconds(120));
    ServeProcess indexer =
        started(
            "indexer",
            "--kafka-bootstrap",
            bootstrap,
            "--data-dir",
            dir.resolve("indexer").toString(),
            "--elasticsearch-url",
            es.url(),
            "--elasticsearch-index",
            alias,
            "--health-port",
            String.valueOf(ServeProcess.freePort()));
    ServeProcess api =
        started(
            "api",
            "--kafka-bootstrap",
            bootstrap,
            "--data-dir",
            shared.toString(),
            "--elasticsearch-url",
            es.url(),
            "--elasticsearch-index",
            alias,
            "--http-port",
            String.valueOf(http));
    ServeProcess ingest =
        started(
            "ingest",
            "--kafka-bootstrap",
            bootstrap,
            "--syslog-host",
            "127.0.0.1",
            "--syslog-port",
            String.valueOf(syslog),
            "--health-port",
            String.valueOf(ServeProcess.freePort()));
    for (ServeProcess p : List.of(indexer, api, ingest)) {
      p.awaitReady(Duration.ofSeconds(120));
    }

    Path load = numberedMessages(dir.resolve("load.txt"));
    Process loggen =
        new ProcessBuilder(
                "/usr/bin/loggen",
                "-S",
                "-d",
                "-I",
                "600",
                "-R",
                load.toString(),
                "-r",
                String.valueOf(RATE),
                "127.0.0.1",
                String.valueOf(syslog))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("loggen.out").toFile())
            .start();
    Thread.sleep(3_000);
    assertThat(loggen.isAlive()).as("loggen still sending when the broker dies").isTrue();
    kafka.kill(1);
    assertThat(loggen.waitFor(300, TimeUnit.SECONDS)).as("loggen finished").isTrue();
    String sent = Files.readString(dir.resolve("loggen.out"));
    assertThat(sent).as(sent).contains("count=" + MESSAGES);
    kafka.restart(1, Duration.ofSeconds(120));

    String fhir = "http://127.0.0.1:" + http + "/fhir";
    String token = ServeProcess.token(shared);
    Map<String, Integer>[] found = new Map[1];
    await()
        .atMost(Duration.ofMinutes(5))
        .pollInterval(Duration.ofSeconds(3))
        .untilAsserted(
            () -> {
              found[0] = patientsFound(fhir, token);
              assertThat(found[0]).hasSize(MESSAGES);
            });
    assertThat(found[0].values()).as("every message stored once").containsOnly(1);

    Parameters verified =
        Fhir.jsonParser()
            .parseResource(
                Parameters.class, get(fhir + "/AuditEvent/$verify?pendingBound=5m", token).body());
    assertThat(verified.getParameterBool("intact")).as(Fhir.toJson(verified)).isTrue();
    assertThat(TopicReaders.committed(bootstrap, Topics.AUDIT_DLQ.name())).isEmpty();
  }

  /** Patient identifier value → how many stored events name it, over every page of the search. */
  private static Map<String, Integer> patientsFound(String fhir, String token) throws Exception {
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
  private static Path numberedMessages(Path file) throws Exception {
    String xml =
        new String(TestVectors.bytes("dicom-audit-xml/ipf-pixfeed.xml"), UTF_8)
            .replaceAll("\\R\\s*", "");
    assertThat(xml).contains("ParticipantObjectID=\"7627199^^^");
    List<String> lines = new ArrayList<>(MESSAGES);
    for (int i = 0; i < MESSAGES; i++) {
      lines.add(
          new String(
              AtnaTraffic.syslog5424(
                  xml.replace("7627199^^^", String.format("F%06d^^^", i)).getBytes(UTF_8)),
              UTF_8));
    }
    return Files.write(file, lines, UTF_8);
  }

  private ServeProcess started(String command, String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of(command));
    all.addAll(List.of(args));
    ServeProcess p = ServeProcess.start(dir.resolve(command + ".log"), all.toArray(String[]::new));
    running.add(p);
    return p;
  }

  private void run(String... args) throws Exception {
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
}
