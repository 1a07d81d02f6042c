package org.atnabridge.search.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.atnabridge.kafka.embedded.EmbeddedKafkaBroker;
import org.atnabridge.schemas.RawHeaders;
import org.atnabridge.schemas.Topics;
import org.atnabridge.search.ChainVerificationProvider;
import org.atnabridge.search.FhirServerFactory;
import org.atnabridge.search.SearchServer;
import org.atnabridge.search.feed.KafkaAuditEventFeed;
import org.atnabridge.search.security.ApiSecurity;
import org.atnabridge.search.security.LocalIssuer;
import org.atnabridge.store.AuditStore;
import org.atnabridge.store.AuditStores;
import org.atnabridge.testing.FreePorts;
import org.atnabridge.testing.KafkaBrokerExtension;
import org.atnabridge.testing.TopicReaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /ingest/access-logs} on the API's server with its real authentication (tokens from
 * the local issuer) into a real broker's {@code accesslog.raw}, read back with a consumer. Refused
 * requests are shown to have written nothing by a valid request of the same source sent after them:
 * the same producer and key keep one partition in order, so a record of the refused one would come
 * before it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(KafkaBrokerExtension.class)
class AccessLogIntakeIT {

  private static final long LIMIT = 64 * 1024;

  private final HttpClient http = HttpClient.newHttpClient();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private AuditStore store;
  private KafkaAuditEventFeed feed;
  private KafkaAccessLogWriter writer;
  private SearchServer server;
  private KafkaConsumer<byte[], byte[]> consumer;
  private String token;
  private Path keys;
  private final List<ConsumerRecord<byte[], byte[]>> seen = new ArrayList<>();

  @BeforeAll
  void start(EmbeddedKafkaBroker kafka, @TempDir Path dir) {
    kafka.createTopics(Topics.newTopics((short) 1));
    keys = dir.resolve("keys");
    LocalIssuer issuer = LocalIssuer.openOrCreate(keys);
    token = issuer.mint("shipper", "system/AuditEvent.c", null, Set.of(), Duration.ofMinutes(10));
    store = AuditStores.lucene(dir.resolve("index"));
    Map<String, Object> producer =
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    feed = new KafkaAuditEventFeed(producer);
    writer = new KafkaAccessLogWriter(producer);
    ApiSecurity security = new ApiSecurity(issuer.settings(), feed);
    server =
        new SearchServer(
                "127.0.0.1",
                0,
                FhirServerFactory.create(
                    store.search(),
                    feed,
                    Clock.systemUTC(),
                    ChainVerificationProvider::new,
                    security))
            .authenticateWith(
                security.authentication(FhirServerFactory.REPOSITORY_NAME, Clock.systemUTC()))
            .accessLogIntake(
                new AccessLogIntakeServlet(
                    writer,
                    Set.of("access_token", "code", "password", "api_key"),
                    LIMIT,
                    registry,
                    Clock.systemUTC()))
            .start();
    consumer = TopicReaders.fromBeginning(kafka.bootstrapServers(), Topics.ACCESSLOG_RAW);
  }

  @AfterAll
  void stop() {
    consumer.close();
    server.close();
    writer.close();
    feed.close();
    store.close();
  }

  @Test
  void plainLines_eachNonBlankLineIsOneRecordWithItsHeaders() {
    byte[] invalidUtf8 = {'G', 'E', 'T', ' ', (byte) 0xC3, 0x28, (byte) 0xFF};
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes("line one\nline two\r\n\n \t\r\n".getBytes(StandardCharsets.US_ASCII));
    body.writeBytes(invalidUtf8);
    body.writeBytes("\nlast line without terminator".getBytes(StandardCharsets.US_ASCII));

    HttpResponse<String> response =
        post("?source=web-1.a_b", "text/plain; charset=utf-8", null, body.toByteArray(), token);

    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(response.body().replace(" ", "")).isEqualTo("{\"accepted\":4}");
    List<ConsumerRecord<byte[], byte[]>> records = recordsOf("web-1.a_b", 4);
    assertThat(records)
        .extracting(r -> new String(r.value(), StandardCharsets.ISO_8859_1))
        .containsExactly(
            "line one",
            "line two",
            new String(invalidUtf8, StandardCharsets.ISO_8859_1),
            "last line without terminator");
    for (ConsumerRecord<byte[], byte[]> r : records) {
      assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("127.0.0.1");
      assertThat(header(r, RawHeaders.TRANSPORT)).isEqualTo("http");
      assertThat(header(r, RawHeaders.PEER)).startsWith("127.0.0.1:");
      assertThat(header(r, RawHeaders.LISTENER)).isEqualTo("http-ingest:" + server.port());
      assertThat(header(r, RawHeaders.FRAMING)).isEqualTo("line");
      assertThat(header(r, RawHeaders.RECEIVED_AT))
          .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z");
      assertThat(Instant.parse(header(r, RawHeaders.RECEIVED_AT)))
          .isBefore(Instant.now().plusSeconds(1));
    }
  }

