package org.atnabridge.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.atnabridge.atna.AtnaConverter;
import org.atnabridge.schemas.EventHeaders;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.schemas.RawHeaders;
import org.atnabridge.schemas.Topics;
import org.atnabridge.streams.chain.CheckpointKeys;
import org.atnabridge.streams.enrich.EnrichmentConfig;
import org.atnabridge.streams.outcome.StreamsMeters;
import org.atnabridge.streams.reference.ReferenceFile;
import org.atnabridge.streams.reference.ReferenceRecord;
import org.hl7.fhir.r5.model.AuditEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A raw record's AuditEvent goes to enrichment as the object conversion built; an event posted to
 * {@code audit.posted} is parsed from JSON. Both paths must give the same {@code audit.enriched}
 * bytes: over the whole shared corpus, the converted events of a first run, posted to a second, are
 * enriched and chained byte for byte alike. Both write {@code audit.events}, which the topology
 * never reads.
 */
class RawAndPostedPathsTest {

  private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");

  @TempDir Path stateDir;
  @TempDir Path keyDir;

  @Test
  void enrichedBytes_fromRawRecords_identicalToThoseOfTheSameEventsPosted() throws Exception {
    CheckpointKeys keys = CheckpointKeys.loadOrCreate(keyDir);
    List<TestRecord<byte[], byte[]>> events;
    List<TestRecord<String, byte[]>> fromRaw;
    try (TopologyTestDriver driver = driver(keys, "raw")) {
      TestInputTopic<byte[], byte[]> raw =
          driver.createInputTopic(
              Topics.ATNA_RAW.name(),
              Serdes.ByteArray().serializer(),
              Serdes.ByteArray().serializer());
      for (byte[] m : Samples.corpus()) {
        RecordHeaders headers = new RecordHeaders();
        RawHeaders.put(headers, RawHeaders.TRANSPORT, "tcp");
        RawHeaders.put(headers, RawHeaders.PEER, "10.0.0.7:5000");
        raw.pipeInput(
            new TestRecord<>("10.0.0.7".getBytes(StandardCharsets.UTF_8), m, headers, NOW));
      }
      events =
          driver
              .createOutputTopic(
                  Topics.AUDIT_EVENTS.name(),
                  Serdes.ByteArray().deserializer(),
                  Serdes.ByteArray().deserializer())
              .readRecordsToList();
      fromRaw = enriched(driver);
    }
    assertThat(events)
        .hasSizeGreaterThan(60)
        .allSatisfy(r -> assertThat(r.headers().lastHeader(EventHeaders.CHAINED_BY)).isNotNull());
    assertThat(fromRaw).as("each converted event chained once").hasSameSizeAs(events);
    // meta.lastUpdated: when the repository stored the event, not when the sender says it happened
    assertThat(fromRaw)
        .allSatisfy(
            r ->
                assertThat(
                        Fhir.auditEventFromJson(new String(r.value(), StandardCharsets.UTF_8))
                            .getMeta()
                            .getLastUpdated()
                            .toInstant())
                    .isEqualTo(NOW));

    List<TestRecord<String, byte[]>> fromPosted;
    try (TopologyTestDriver driver = driver(keys, "posted")) {
      TestInputTopic<byte[], byte[]> in =
          driver.createInputTopic(
              Topics.AUDIT_POSTED.name(),
              Serdes.ByteArray().serializer(),
              Serdes.ByteArray().serializer());
      for (TestRecord<byte[], byte[]> e : events) {
        in.pipeInput(new TestRecord<>(e.key(), e.value(), new RecordHeaders(), e.timestamp()));
      }
      fromPosted = enriched(driver);
      assertThat(
              driver
                  .createOutputTopic(
                      Topics.AUDIT_EVENTS.name(),
                      Serdes.ByteArray().deserializer(),
                      Serdes.ByteArray().deserializer())
                  .readRecordsToList())
          .extracting(TestRecord::value)
          .as("audit.events gets the posted events as posted")
          .containsExactlyElementsOf(events.stream().map(TestRecord::value).toList());
    }
    assertThat(fromPosted).hasSameSizeAs(fromRaw);
    for (int i = 0; i < fromRaw.size(); i++) {
      assertThat(fromPosted.get(i).key()).isEqualTo(fromRaw.get(i).key());
      assertThat(new String(fromPosted.get(i).value(), StandardCharsets.UTF_8))
          .isEqualTo(new String(fromRaw.get(i).value(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void postedEvent_lastUpdatedOfTheApi_isReplacedByTheTimeTheChainStoredIt() throws Exception {
    CheckpointKeys keys = CheckpointKeys.loadOrCreate(keyDir);
    AuditEvent posted = new AuditEvent();
    posted.setId("posted-1");
    posted.setRecorded(Date.from(Instant.parse("2004-02-03T00:00:00Z")));
    posted.getMeta().setLastUpdated(Date.from(Instant.parse("2026-11-27T09:59:59Z")));
    posted.getSource().setObserver(new org.hl7.fhir.r5.model.Reference().setDisplay("client"));
    try (TopologyTestDriver driver = driver(keys, "posted-time")) {
      driver
          .createInputTopic(
              Topics.AUDIT_POSTED.name(),
              Serdes.ByteArray().serializer(),
              Serdes.ByteArray().serializer())
          .pipeInput(
              new TestRecord<>(
                  "posted-1".getBytes(StandardCharsets.UTF_8),
                  Fhir.toJsonBytes(posted),
                  new RecordHeaders(),
                  NOW));
      List<TestRecord<String, byte[]>> out = enriched(driver);
      assertThat(out)
          .singleElement()
          .satisfies(
              r ->
                  assertThat(
                          Fhir.auditEventFromJson(new String(r.value(), StandardCharsets.UTF_8))
                              .getMeta()
                              .getLastUpdated()
                              .toInstant())
                      .isEqualTo(NOW));
    }
  }

  @Test
  void topology_readsRawAccessLogsAndPostedOnly_writesAuditEventsWithoutReadingItBack()
      throws Exception {
    TopologyDescription description =
        AuditTopology.build(
                new AtnaConverter(),
                EnrichmentConfig.defaults(),
                CheckpointKeys.loadOrCreate(keyDir),
                Clock.fixed(NOW, ZoneOffset.UTC),
                StreamsMeters.unregistered(),
                Topics.MAX_EVENT_RECORD_BYTES)
            .describe();
    Set<String> read = new HashSet<>();
    Set<String> written = new HashSet<>();
    for (TopologyDescription.Subtopology sub : description.subtopologies()) {
      for (TopologyDescription.Node node : sub.nodes()) {
        if (node instanceof TopologyDescription.Source source) {
          read.addAll(source.topicSet());
        } else if (node instanceof TopologyDescription.Sink sink) {
          written.add(sink.topic());
        }
      }
    }
    assertThat(read)
        .containsExactlyInAnyOrder(
            Topics.ATNA_RAW.name(), Topics.ACCESSLOG_RAW.name(), Topics.AUDIT_POSTED.name());
    assertThat(written).contains(Topics.AUDIT_EVENTS.name(), Topics.AUDIT_ENRICHED.name());
    assertThat(description.subtopologies()).as("one task per partition does it all").hasSize(1);
  }

  private TopologyTestDriver driver(CheckpointKeys keys, String name) {
    TopologyTestDriver driver =
        new TopologyTestDriver(
            AuditTopology.build(
                new AtnaConverter(),
                EnrichmentConfig.defaults(),
                keys,
                Clock.fixed(NOW, ZoneOffset.UTC),
                StreamsMeters.unregistered(),
                Topics.MAX_EVENT_RECORD_BYTES),
            StreamsSettings.defaults("unused:9092", stateDir.resolve(name))
                .toProperties(AuditTopology.APPLICATION_ID),
            NOW);
    for (ReferenceRecord r : ReferenceFile.parse(Samples.REFERENCE_CSV).records()) {
      driver
          .createInputTopic(
              r.topic().name(),
              r.topic().keySerde().serializer(),
              r.topic().valueSerde().serializer())
          .pipeInput(r.key(), r.resource());
    }
    return driver;
  }

  private static List<TestRecord<String, byte[]>> enriched(TopologyTestDriver driver) {
    return driver
        .createOutputTopic(
            Topics.AUDIT_ENRICHED.name(),
            Serdes.String().deserializer(),
            Serdes.ByteArray().deserializer())
        .readRecordsToList();
  }
}
