package org.atnabridge.allinone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.atnabridge.kafka.embedded.EmbeddedKafkaBroker;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.testing.ElasticsearchExtension;
import org.atnabridge.testing.ElasticsearchNode;
import org.atnabridge.testing.TestVectors;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.Coding;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The four services as four JVMs of the packaged jar ({@code ingest}, {@code streams}, {@code
 * indexer}, {@code api}) against one Kafka broker and one Elasticsearch node find the same ATNA
 * events, sent over syslog and searched with a token, as the all-in-one {@code serve}; each service
 * answers its own {@code /health/ready} and {@code /metrics}.
 */
@ExtendWith(ElasticsearchExtension.class)
class SplitServicesIT {

  /** ITI-8 feed, ITI-9 query and an application start: three kinds of event, two with a patient. */
  private static final List<String> MESSAGES =
      List.of(
          "dicom-audit-xml/ipf-pixfeed.xml",
          "dicom-audit-xml/ipf-pixquery.xml",
          "dicom-audit-xml/ipf-start.xml");

  /**
   * The query names two patients and becomes one AuditEvent per patient (atna-bridge convert shows
   * it).
   */
  private static final int EVENTS = 4;

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
  void fourServices_inFourJvms_findWhatServeFinds(ElasticsearchNode es) throws Exception {
    EmbeddedKafkaBroker kafka =
        new EmbeddedKafkaBroker(Files.createDirectories(dir.resolve("kafka")), 0, Map.of()).start();
    running.add(kafka);
    String bootstrap = kafka.bootstrapServers();
    String alias = "split-" + UUID.randomUUID();
    Path shared = dir.resolve("split"); // streams' checkpoint key and the API's token key
    int syslog = ServeProcess.freePort();
    int http = ServeProcess.freePort();
    Map<String, Integer> healthPorts =
        Map.of(
            "ingest",
            ServeProcess.freePort(),
            "streams",
            ServeProcess.freePort(),
            "indexer",
            ServeProcess.freePort());

    ServeProcess streams =
        started(
            "streams",
            "--kafka-bootstrap",
            bootstrap,
            "--data-dir",
            shared.toString(),
            "--health-port",
            healthPorts.get("streams").toString());
    streams.awaitReady(
        Duration.ofSeconds(120)); // its checkpoint key is the one the API verifies with
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
            healthPorts.get("indexer").toString());
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
            healthPorts.get("ingest").toString());
    for (ServeProcess p : List.of(indexer, api, ingest)) {
      p.awaitReady(Duration.ofSeconds(120));
    }

    // every service answers its own probes; the API on its API port
    for (int port :
        List.of(
            healthPorts.get("ingest"),
            healthPorts.get("streams"),
            healthPorts.get("indexer"),
            http)) {
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(get("http://127.0.0.1:" + port + "/health/ready", null).statusCode())
                      .isEqualTo(200));
      assertThat(get("http://127.0.0.1:" + port + "/health/live", null).statusCode())
          .isEqualTo(200);
      assertThat(get("http://127.0.0.1:" + port + "/metrics", null).body())
          .contains("jvm_memory_used_bytes");
    }
    assertThat(get("http://127.0.0.1:" + healthPorts.get("indexer") + "/health/ready", null).body())
        .contains("\"index\":\"UP\"", "\"lag\":\"UP\"");
    assertThat(get("http://127.0.0.1:" + healthPorts.get("streams") + "/health/ready", null).body())
        .contains("\"streams\":\"UP\"");

    List<String> split = sendAndSearch(syslog, "http://127.0.0.1:" + http + "/fhir", token(shared));
    for (ServeProcess p : List.of(ingest, api, indexer, streams)) {
      assertThat(p.terminate(Duration.ofSeconds(60)))
          .as("did not stop on SIGTERM:\n%s", p.log())
          .isTrue();
    }

    int serveSyslog = ServeProcess.freePort();
    int serveHttp = ServeProcess.freePort();
    Path serveDir = dir.resolve("serve");
    ServeProcess serve =
        started(
                "serve",
                "--data-dir",
                serveDir.toString(),
                "--kafka-port",
                String.valueOf(ServeProcess.freePort()),
                "--syslog-host",
                "127.0.0.1",
                "--syslog-port",
                String.valueOf(serveSyslog),
                "--http-port",
                String.valueOf(serveHttp))
            .awaitReady(Duration.ofSeconds(120));
    List<String> all =
        sendAndSearch(serveSyslog, "http://127.0.0.1:" + serveHttp + "/fhir", token(serveDir));
    assertThat(serve.terminate(Duration.ofSeconds(60))).isTrue();

    assertThat(split).hasSize(EVENTS).isEqualTo(all);
  }

  private ServeProcess started(String command, String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of(command));
    all.addAll(List.of(args));
    ServeProcess p = ServeProcess.start(dir.resolve(command + ".log"), all.toArray(String[]::new));
    running.add(p);
    return p;
  }

  /**
   * Sends every message over syslog TCP, waits until the API finds them all, and returns each
   * event's summary.
   */
  private static List<String> sendAndSearch(int syslogPort, String fhirBase, String token) {
    AtnaTraffic.sendOctetCounted(
        syslogPort,
        MESSAGES.stream()
            .map(m -> AtnaTraffic.syslog5424(TestVectors.bytes(m)))
            .toArray(byte[][]::new));
    Bundle[] found = new Bundle[1];
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              // the sent events are from 2020; the API's own self-audit records of these searches
              // are not
              HttpResponse<String> r =
                  get(fhirBase + "/AuditEvent?date=lt2021-01-01&_count=50", token);
              assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
              found[0] = Fhir.context().newJsonParser().parseResource(Bundle.class, r.body());
              assertThat(found[0].getEntry()).hasSize(EVENTS);
            });
    return found[0].getEntry().stream()
        .map(e -> summary((AuditEvent) e.getResource()))
        .sorted()
        .toList();
  }

  /**
   * What a search shows of an event, without what differs between installations (ids, receipt time,
   * chain).
   */
  private static String summary(AuditEvent e) {
    return String.join(
        " | ",
        e.getCode().getCoding().stream().map(Coding::getCode).collect(Collectors.joining(",")),
        String.valueOf(e.getAction()),
        e.hasOutcome() ? e.getOutcome().getCode().getCode() : "-",
        e.getRecordedElement().getValueAsString(),
        e.hasPatient() ? String.valueOf(e.getPatient().getIdentifier().getValue()) : "-",
        String.valueOf(e.getSource().getObserver().getIdentifier().getValue()),
        e.getAgent().stream()
            .map(a -> String.valueOf(a.getWho().getIdentifier().getValue()))
            .sorted()
            .collect(Collectors.joining(",")));
  }

  private static String token(Path dataDir) throws Exception {
    return ServeProcess.token(dataDir);
  }

  private static HttpResponse<String> get(String url, String token) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }
}