  @Test
  void gzipNdjson_withoutSource_isTheDefaultSource() throws IOException {
    String ndjson =
        "{\"method\":\"GET\",\"path\":\"/fhir/Patient/1\"}\n"
            + "{\"method\":\"POST\",\"path\":\"/fhir/Observation\"}\n";

    HttpResponse<String> response =
        post(
            "",
            "application/x-ndjson",
            "gzip",
            gzip(ndjson.getBytes(StandardCharsets.UTF_8)),
            token);

    assertThat(response.statusCode()).isEqualTo(202);
    List<ConsumerRecord<byte[], byte[]>> records =
        recordsOf(AccessLogIntakeServlet.DEFAULT_SOURCE, 2);
    assertThat(records)
        .extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
        .containsExactly(
            "{\"method\":\"GET\",\"path\":\"/fhir/Patient/1\"}",
            "{\"method\":\"POST\",\"path\":\"/fhir/Observation\"}");
    assertThat(records)
        .allSatisfy(r -> assertThat(header(r, RawHeaders.FRAMING)).isEqualTo("ndjson"));
  }

  @Test
  void accessTokenValue_isMaskedBeforeKafka_andCounted() {
    double before = scrubbed();
    String line =
        "10.0.0.9 - - [01/May/2026:10:00:00 +0000] \"GET /fhir/Patient?access_token=s3cr3t-VALUE&name=x"
            + " HTTP/1.1\" 200 512 \"-\" \"curl\"";

    HttpResponse<String> response =
        post("?source=masked", "text/plain", null, line.getBytes(StandardCharsets.UTF_8), token);

    assertThat(response.statusCode()).isEqualTo(202);
    String stored = new String(recordsOf("masked", 1).get(0).value(), StandardCharsets.UTF_8);
    assertThat(stored).doesNotContain("s3cr3t-VALUE").contains("access_token=").contains("name=x");
    assertThat(scrubbed() - before).isEqualTo(1.0);
  }

  @Test
  void withoutToken_401_withBearerChallenge() {
    HttpResponse<String> response =
        post("?source=denied", "text/plain", null, "a line".getBytes(StandardCharsets.UTF_8), null);

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
  }

