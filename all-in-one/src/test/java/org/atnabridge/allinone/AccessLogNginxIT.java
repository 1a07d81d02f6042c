package org.atnabridge.allinone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
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
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.schemas.vocab.Extensions;
import org.atnabridge.search.security.LocalIssuer;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Bundle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The access log acceptance: Debian's nginx proxies a HAPI FHIR server and ships its {@code
 * combined} log twice, with {@code access_log syslog:} straight to the bridge's UDP listener (no
 * shipper), and as the file it wrote, posted (gzip) to {@code /ingest/access-logs}. Every
 * interaction, every patient route, a 404, a 403 and a 500 become AuditEvents equal to the
 * hand-reviewed golden file (src/test/resources/accesslog/README.md), both ways; they are found by
 * patient, code, outcome and date; the file posted again changes no total; and the access token one
 * query carried is nowhere the bridge stores or reports anything.
 */
class AccessLogNginxIT {

  static final String SYSLOG_SOURCE = "nginx"; // the syslog TAG, nginx's tag=
  static final String FILE_SOURCE = "nginx-file";

  @TempDir Path dataDir;
  @TempDir Path nginxDir;

  private final List<AutoCloseable> running = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (int i = running.size() - 1; i >= 0; i--) {
      running.get(i).close();
    }
  }

  @Test
  void everyInteractionViaSyslogAndPostedFile_matchesTheGoldens_searchable_replayAddsNothing()
      throws Exception {
    SecretSearch secrets = keep(new SecretSearch());
    Pipeline pipeline = keep(new Pipeline(config()).start());
    FhirBackend backend = keep(FhirBackend.start());
    Nginx nginx = keep(Nginx.start(nginxDir, backend.port(), pipeline.syslogUdpPort()));

    Map<String, Integer> statuses = FhirTraffic.send(nginx.baseUrl());
    assertThat(statuses)
        .containsEntry("GET /fhir/Patient/" + FhirBackend.MISSING, 404)
        .containsEntry("GET /fhir/Patient/" + FhirBackend.FORBIDDEN, 403)
        .containsEntry("GET /fhir/Patient/" + FhirBackend.BROKEN, 500)
        .containsEntry("GET /fhir/Patient/p1", 200);

    // 1. nginx's own syslog output, no shipper
    List<AuditEvent> viaSyslog = awaitEvents(pipeline, SYSLOG_SOURCE, FhirTraffic.EVENTS);
    AccessLogGolden.assertMatches("via syslog", AccessLogGolden.normalise(viaSyslog));
    assertSharedCorrelation(viaSyslog);
    assertThat(viaSyslog)
        .allSatisfy(
            e ->
                assertThat(
                        e.getSource().getObserver().getDisplay()
                            + e.getSource().getObserver().getIdentifier().getValue())
                    .as("observer: the syslog HOSTNAME nginx wrote")
                    .contains(java.net.InetAddress.getLocalHost().getHostName()));

    // 2. the file nginx wrote, posted gzip-compressed
    nginx.close();
    byte[] file = Files.readAllBytes(nginx.accessLog());
    int lines = FhirTraffic.AUDITED.size() + FhirTraffic.DROPPED.size();
    assertThat(post(pipeline, FILE_SOURCE, file)).isEqualTo(lines);
    List<AuditEvent> viaFile = awaitEvents(pipeline, FILE_SOURCE, FhirTraffic.EVENTS);
    AccessLogGolden.assertMatches("via the posted file", AccessLogGolden.normalise(viaFile));

    // 3. searchable like ATNA events
    assertThat(total(pipeline, "patient=Patient/p4")).isEqualTo(2);
    assertThat(total(pipeline, "patient=Patient/p9")).isEqualTo(2);
    assertThat(total(pipeline, "code=http://hl7.org/fhir/restful-interaction|vread")).isEqualTo(2);
    // outcome:not=0 finds the failures: 404, 403, 500 and the two 400s (system search, $meta)
    List<String> failed = new ArrayList<>();
    for (AuditEvent e : search(pipeline, "outcome:not=0&_count=1000")) {
      if (e.hasExtension(Extensions.ACCESS_LOG_LINE)) {
        failed.add(AccessLogGolden.requestOf(e));
      }
    }
    assertThat(failed)
        .containsExactlyInAnyOrder(
            "GET /fhir/Patient/missing",
            "GET /fhir/Patient/missing",
            "GET /fhir/Patient/secret",
            "GET /fhir/Patient/secret",
            "GET /fhir/Patient/broken",
            "GET /fhir/Patient/broken",
            "GET /fhir/Patient/$meta",
            "GET /fhir/Patient/$meta",
            "GET /fhir?_type=Patient&_lastUpdated=gt2026-01-01",
            "GET /fhir?_type=Patient&_lastUpdated=gt2026-01-01");
    assertThat(total(pipeline, "code=delete&date=ge2020-01-01&date=lt2100-01-01")).isEqualTo(2);
    // the user nginx logged ($remote_user): the read of p1 and the delete of p2, both copies
    assertThat(total(pipeline, "agent:identifier=dr.who")).isEqualTo(4);
    // the logging server: the syslog HOSTNAME nginx wrote names the syslog copy
    String host = java.net.InetAddress.getLocalHost().getHostName();
    assertThat(total(pipeline, "source:identifier=" + host)).isEqualTo(FhirTraffic.EVENTS);

    // 4. the same file again, then one new line: the total grows by that line only
    assertThat(post(pipeline, FILE_SOURCE, file)).isEqualTo(lines);
    String sentinel =
        "127.0.0.1 - - [06/Dec/2026:12:00:00 +0000] \"GET /fhir/Patient/sentinel HTTP/1.1\" 200 9"
            + " \"-\" \"acceptance\"\n";
    assertThat(post(pipeline, FILE_SOURCE, sentinel.getBytes(StandardCharsets.UTF_8))).isEqualTo(1);
    awaitEvents(pipeline, FILE_SOURCE, FhirTraffic.EVENTS + 1);
    assertThat(eventsOf(pipeline, FILE_SOURCE)).hasSize(FhirTraffic.EVENTS + 1);
    assertThat(eventsOf(pipeline, SYSLOG_SOURCE)).hasSize(FhirTraffic.EVENTS);

    // 5. the access token of one query: nowhere
    SecretSearch.Searched live =
        secrets.assertNotInKafkaLogsOrMetrics(pipeline, FhirTraffic.SECRET);
    assertThat(live.records()).isPositive();
    pipeline.close();
    SecretSearch.Searched stored =
        SecretSearch.assertNotInIndexOrFiles(dataDir, dataDir.resolve("index"), FhirTraffic.SECRET);
    assertThat(stored.storedDocs()).isGreaterThanOrEqualTo(2L * FhirTraffic.EVENTS);
  }

  /**
   * A hostile corpus, posted as text and NDJSON and sent over syslog: every line is converted or
   * dead-lettered with a reason, and the access token in it is nowhere.
   */
  @Test
  void hostileCorpus_everyLineConvertedOrDeadLetteredWithAReason_andTheTokenIsNowhere()
      throws Exception {
    SecretSearch secrets = keep(new SecretSearch());
    Path sources = dataDir.resolveSibling(dataDir.getFileName() + "-sources.yaml");
    Files.writeString(
        sources,
        """
        sources:
          - name: gateway-json
            format: json
            observer: gw.hospital.example
            base-paths: [/fhir]
        """);
    Pipeline pipeline =
        keep(
            new Pipeline(
                    PipelineConfig.builder(dataDir)
                        .http("127.0.0.1", 0)
                        .syslog("127.0.0.1", 0, 0)
                        .kafkaPort(0)
                        .accessLogSources(sources)
                        .build())
                .start());
    String secret = FhirTraffic.SECRET;
    String ok = line("GET /fhir/Observation?patient=h1&access_token=" + secret, 200);
    String overlong =
        line("GET /fhir/Observation?access_token=" + secret + "&x=" + "y".repeat(20_000), 200);
    String truncated = line("GET /fhir/Patient/h2?access_token=" + secret, 200).substring(0, 70);
    String unsafe = line("GET /fhir/Patient/%00/../../etc/passwd?access_token=" + secret, 200);
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    for (String l : List.of(ok, overlong, truncated, unsafe)) {
      text.write(l.getBytes(StandardCharsets.UTF_8));
      text.write('\n');
    }
    byte[] invalidUtf8 =
        line("GET /fhir/Patient/h3?access_token=" + secret, 200).getBytes(StandardCharsets.UTF_8);
    invalidUtf8[10] = (byte) 0xC3;
    invalidUtf8[11] = (byte) 0x28;
    text.write(invalidUtf8);
    text.write('\n');
    assertThat(post(pipeline, "default", text.toByteArray())).isEqualTo(5);

    String jsonOk =
        "{\"time_iso8601\":\"2026-12-06T12:00:00+00:00\",\"remote_addr\":\"10.1.1.1\","
            + "\"request_method\":\"GET\",\"request_uri\":\"/fhir/Patient/h4?access_token="
            + secret
            + "\",\"status\":200}";
    // under the 16 KiB line limit, so the JSON reader's own depth limit has to refuse them
    String bomb = "[".repeat(6_000) + "]".repeat(6_000);
    String deepObject = "{\"a\":".repeat(2_000) + "1" + "}".repeat(2_000);
    assertThat(postNdjson(pipeline, "gateway-json", String.join("\n", jsonOk, bomb, deepObject)))
        .isEqualTo(3);

    // nginx-style syslog: a truncated line with the token, over UDP
    byte[] datagram =
        ("<190>Dec  6 12:00:00 web nginx: " + truncated).getBytes(StandardCharsets.UTF_8);
    try (java.net.DatagramSocket udp = new java.net.DatagramSocket()) {
      udp.send(
          new java.net.DatagramPacket(
              datagram,
              datagram.length,
              java.net.InetAddress.getLoopbackAddress(),
              pipeline.syslogUdpPort()));
    }

    // converted: the plain line and the JSON line; dead-lettered: the other seven, with a reason
    awaitEvents(pipeline, "default", 1);
    awaitEvents(pipeline, "gateway-json", 1);
    List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> dead =
        awaitDeadLetters(pipeline, 7);
    assertThat(dead)
        .extracting(
            r ->
                org.atnabridge.schemas.RawHeaders.get(
                    r.headers(), org.atnabridge.schemas.DeadLetterHeaders.REASON))
        .containsExactlyInAnyOrder(
            "TOO_LONG",
            "TRUNCATED",
            "UNSAFE_PATH",
            "INVALID_UTF8",
            "JSON_MALFORMED", // a top-level array is not one JSON object
            "JSON_LIMIT",
            "TRUNCATED");
    assertThat(dead)
        .allSatisfy(
            r ->
                assertThat(
                        org.atnabridge.schemas.RawHeaders.get(
                            r.headers(), org.atnabridge.schemas.DeadLetterHeaders.SOURCE_TOPIC))
                    .isEqualTo("accesslog.raw"));

    SecretSearch.Searched live = secrets.assertNotInKafkaLogsOrMetrics(pipeline, secret);
    assertThat(live.records()).isPositive();
    pipeline.close();
    SecretSearch.Searched stored =
        SecretSearch.assertNotInIndexOrFiles(dataDir, dataDir.resolve("index"), secret);
    assertThat(stored.storedDocs()).isPositive();
    System.out.println("secret searched in: " + live + " " + stored);
  }

  /** The first {@code count} records of audit.dlq that came from accesslog.raw. */
  static List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> awaitDeadLetters(
      Pipeline pipeline, int count) {
    Map<String, Object> config =
        Map.of(
            org.apache.kafka.clients.consumer.ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            pipeline.bootstrapServers(),
            org.apache.kafka.clients.consumer.ConsumerConfig.GROUP_ID_CONFIG,
            "dlq-probe-" + java.util.UUID.randomUUID(),
            org.apache.kafka.clients.consumer.ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest");
    List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> found =
        new ArrayList<>();
    try (var consumer =
        new org.apache.kafka.clients.consumer.KafkaConsumer<>(
            config,
            new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
            new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
      consumer.subscribe(List.of(org.atnabridge.schemas.Topics.AUDIT_DLQ.name()));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                for (var r : consumer.poll(Duration.ofMillis(200))) {
                  found.add(r);
                }
                return found.size() >= count;
              });
      // nothing more arrives than expected
      consumer.poll(Duration.ofSeconds(2)).forEach(found::add);
    }
    return found;
  }

  private static String line(String request, int status) {
    return "10.0.0.9 - - [06/Dec/2026:12:00:00 +0000] \""
        + request
        + " HTTP/1.1\" "
        + status
        + " 10 \"-\" \"hostile\"";
  }

  /** Posts NDJSON lines; returns the count the 202 says was accepted. */
  static int postNdjson(Pipeline pipeline, String source, String ndjson)
      throws IOException, InterruptedException {
    return postLines(
        pipeline,
        source,
        "shipper",
        "application/x-ndjson",
        ndjson.getBytes(StandardCharsets.UTF_8),
        false);
  }

  /**
   * The two sources of the nginx run, with the FHIR base declared (interactions on the base itself,
   * search-system and batch/transaction, need it); the observer stays the syslog HOSTNAME or the
   * HTTP peer.
   */
  private PipelineConfig config() throws IOException {
    Path sources = nginxDir.resolve("sources.yaml");
    Files.writeString(
        sources,
        """
        sources:
          - name: %s
            format: combined
            base-paths: [/fhir]
          - name: %s
            format: combined
            base-paths: [/fhir]
        """
            .formatted(SYSLOG_SOURCE, FILE_SOURCE));
    return PipelineConfig.builder(dataDir)
        .http("127.0.0.1", 0)
        .syslog("127.0.0.1", 0, 0)
        .kafkaPort(0)
        .accessLogSources(sources)
        .build();
  }

  private <T extends AutoCloseable> T keep(T closeable) {
    running.add(closeable);
    return closeable;
  }

  /** Two events of {@code patient=p8,p9}, one correlation id. */
  private static void assertSharedCorrelation(List<AuditEvent> events) {
    List<String> ids =
        events.stream()
            .filter(e -> AccessLogGolden.requestOf(e).endsWith("patient=p8,p9"))
            .map(e -> e.getExtensionByUrl(Extensions.CORRELATION_ID).getValue().primitiveValue())
            .toList();
    assertThat(ids).hasSize(2);
    assertThat(ids.get(0)).isEqualTo(ids.get(1));
  }

  /** Posts lines gzip-compressed; returns the count the 202 says was accepted. */
  static int post(Pipeline pipeline, String source, byte[] lines)
      throws IOException, InterruptedException {
    return postLines(pipeline, source, "nginx-shipper", "text/plain", lines, true);
  }

  /**
   * Posts {@code body} as {@code subject} (a token of the local issuer), gzip-compressed when
   * {@code gzip}; returns the count the 202 says was accepted.
   */
  private static int postLines(
      Pipeline pipeline,
      String source,
      String subject,
      String contentType,
      byte[] body,
      boolean gzip)
      throws IOException, InterruptedException {
    byte[] sent = body;
    if (gzip) {
      ByteArrayOutputStream zipped = new ByteArrayOutputStream();
      try (GZIPOutputStream gz = new GZIPOutputStream(zipped)) {
        gz.write(body);
      }
      sent = zipped.toByteArray();
    }
    String token =
        LocalIssuer.open(pipeline.keysDir())
            .mint(subject, "system/AuditEvent.c", null, Set.of(), Duration.ofMinutes(5));
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create(
                    "http://127.0.0.1:"
                        + pipeline.httpPort()
                        + "/ingest/access-logs?source="
                        + source))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", contentType);
    if (gzip) {
      request.header("Content-Encoding", "gzip");
    }
    HttpResponse<String> answer =
        HttpClient.newHttpClient()
            .send(
                request.POST(HttpRequest.BodyPublishers.ofByteArray(sent)).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
    return new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(answer.body())
        .path("accepted")
        .asInt(-1);
  }

  static List<AuditEvent> awaitEvents(Pipeline pipeline, String source, int count) {
    List<List<AuditEvent>> last = new ArrayList<>(List.of(List.of()));
    try {
      awaitCount(pipeline, source, count, last);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      System.out.println("DIAG total=" + total(pipeline, "_count=1"));
      pipeline
          .meterRegistry()
          .scrape()
          .lines()
          .filter(l -> l.contains("accesslog") || l.contains("dlq") || l.contains("converted"))
          .forEach(l -> System.out.println("DIAG " + l));
      throw e;
    }
    return last.get(0);
  }

  private static void awaitCount(
      Pipeline pipeline, String source, int count, List<List<AuditEvent>> last) {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              last.set(0, eventsOf(pipeline, source));
              assertThat(last.get(0)).hasSize(count);
            });
  }

  /** Every access log event of one source (category rest, source extension). */
  static List<AuditEvent> eventsOf(Pipeline pipeline, String source) {
    IGenericClient client = EndToEndContract.client(pipeline);
    Bundle page =
        client
            .search()
            .byUrl("AuditEvent?category=rest&_count=1000")
            .returnBundle(Bundle.class)
            .execute();
    List<AuditEvent> out = new ArrayList<>();
    while (true) {
      for (Bundle.BundleEntryComponent e : page.getEntry()) {
        AuditEvent event = (AuditEvent) e.getResource();
        var ext = event.getExtensionByUrl(Extensions.ACCESS_LOG_SOURCE);
        if (ext != null && source.equals(ext.getValue().primitiveValue())) {
          out.add(event);
        }
      }
      if (page.getLink(Bundle.LINK_NEXT) == null) {
        return out;
      }
      page = client.loadPage().next(page).execute();
    }
  }

  static List<AuditEvent> search(Pipeline pipeline, String query) {
    return EndToEndContract.client(pipeline)
        .search()
        .byUrl("AuditEvent?" + query)
        .returnBundle(Bundle.class)
        .execute()
        .getEntry()
        .stream()
        .map(e -> (AuditEvent) e.getResource())
        .toList();
  }

  static int total(Pipeline pipeline, String query) {
    Bundle b =
        EndToEndContract.client(pipeline)
            .search()
            .byUrl("AuditEvent?_summary=count&" + query)
            .returnBundle(Bundle.class)
            .execute();
    return b.getTotal();
  }

  static String json(AuditEvent e) {
    return Fhir.toJson(e);
  }
}
