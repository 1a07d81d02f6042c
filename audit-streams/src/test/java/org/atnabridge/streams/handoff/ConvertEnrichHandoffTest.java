package org.atnabridge.streams.handoff;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.atnabridge.atna.AtnaConverter;
import org.atnabridge.atna.OctetCountedFrame;
import org.atnabridge.schemas.RawHeaders;
import org.atnabridge.schemas.Topics;
import org.atnabridge.streams.Samples;
import org.atnabridge.streams.StreamsSettings;
import org.atnabridge.streams.chain.CheckpointKeys;
import org.atnabridge.streams.convert.ConvertTopology;
import org.atnabridge.streams.enrich.EnrichTopology;
import org.atnabridge.streams.enrich.EnrichmentConfig;
import org.atnabridge.streams.reference.ReferenceFile;
import org.atnabridge.streams.reference.ReferenceRecord;
import org.atnabridge.testing.TestVectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The handoff is only a shortcut: for every message of the shared corpus, {@code audit.enriched}
 * gets the same bytes whether enrich takes convert's objects or parses {@code audit.events}.
 */
class ConvertEnrichHandoffTest {

  private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");

  @TempDir Path stateDir;
  @TempDir Path keyDir;

  @Test
  void enrichedBytes_withHandoff_identicalToParsingEveryRecord() throws Exception {
    CheckpointKeys keys = CheckpointKeys.loadOrCreate(keyDir);
    EventHandoff handoff = new EventHandoff(10_000, Duration.ofMinutes(10), Clock.systemUTC());
    List<TestRecord<byte[], byte[]>> events = convert(corpus(), handoff);
    int offered = handoff.size();
    assertThat(offered).isGreaterThan(30);

    List<TestRecord<String, byte[]>> viaHandoff = enrich(events, keys, handoff, "with");
    assertThat(handoff.size()).as("every offered event was taken").isZero();
    List<TestRecord<String, byte[]>> viaParse = enrich(events, keys, EventHandoff.disabled(), "without");

    assertThat(viaHandoff).hasSize(events.size());
    for (int i = 0; i < viaParse.size(); i++) {
      assertThat(viaHandoff.get(i).key()).isEqualTo(viaParse.get(i).key());
      assertThat(new String(viaHandoff.get(i).value(), java.nio.charset.StandardCharsets.UTF_8))
          .isEqualTo(new String(viaParse.get(i).value(), java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  private static List<byte[]> corpus() throws IOException {
    List<byte[]> out = new ArrayList<>();
    for (String folder : List.of("dicom-audit-xml", "rfc3881-legacy-xml", "syslog-framed")) {
      try (Stream<Path> files = Files.list(TestVectors.root().resolve(folder))) {
        for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
          byte[] bytes = Files.readAllBytes(p);
          try {
            out.add(folder.equals("syslog-framed") ? OctetCountedFrame.strip(bytes) : bytes);
          } catch (org.atnabridge.atna.ConversionException e) {
            out.add(bytes);
          }
        }
      }
    }
    for (int i = 0; i < 20; i++) {
      out.add(Samples.pixFeed(i)); // the reference data below matches these
      out.add(Samples.pixFeedWithSensitivity(100 + i, "V"));
    }
    return out;
  }

  private List<TestRecord<byte[], byte[]>> convert(List<byte[]> messages, EventHandoff handoff) {
    try (TopologyTestDriver driver = new TopologyTestDriver(
        ConvertTopology.build(new AtnaConverter(), Clock.fixed(NOW, ZoneOffset.UTC), handoff),
        StreamsSettings.defaults("unused:9092", stateDir.resolve("convert")).toProperties(ConvertTopology.APPLICATION_ID))) {
      TestInputTopic<byte[], byte[]> raw = driver.createInputTopic(Topics.ATNA_RAW.name(),
          Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
      for (byte[] m : messages) {
        RecordHeaders headers = new RecordHeaders();
        RawHeaders.put(headers, RawHeaders.TRANSPORT, "tcp");
        RawHeaders.put(headers, RawHeaders.PEER, "10.0.0.7:5000");
        raw.pipeInput(new TestRecord<>("10.0.0.7".getBytes(java.nio.charset.StandardCharsets.UTF_8), m, headers, NOW));
      }
      TestOutputTopic<byte[], byte[]> out = driver.createOutputTopic(Topics.AUDIT_EVENTS.name(),
          Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());
      return out.readRecordsToList();
    }
  }

  private List<TestRecord<String, byte[]>> enrich(List<TestRecord<byte[], byte[]>> events, CheckpointKeys keys,
      EventHandoff handoff, String name) {
    try (TopologyTestDriver driver = new TopologyTestDriver(
        EnrichTopology.build(EnrichmentConfig.defaults(), keys, Clock.fixed(NOW, ZoneOffset.UTC), handoff),
        StreamsSettings.defaults("unused:9092", stateDir.resolve(name)).toProperties(EnrichTopology.APPLICATION_ID),
        NOW)) {
      for (ReferenceRecord r : ReferenceFile.parse(Samples.REFERENCE_CSV).records()) {
        driver.createInputTopic(r.topic().name(), r.topic().keySerde().serializer(), r.topic().valueSerde().serializer())
            .pipeInput(r.key(), r.resource());
      }
      TestInputTopic<byte[], byte[]> in = driver.createInputTopic(Topics.AUDIT_EVENTS.name(),
          Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
      events.forEach(in::pipeInput);
      return driver.createOutputTopic(Topics.AUDIT_ENRICHED.name(), Serdes.String().deserializer(),
          Serdes.ByteArray().deserializer()).readRecordsToList();
    }
  }
}
