package org.atnabridge.allinone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.atnabridge.schemas.RawHeaders;
import org.atnabridge.schemas.Topics;
import org.atnabridge.search.intake.AccessLogIntakeServlet;
import org.atnabridge.search.security.LocalIssuer;
import org.atnabridge.testing.TopicReaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /ingest/access-logs} as the product serves it: on {@code serve}'s API port (in
 * process), and on {@code atna-bridge ingest --ingest-http-port} (the packaged jar, against {@code
 * serve}'s broker), each line on {@code accesslog.raw} with its secret masked.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpAccessLogIntakeIT {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String LINES =
      "10.1.2.3 - alice [01/May/2026:10:00:00 +0000] \"GET /fhir/Patient/42?access_token=tok-SECRET-1"
          + " HTTP/1.1\" 200 512 \"-\" \"curl/8\"\n"
          + "10.1.2.3 - alice [01/May/2026:10:00:01 +0000] \"GET /fhir/Observation?patient=42"
          + " HTTP/1.1\" 200 1024 \"-\" \"curl/8\"\n";

  private Path dir;
  private Pipeline serve;
  private KafkaConsumer<byte[], byte[]> consumer;
  private final List<ConsumerRecord<byte[], byte[]>> seen = new ArrayList<>();

  @BeforeAll
  void start(@TempDir Path tmp) {
    dir = tmp;
    serve =
        new Pipeline(
                PipelineConfig.builder(dir.resolve("serve"))
                    .http("127.0.0.1", 0)
                    .syslog("127.0.0.1", 0, 0)
                    .kafkaPort(0)
                    .build())
            .start();
    consumer = TopicReaders.fromBeginning(serve.bootstrapServers(), Topics.ACCESSLOG_RAW);
  }

  @AfterAll
  void stop() {
    consumer.close();
    serve.close();
  }

  @Test
  void serve_takesGzipLinesOnTheApiPort() throws Exception {
    String token =
        LocalIssuer.open(serve.keysDir())
            .mint("shipper", AccessLogIntakeServlet.SCOPE, null, Set.of(), Duration.ofMinutes(5));

    HttpResponse<String> response = post(serve.httpPort(), "serve-api", token);

    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(response.body()).isEqualTo("{\"accepted\":2}");
    List<ConsumerRecord<byte[], byte[]>> records = recordsOf("serve-api", 2);
    assertStored(records, "http-ingest:" + serve.httpPort());
    assertThat(
            serve
                .meterRegistry()
                .get(AccessLogIntakeServlet.SCRUBBED)
                .tag("intake", "http")
                .counter()
                .count())
        .isGreaterThanOrEqualTo(1.0);
  }

  @Test
  void ingest_servesTheIntakeOnIngestHttpPort() throws Exception {
    Path data = dir.resolve("ingest");
    String token =
        LocalIssuer.openOrCreate(data.resolve("keys"))
            .mint("shipper", AccessLogIntakeServlet.SCOPE, null, Set.of(), Duration.ofMinutes(5));
    int port = ServeProcess.freePort();
    int health = ServeProcess.freePort();
    try (ServeProcess ingest =
        ServeProcess.start(
            dir.resolve("ingest.log"),
            "ingest",
            "--kafka-bootstrap",
            serve.bootstrapServers(),
            "--data-dir",
            data.toString(),
            "--syslog-host",
            "127.0.0.1",
            "--syslog-port",
            String.valueOf(ServeProcess.freePort()),
            "--health-port",
            String.valueOf(health),
            "--ingest-http-port",
            String.valueOf(port))) {
      ingest.awaitReady(Duration.ofSeconds(120));

      assertThat(post(port, "ingest-cmd", null).statusCode()).isEqualTo(401);
      HttpResponse<String> response = post(port, "ingest-cmd", token);

      assertThat(response.statusCode()).as(ingest.log()).isEqualTo(202);
      assertThat(response.body()).isEqualTo("{\"accepted\":2}");
      assertStored(recordsOf("ingest-cmd", 2), "http-ingest:" + port);
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(get("http://127.0.0.1:" + health + "/health/ready"))
                      .contains("\"http-intake\":\"UP\""));
      assertThat(ingest.log()).doesNotContain("tok-SECRET-1").doesNotContain(token);
      assertThat(ingest.terminate(Duration.ofSeconds(60))).as(ingest.log()).isTrue();
    }
  }

  private static void assertStored(List<ConsumerRecord<byte[], byte[]>> records, String listener) {
    assertThat(records).hasSize(2);
    String first = new String(records.get(0).value(), StandardCharsets.UTF_8);
    assertThat(first).doesNotContain("tok-SECRET-1").contains("GET /fhir/Patient/42?access_token=");
    assertThat(new String(records.get(1).value(), StandardCharsets.UTF_8))
        .isEqualTo(LINES.split("\n")[1]);
    for (ConsumerRecord<byte[], byte[]> r : records) {
      assertThat(RawHeaders.get(r.headers(), RawHeaders.TRANSPORT)).isEqualTo("http");
      assertThat(RawHeaders.get(r.headers(), RawHeaders.LISTENER)).isEqualTo(listener);
      assertThat(RawHeaders.get(r.headers(), RawHeaders.FRAMING)).isEqualTo("line");
    }
  }

  private List<ConsumerRecord<byte[], byte[]>> recordsOf(String source, int count) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      List<ConsumerRecord<byte[], byte[]>> mine =
          seen.stream()
              .filter(r -> source.equals(RawHeaders.get(r.headers(), RawHeaders.ACCESS_LOG_SOURCE)))
              .toList();
      if (mine.size() >= count || System.nanoTime() > deadline) {
        return mine;
      }
      consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
    }
  }

  private static HttpResponse<String> post(int port, String source, String token)
      throws IOException, InterruptedException {
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(gz)) {
      z.write(LINES.getBytes(StandardCharsets.UTF_8));
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create(
                    "http://127.0.0.1:" + port + AccessLogIntakeServlet.PATH + "?source=" + source))
            .header("Content-Type", "text/plain; charset=utf-8")
            .header("Content-Encoding", "gzip")
            .POST(HttpRequest.BodyPublishers.ofByteArray(gz.toByteArray()));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String get(String url) throws IOException, InterruptedException {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create(url)).GET().build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
