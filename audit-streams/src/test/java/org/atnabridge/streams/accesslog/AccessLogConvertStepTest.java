package org.atnabridge.streams.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.atnabridge.accesslog.AccessLogSources;
import org.atnabridge.accesslog.FailureReason;
import org.atnabridge.atna.AtnaConverter;
import org.atnabridge.schemas.DeadLetterHeaders;
import org.atnabridge.schemas.EventHeaders;
import org.atnabridge.schemas.RawHeaders;
import org.atnabridge.schemas.RawRecordReference;
import org.atnabridge.schemas.Topics;
import org.atnabridge.schemas.chain.ChainLink;
import org.atnabridge.schemas.vocab.Extensions;
import org.atnabridge.streams.AuditTopology;
import org.atnabridge.streams.StreamsSettings;
import org.atnabridge.streams.chain.CheckpointKeys;
import org.atnabridge.streams.enrich.EnrichmentConfig;
import org.atnabridge.streams.outcome.StreamsMeters;
import org.hl7.fhir.r5.model.AuditEvent;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code accesslog.raw} through the production topology ({@link AuditTopology#build}) on the
 * production topic constants: converted lines are written, enriched and chained like converted ATNA
 * messages; dropped lines are counted and written nowhere; unreadable ones are dead-lettered as
 * they came.
 */
class AccessLogConvertStepTest {

  private static final Instant NOW = Instant.parse("2026-12-06T17:00:00Z");
  private static final String SECRET = "tok-4711-secret";

  /** A combined line of the default source (every path audited), with a token in its query. */
  private static final String READ =
      "10.0.0.9 - alice [06/Dec/2026:17:00:00 +0000] \"GET /Patient/123?access_token="
          + SECRET
          + " HTTP/1.1\" 200 512 \"-\" \"curl/8.5\"";

  private static final String SOURCES =
      """
      sources:
        - name: gateway
          format: combined
          observer: fhir-gw.example.org
          base-paths: [/fhir/r5]
        - name: shipper
          format: json
        - name: default
          format: combined
          observer: catch-all.example.org
      """;

  @TempDir Path stateDir;
  @TempDir Path keyDir;
  private @Nullable TopologyTestDriver driver;
  private TestInputTopic<byte[], byte[]> raw;
  private TestOutputTopic<String, AuditEvent> events;
  private TestOutputTopic<byte[], byte[]> dlq;
  private TestOutputTopic<String, AuditEvent> enriched;
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  private void start(@Nullable AccessLogSources sources) {
    driver =
        new TopologyTestDriver(
            AuditTopology.build(
                new AtnaConverter(),
                sources,
                EnrichmentConfig.defaults(),
                CheckpointKeys.loadOrCreate(keyDir),
                Clock.fixed(NOW, ZoneOffset.UTC),
                new StreamsMeters(meters),
                Topics.MAX_EVENT_RECORD_BYTES),
            StreamsSettings.defaults("unused:9092", stateDir)
                .toProperties(AuditTopology.APPLICATION_ID));
    raw =
        driver.createInputTopic(
            Topics.ACCESSLOG_RAW.name(),
            Topics.ACCESSLOG_RAW.keySerde().serializer(),
            Topics.ACCESSLOG_RAW.valueSerde().serializer());
    events =
        driver.createOutputTopic(
            Topics.AUDIT_EVENTS.name(),
            Topics.AUDIT_EVENTS.keySerde().deserializer(),
            Topics.AUDIT_EVENTS.valueSerde().deserializer());
    dlq =
        driver.createOutputTopic(
            Topics.AUDIT_DLQ.name(),
            Topics.AUDIT_DLQ.keySerde().deserializer(),
            Topics.AUDIT_DLQ.valueSerde().deserializer());
    enriched =
        driver.createOutputTopic(
            Topics.AUDIT_ENRICHED.name(),
            Topics.AUDIT_ENRICHED.keySerde().deserializer(),
            Topics.AUDIT_ENRICHED.valueSerde().deserializer());
  }

  @AfterEach
  void tearDown() {
    if (driver != null) {
      driver.close();
    }
  }

  @Test
  void combinedLine_writtenEnrichedAndChained_withItsScrubbedLine() {
    start(null);
    pipe(READ, http(null));

    TestRecord<String, AuditEvent> written = events.readRecord();
    AuditEvent event = written.value();
    assertThat(written.key()).isEqualTo(event.getIdPart());
    assertThat(RawHeaders.get(written.headers(), EventHeaders.CHAINED_BY))
        .isEqualTo(AuditTopology.APPLICATION_ID);
    assertThat(event.getCode().getCodingFirstRep().getCode()).isEqualTo("read");
    assertThat(RawRecordReference.from(event))
        .isEqualTo(new RawRecordReference(Topics.ACCESSLOG_RAW.name(), 0, 0));
    assertThat(line(event)).isEqualTo(READ.replace(SECRET, "REDACTED")).doesNotContain(SECRET);
    assertThat(events.isEmpty()).isTrue();

    TestRecord<String, AuditEvent> chained = enriched.readRecord();
    assertThat(chained.key()).isEqualTo(written.key());
    assertThat(ChainLink.from(chained.value()).seq()).isEqualTo(1);
    assertThat(line(chained.value())).isEqualTo(line(event));
    assertThat(enriched.isEmpty()).isTrue();
    assertThat(dlq.isEmpty()).isTrue();
    assertThat(counter(StreamsMeters.ACCESS_LOG_CONVERTED, "source", "default")).isEqualTo(1);
  }

  @Test
  void syslogWrappedNginxLine_observerIsTheSyslogHostname() {
    start(null);
    String frame = "<190>Dec  6 17:00:00 web nginx: " + READ;
    pipe(frame, syslog("udp"));

    AuditEvent event = events.readRecord().value();
    assertThat(event.getSource().getObserver().getIdentifier().getValue()).isEqualTo("web");
    assertThat(line(event)).as("the MSG, not the frame").startsWith("10.0.0.9 - alice");
    assertThat(ChainLink.from(enriched.readRecord().value()).seq()).isEqualTo(1);
  }

  @Test
  void twoPatients_twoEventsSharingACorrelationId() {
    start(null);
    pipe(
        "10.0.0.9 - - [06/Dec/2026:17:00:00 +0000] \"GET /Observation?patient=a,b HTTP/1.1\" 200"
            + " 90 \"-\" \"curl/8.5\"",
        http(null));

    List<AuditEvent> written = events.readValuesToList();
    assertThat(written).hasSize(2);
    assertThat(written.stream().map(e -> e.getPatient().getReference()))
        .containsExactlyInAnyOrder("Patient/a", "Patient/b");
    Set<String> correlation =
        written.stream()
            .map(e -> e.getExtensionByUrl(Extensions.CORRELATION_ID).getValue().primitiveValue())
            .collect(Collectors.toSet());
    assertThat(correlation).hasSize(1);
    assertThat(enriched.readValuesToList()).hasSize(2);
    assertThat(counter(StreamsMeters.ACCESS_LOG_CONVERTED, "source", "default"))
        .as("lines, not events")
        .isEqualTo(1);
  }

  @Test
  void healthLine_droppedAndCounted_nothingWritten() {
    start(null);
    pipe(
        "10.0.0.9 - - [06/Dec/2026:17:00:00 +0000] \"GET /health HTTP/1.1\" 200 2 \"-\""
            + " \"kube-probe/1.30\"",
        http(null));

    assertThat(events.isEmpty()).isTrue();
    assertThat(enriched.isEmpty()).isTrue();
    assertThat(dlq.isEmpty()).isTrue();
    assertThat(
            meters
                .get(StreamsMeters.ACCESS_LOG_DROPPED)
                .tags("source", "default", "reason", "DROP_PATH")
                .counter()
                .count())
        .isEqualTo(1);
  }

  @Test
  void unreadableLines_deadLetteredWithReasonAndOriginalBytes() {
    start(AccessLogSources.parse(SOURCES));
    byte[] garbage = "no access log line at all".getBytes(StandardCharsets.UTF_8);
    byte[] overlong =
        ("10.0.0.9 - - [06/Dec/2026:17:00:00 +0000] \"GET /Patient?name="
                + "x".repeat(17_000)
                + " HTTP/1.1\" 200 1 \"-\" \"-\"")
            .getBytes(StandardCharsets.UTF_8);
    byte[] invalidUtf8 = READ.getBytes(StandardCharsets.UTF_8);
    invalidUtf8[20] = (byte) 0xC3;
    invalidUtf8[21] = (byte) 0x28;
    byte[] bomb =
        ("{\"status\":200,\"x\":" + "[".repeat(5_000) + "]".repeat(5_000) + "}")
            .getBytes(StandardCharsets.UTF_8);

    raw.pipeInput(new TestRecord<>(key(), garbage, http("gateway"), NOW));
    raw.pipeInput(new TestRecord<>(key(), overlong, http("gateway"), NOW));
    raw.pipeInput(new TestRecord<>(key(), invalidUtf8, http("gateway"), NOW));
    raw.pipeInput(new TestRecord<>(key(), bomb, http("shipper"), NOW));

    List<TestRecord<byte[], byte[]>> dead = dlq.readRecordsToList();
    assertThat(dead).hasSize(4);
    assertThat(dead.stream().map(TestRecord::value))
        .containsExactly(garbage, overlong, invalidUtf8, bomb);
    assertThat(dead.stream().map(d -> RawHeaders.get(d.headers(), DeadLetterHeaders.REASON)))
        .containsExactly(
            FailureReason.TRUNCATED.name(), // fewer fields than combined has
            FailureReason.TOO_LONG.name(),
            FailureReason.INVALID_UTF8.name(),
            FailureReason.JSON_LIMIT.name());
    for (TestRecord<byte[], byte[]> d : dead) {
      // the receive headers travel with the dead letter; the detail never repeats the line
      assertThat(RawHeaders.get(d.headers(), RawHeaders.PEER)).isEqualTo("10.0.0.9:51000");
      assertThat(RawHeaders.get(d.headers(), DeadLetterHeaders.STAGE))
          .isEqualTo(AuditTopology.CONVERT_STAGE);
      assertThat(RawHeaders.get(d.headers(), DeadLetterHeaders.DETAIL))
          .doesNotContain("access log line", "xxxxxxxx", "[[[[");
    }
    assertThat(events.isEmpty()).isTrue();
    assertThat(enriched.isEmpty()).isTrue();
    assertThat(counter(StreamsMeters.ACCESS_LOG_FAILED, "source", "shipper")).isEqualTo(1);
  }

  @Test
  void sameLineTwice_oneEvent() {
    start(null);
    pipe(READ, http(null));
    raw.pipeInput(new TestRecord<>(key(), bytes(READ), http(null), NOW.plusSeconds(60)));

    assertThat(events.readValuesToList()).hasSize(1);
    assertThat(enriched.readValuesToList()).hasSize(1);
    assertThat(counter(StreamsMeters.DUPLICATES, "transport", "http")).isEqualTo(1);
  }

  @Test
  void unknownSourceHeader_readWithTheDefaultSource() {
    start(AccessLogSources.parse(SOURCES));
    pipe(READ, http("no-such-source"));

    AuditEvent event = events.readRecord().value();
    assertThat(event.getExtensionByUrl(Extensions.ACCESS_LOG_SOURCE).getValue().primitiveValue())
        .isEqualTo("default");
    assertThat(event.getSource().getObserver().getIdentifier().getValue())
        .as("the file's source named default")
        .isEqualTo("catch-all.example.org");
  }

  @Test
  void sourceWithCustomBasePath_auditsBelowIt_dropsOutside() {
    start(AccessLogSources.parse(SOURCES));
    pipe(
        "10.0.0.9 - - [06/Dec/2026:17:00:00 +0000] \"GET /fhir/r5/Patient/7 HTTP/1.1\" 200 9"
            + " \"-\" \"curl/8.5\"",
        http("gateway"));
    pipe(
        "10.0.0.9 - - [06/Dec/2026:17:00:00 +0000] \"GET /Patient/7 HTTP/1.1\" 200 9 \"-\""
            + " \"curl/8.5\"",
        http("gateway"));

    List<AuditEvent> written = events.readValuesToList();
    assertThat(written).hasSize(1);
    AuditEvent event = written.get(0);
    assertThat(event.getPatient().getReference()).isEqualTo("Patient/7");
    assertThat(event.getSource().getObserver().getIdentifier().getValue())
        .isEqualTo("fhir-gw.example.org");
    assertThat(event.getExtensionByUrl(Extensions.ACCESS_LOG_SOURCE).getValue().primitiveValue())
        .isEqualTo("gateway");
    assertThat(
            meters
                .get(StreamsMeters.ACCESS_LOG_DROPPED)
                .tags("source", "gateway", "reason", "OUTSIDE_BASE")
                .counter()
                .count())
        .isEqualTo(1);
  }

  private void pipe(String value, Headers headers) {
    raw.pipeInput(new TestRecord<>(key(), bytes(value), headers, NOW));
  }

  private double counter(String name, String tag, String value) {
    return meters.get(name).tag(tag, value).counter().count();
  }

  private static String line(AuditEvent event) {
    return event.getExtensionByUrl(Extensions.ACCESS_LOG_LINE).getValue().primitiveValue();
  }

  private static byte[] key() {
    return bytes("10.0.0.9");
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** HTTP intake (or a shipper): the value is the line. */
  private static Headers http(@Nullable String source) {
    Headers h = new RecordHeaders();
    RawHeaders.put(h, RawHeaders.TRANSPORT, "http");
    RawHeaders.put(h, RawHeaders.PEER, "10.0.0.9:51000");
    RawHeaders.put(h, RawHeaders.RECEIVED_AT, NOW.toString());
    RawHeaders.put(h, RawHeaders.FRAMING, "line");
    if (source != null) {
      RawHeaders.put(h, RawHeaders.ACCESS_LOG_SOURCE, source);
    }
    return h;
  }

  /** Syslog intake: the value is the frame. */
  private static Headers syslog(String transport) {
    Headers h = new RecordHeaders();
    RawHeaders.put(h, RawHeaders.TRANSPORT, transport);
    RawHeaders.put(h, RawHeaders.PEER, "10.0.0.5:514");
    RawHeaders.put(h, RawHeaders.RECEIVED_AT, NOW.toString());
    return h;
  }
}