  @Test
  void readScopes_403_insufficientScope_namingTheScopeNeeded() {
    LocalIssuer issuer = LocalIssuer.openOrCreate(keysOf());
    String reader =
        issuer.mint("reader", "system/AuditEvent.rs", null, Set.of(), Duration.ofMinutes(5));

    HttpResponse<String> response =
        post(
            "?source=denied",
            "text/plain",
            null,
            "a line".getBytes(StandardCharsets.UTF_8),
            reader);

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.headers().firstValue("WWW-Authenticate"))
        .hasValue(
            "Bearer realm=\"atna-bridge\", error=\"insufficient_scope\", scope=\"system/AuditEvent.c\"");
    assertThat(response.body()).contains("OperationOutcome").doesNotContain("Exception");
    fence("denied");
  }

  @Test
  void widerSystemGrant_isAccepted() {
    String wide =
        LocalIssuer.openOrCreate(keysOf())
            .mint("shipper", "system/*.cruds", null, Set.of(), Duration.ofMinutes(5));

    HttpResponse<String> response =
        post("?source=wide", "text/plain", null, "a line".getBytes(StandardCharsets.UTF_8), wide);

    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(recordsOf("wide", 1)).hasSize(1);
  }

  @Test
  void declaredTooLarge_413_nothingWritten() {
    byte[] body = lines(LIMIT + 1);

    HttpResponse<String> response = post("?source=large", "text/plain", null, body, token);

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(response.body()).contains("larger than the limit");
    fence("large");
  }

  @Test
  void chunkedTooLarge_413_nothingWritten() {
    byte[] body = lines(LIMIT * 2);
    HttpRequest.Builder request =
        request("?source=chunked", "text/plain", null, token)
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));

    HttpResponse<String> response = send(request);

    assertThat(response.statusCode()).isEqualTo(413);
    fence("chunked");
  }

  @Test
  void gzipBomb_413_nothingWritten() throws IOException {
    byte[] bomb = gzip(lines(LIMIT * 64)); // 4 MiB of lines in a few KiB
    assertThat((long) bomb.length).isLessThan(LIMIT);

    HttpResponse<String> response = post("?source=bomb", "text/plain", "gzip", bomb, token);

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(response.body()).contains("compressed or decoded");
    fence("bomb");
  }

  @Test
  void otherMediaType_415_otherCoding_415_otherMethod_405_badSource_400() {
    byte[] line = "a line".getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> json = post("?source=bad", "application/json", null, line, token);
    assertThat(json.statusCode()).isEqualTo(415);
    // the body was not read: the server closes the connection, and says so
    assertThat(json.headers().firstValue("Connection")).hasValue("close");
    assertThat(post("?source=bad", "text/plain", "br", line, token).statusCode()).isEqualTo(415);
    HttpResponse<String> get = send(request("", "text/plain", null, token).GET());
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(get.headers().firstValue("Allow")).hasValue("POST");
    assertThat(post("?source=b%20d", "text/plain", null, line, token).statusCode()).isEqualTo(400);
    assertThat(post("?source=" + "x".repeat(65), "text/plain", null, line, token).statusCode())
        .isEqualTo(400);
    fence("bad");
  }

  @Test
  void kafkaUnreachable_503_withRetryAfter_andNoInternals() throws IOException {
    int nothingListens = FreePorts.next();
    // the producer blocks for metadata at most this long, then the request is answered
    try (KafkaAccessLogWriter unreachable =
            new KafkaAccessLogWriter(
                Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    "127.0.0.1:" + nothingListens,
                    ProducerConfig.MAX_BLOCK_MS_CONFIG,
                    1_000));
        SearchServer alone = withIntake(unreachable)) {
      HttpResponse<String> response =
          send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + alone.port() + AccessLogIntakeServlet.PATH))
                  .header("Content-Type", "text/plain")
                  .header("Authorization", "Bearer " + token)
                  .POST(HttpRequest.BodyPublishers.ofString("a line")));

      assertThat(response.statusCode()).isEqualTo(503);
      assertThat(response.headers().firstValue("Retry-After")).isPresent();
      assertThat(response.body())
          .contains("send them again later")
          .doesNotContain("Exception", "kafka", "127.0.0.1");
    }
  }

  /** A second API server on the same keys whose intake writes with {@code writer}. */
  private SearchServer withIntake(KafkaAccessLogWriter writer) {
    ApiSecurity security = new ApiSecurity(LocalIssuer.open(keys).settings(), feed);
    return new SearchServer(
            "127.0.0.1",
            0,
            FhirServerFactory.create(
                store.search(), feed, Clock.systemUTC(), ChainVerificationProvider::new, security))
        .authenticateWith(
            security.authentication(FhirServerFactory.REPOSITORY_NAME, Clock.systemUTC()))
        .accessLogIntake(
            new AccessLogIntakeServlet(
                writer,
                Set.of("access_token"),
                LIMIT,
                new SimpleMeterRegistry(),
                Clock.systemUTC()))
        .start();
  }

  /**
   * Posts one line as source {@code source} and reads up to it: only that line has the source, so
   * nothing of the refused requests before it was written.
   */
  private void fence(String source) {
    HttpResponse<String> marker =
        post(
            "?source=" + source,
            "text/plain",
            null,
            ("fence " + source).getBytes(StandardCharsets.UTF_8),
            token);
    assertThat(marker.statusCode()).isEqualTo(202);
    assertThat(recordsOf(source, 1))
        .extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
        .containsExactly("fence " + source);
  }

  /** Records of {@code source}, once at least {@code count} have been read (bounded wait). */
  private List<ConsumerRecord<byte[], byte[]>> recordsOf(String source, int count) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      List<ConsumerRecord<byte[], byte[]>> mine =
          seen.stream()
              .filter(r -> source.equals(header(r, RawHeaders.ACCESS_LOG_SOURCE)))
              .toList();
      if (mine.size() >= count || System.nanoTime() > deadline) {
        return mine;
      }
      consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
    }
  }

  private Path keysOf() {
    return keys;
  }

  private double scrubbed() {
    return registry.get(AccessLogIntakeServlet.SCRUBBED).tag("intake", "http").counter().count();
  }

  private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    return RawHeaders.get(r.headers(), name);
  }

  /** Newline-terminated lines of 63 octets and a newline, {@code bytes} octets or a little more. */
  private static byte[] lines(long bytes) {
    String line = "x".repeat(63) + "\n";
    return line.repeat((int) (bytes / line.length()) + 1).getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(data);
    }
    return out.toByteArray();
  }

  private HttpRequest.Builder request(
      String query, String contentType, String encoding, String bearer) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(
                URI.create(
                    "http://127.0.0.1:" + server.port() + AccessLogIntakeServlet.PATH + query))
            .header("Content-Type", contentType);
    if (encoding != null) {
      b.header("Content-Encoding", encoding);
    }
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    return b;
  }

  private HttpResponse<String> post(
      String query, String contentType, String encoding, byte[] body, String bearer) {
    return send(
        request(query, contentType, encoding, bearer)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
