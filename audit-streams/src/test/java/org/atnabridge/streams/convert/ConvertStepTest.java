package org.atnabridge.streams.convert;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.atnabridge.atna.AtnaConverter;
import org.atnabridge.schemas.DeadLetterHeaders;
import org.atnabridge.schemas.EventHeaders;
import org.atnabridge.schemas.RawHeaders;
import org.atnabridge.schemas.RawRecordReference;
import org.atnabridge.schemas.Topics;
import org.atnabridge.schemas.chain.ChainLink;
import org.atnabridge.streams.AuditTopology;
import org.atnabridge.streams.StreamsSettings;
import org.atnabridge.streams.chain.CheckpointKeys;
import org.atnabridge.streams.enrich.EnrichmentConfig;
import org.atnabridge.streams.outcome.StreamsMeters;
import org.atnabridge.testing.TestVectors;
import org.hl7.fhir.r5.model.AuditEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Conversion in the production topology ({@link AuditTopology#build}) on the production topic
 * constants.
 */
class ConvertStepTest {

  private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");

  @TempDir Path stateDir;
  @TempDir Path keyDir;
  private TopologyTestDriver driver;
  private TestInputTopic<byte[], byte[]> raw;
  private TestOutputTopic<String, AuditEvent> events;
  private TestOutputTopic<byte[], byte[]> dlq;
  private TestOutputTopic<String, AuditEvent> enriched;
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  @BeforeEach
  void setUp() {
    driver =
        new TopologyTestDriver(
            AuditTopology.build(
                new AtnaConverter(),
                EnrichmentConfig.defaults(),
                CheckpointKeys.loadOrCreate(keyDir),
                Clock.fixed(NOW, ZoneOffset.UTC),
                new StreamsMeters(meters),
                Topics.MAX_EVENT_RECORD_BYTES),
            StreamsSettings.defaults("unused:9092", stateDir)
                .toProperties(AuditTopology.APPLICATION_ID));
    setUpTopics();
  }

  private void setUpTopics() {
    raw =
        driver.createInputTopic(
            Topics.ATNA_RAW.name(),
            Topics.ATNA_RAW.keySerde().serializer(),
            Topics.ATNA_RAW.valueSerde().serializer());
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
    driver.close();
  }

  @Test
  void convert_poisonFirstThenValid_deadLettersPoisonAndConvertsValid() {
    byte[] poison =
        "<85>1 - host app - IHE+RFC-3881 - definitely not xml".getBytes(StandardCharsets.UTF_8);
    raw.pipeInput(new TestRecord<>(null, poison, tcpHeaders(), NOW));
    raw.pipeInput(
        new TestRecord<>(
            null, TestVectors.bytes("dicom-audit-xml/ipf-pixfeed.xml"), tcpHeaders(), NOW));

    TestRecord<byte[], byte[]> dead = dlq.readRecord();
    assertThat(dead.value()).isEqualTo(poison);
    assertThat(RawHeaders.get(dead.headers(), DeadLetterHeaders.REASON)).isEqualTo("NOT_XML");
    assertThat(RawHeaders.get(dead.headers(), DeadLetterHeaders.DETAIL)).isNotBlank();
    assertThat(RawHeaders.get(dead.headers(), DeadLetterHeaders.STAGE))
        .isEqualTo(AuditTopology.CONVERT_STAGE);
    assertThat(RawHeaders.get(dead.headers(), DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo("0");
    assertThat(RawHeaders.get(dead.headers(), DeadLetterHeaders.FAILED_AT))
        .isEqualTo(NOW.toString());
    // the receive headers travel with the dead letter, so nothing about the original is lost
    assertThat(RawHeaders.get(dead.headers(), RawHeaders.PEER)).isEqualTo("10.0.0.7:40000");
    assertThat(dlq.isEmpty()).isTrue();

    TestRecord<String, AuditEvent> converted = events.readRecord();
    assertThat(converted.key()).isEqualTo(converted.value().getIdPart());
    assertThat(converted.value().getAction()).isEqualTo(AuditEvent.AuditEventAction.C);
    assertThat(RawRecordReference.from(converted.value()))
        .isEqualTo(new RawRecordReference(Topics.ATNA_RAW.name(), 0, 1));
    assertThat(events.isEmpty()).isTrue();
    // marked as chained by this application (in the transaction that wrote it)
    assertThat(RawHeaders.get(converted.headers(), EventHeaders.CHAINED_BY))
        .isEqualTo(AuditTopology.APPLICATION_ID);

    // enriched and chained once, in the same task, from the converted object
    TestRecord<String, AuditEvent> chained = enriched.readRecord();
    assertThat(chained.key()).isEqualTo(converted.key());
    assertThat(ChainLink.from(chained.value()).seq()).isEqualTo(1);
    assertThat(RawRecordReference.from(chained.value()))
        .isEqualTo(RawRecordReference.from(converted.value()));
    assertThat(enriched.isEmpty()).isTrue();

    assertThat(meters.get("atna.streams.converted").counter().count()).isEqualTo(1);
    assertThat(meters.get("atna.streams.chained").counter().count()).isEqualTo(1);
    assertThat(meters.get("atna.streams.posted").counter().count())
        .as("the read-back was skipped")
        .isZero();
    assertThat(
            meters
                .get("atna.streams.dead.letters")
                .tags("stage", AuditTopology.CONVERT_STAGE, "reason", "NOT_XML")
                .counter()
                .count())
        .isEqualTo(1);
  }

  @Test
  void convert_externalEntity_isDeadLetteredAsUnsafe() {
    byte[] xxe =
        ("<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<AuditMessage>&x;</AuditMessage>")
            .getBytes(StandardCharsets.UTF_8);
    raw.pipeInput(new TestRecord<>(null, xxe, tcpHeaders(), NOW));
    TestRecord<byte[], byte[]> dead = dlq.readRecord();
    assertThat(dead.value()).isEqualTo(xxe);
    assertThat(RawHeaders.get(dead.headers(), DeadLetterHeaders.REASON)).isEqualTo("XML_UNSAFE");
    assertThat(events.isEmpty()).isTrue();
  }

  @Test
  void convert_sameFrameTwice_writtenOnceAndCountedAsDuplicate() {
    byte[] message = TestVectors.bytes("dicom-audit-xml/ipf-pdqm.xml");
    raw.pipeInput(new TestRecord<>(null, message, tcpHeaders(), NOW));
    raw.pipeInput(new TestRecord<>(null, message, tcpHeaders(), NOW.plusSeconds(5)));
    List<String> keys = events.readKeyValuesToList().stream().map(kv -> kv.key).toList();
    assertThat(keys).as("the later receipt writes nothing").hasSize(1);
    assertThat(meters.get(StreamsMeters.DUPLICATES).tag("transport", "tcp").counter().count())
        .isEqualTo(1);
  }

  @Test
  void convert_eventOverTheSizeLimit_wholeMessageDeadLetteredNothingForwarded() {
    driver.close();
    // a record limit of 2,000 bytes: converted events may have at most 1,000, the pixfeed has more
    driver =
        new TopologyTestDriver(
            AuditTopology.build(
                new AtnaConverter(),
                EnrichmentConfig.defaults(),
                CheckpointKeys.loadOrCreate(keyDir),
                Clock.fixed(NOW, ZoneOffset.UTC),
                new StreamsMeters(meters),
                2_000),
            StreamsSettings.defaults("unused:9092", stateDir.resolve("small"))
                .toProperties(AuditTopology.APPLICATION_ID));
    setUpTopics();
    byte[] message = TestVectors.bytes("dicom-audit-xml/ipf-pixfeed.xml");
    raw.pipeInput(new TestRecord<>(null, message, tcpHeaders(), NOW));

    TestRecord<byte[], byte[]> dead = dlq.readRecord();
    assertThat(dead.value()).isEqualTo(message);
    assertThat(RawHeaders.get(dead.headers(), DeadLetterHeaders.REASON))
        .isEqualTo(ConvertProcessor.EVENT_TOO_LARGE);
    assertThat(RawHeaders.get(dead.headers(), DeadLetterHeaders.DETAIL))
        .contains("the limit is 1000");
    assertThat(events.isEmpty()).isTrue();
    assertThat(enriched.isEmpty()).isTrue();
  }

  @Test
  void convert_emptyValue_isDeadLettered() {
    raw.pipeInput(new TestRecord<>(null, new byte[0], tcpHeaders(), NOW));
    assertThat(RawHeaders.get(dlq.readRecord().headers(), DeadLetterHeaders.REASON))
        .isEqualTo("EMPTY");
  }

  private static Headers tcpHeaders() {
    Headers h = new RecordHeaders();
    RawHeaders.put(h, RawHeaders.TRANSPORT, "tcp");
    RawHeaders.put(h, RawHeaders.PEER, "10.0.0.7:40000");
    RawHeaders.put(h, RawHeaders.RECEIVED_AT, NOW.toString());
    return h;
  }
}
