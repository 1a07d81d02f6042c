package org.atnabridge.streams.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.atnabridge.atna.AtnaConverter;
import org.atnabridge.schemas.DeadLetterHeaders;
import org.atnabridge.schemas.EventHeaders;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.schemas.RawHeaders;
import org.atnabridge.schemas.Topics;
import org.atnabridge.schemas.chain.ChainFinding;
import org.atnabridge.schemas.chain.ChainLink;
import org.atnabridge.schemas.chain.ChainReport;
import org.atnabridge.schemas.chain.ChainVerifier;
import org.atnabridge.schemas.chain.Checkpoint;
import org.atnabridge.schemas.vocab.CodeSystems;
import org.atnabridge.schemas.vocab.Extensions;
import org.atnabridge.streams.AuditTopology;
import org.atnabridge.streams.Samples;
import org.atnabridge.streams.StreamsSettings;
import org.atnabridge.streams.chain.ChainProcessor;
import org.atnabridge.streams.chain.CheckpointKeys;
import org.atnabridge.streams.outcome.StreamsMeters;
import org.atnabridge.streams.reference.ReferenceFile;
import org.atnabridge.streams.reference.ReferenceRecord;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.CodeType;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.Reference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production topology ({@link AuditTopology#build}) on the production topics, fed with events
 * posted to {@code audit.posted}: enrichment, labels and the chain.
 */
class EnrichAndChainTest {

  private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");

  @TempDir Path stateDir;
  @TempDir Path keyDir;
  private TopologyTestDriver driver;
  private CheckpointKeys keys;
  private TestInputTopic<String, AuditEvent> events;
  private TestInputTopic<byte[], byte[]> rawEvents;
  private TestOutputTopic<String, AuditEvent> enriched;
  private TestOutputTopic<String, byte[]> checkpoints;
  private TestOutputTopic<byte[], byte[]> dlq;
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  @BeforeEach
  void setUp() {
    keys = CheckpointKeys.loadOrCreate(keyDir);
    driver =
        new TopologyTestDriver(
            AuditTopology.build(
                new AtnaConverter(),
                EnrichmentConfig.defaults().withCheckpoints(3, Duration.ofSeconds(10)),
                keys,
                Clock.fixed(NOW, ZoneOffset.UTC),
                new StreamsMeters(meters),
                Topics.MAX_EVENT_RECORD_BYTES),
            StreamsSettings.defaults("unused:9092", stateDir)
                .toProperties(AuditTopology.APPLICATION_ID),
            NOW);
    events =
        driver.createInputTopic(
            Topics.AUDIT_POSTED.name(),
            Topics.AUDIT_POSTED.keySerde().serializer(),
            Topics.AUDIT_POSTED.valueSerde().serializer());
    rawEvents =
        driver.createInputTopic(
            Topics.AUDIT_POSTED.name(),
            Serdes.ByteArray().serializer(),
            Serdes.ByteArray().serializer());
    enriched =
        driver.createOutputTopic(
            Topics.AUDIT_ENRICHED.name(),
            Topics.AUDIT_ENRICHED.keySerde().deserializer(),
            Topics.AUDIT_ENRICHED.valueSerde().deserializer());
    checkpoints =
        driver.createOutputTopic(
            Topics.AUDIT_CHECKPOINTS.name(),
            Topics.AUDIT_CHECKPOINTS.keySerde().deserializer(),
            Topics.AUDIT_CHECKPOINTS.valueSerde().deserializer());
    dlq =
        driver.createOutputTopic(
            Topics.AUDIT_DLQ.name(),
            Serdes.ByteArray().deserializer(),
            Serdes.ByteArray().deserializer());
  }

  @AfterEach
  void tearDown() {
    driver.close();
  }

  private void loadReference(String csv) {
    ReferenceFile.Parsed parsed = ReferenceFile.parse(csv);
    assertThat(parsed.problems()).isEmpty();
    for (ReferenceRecord r : parsed.records()) {
      driver
          .createInputTopic(
              r.topic().name(),
              r.topic().keySerde().serializer(),
              r.topic().valueSerde().serializer())
          .pipeInput(r.key(), r.resource());
    }
  }

  private void send(AuditEvent e) {
    events.pipeInput(e.getIdElement().getIdPart(), e);
  }

  @Test
  void enrich_poisonFirstThenValid_deadLettersPoisonAndEnrichesValid() {
    loadReference(Samples.REFERENCE_CSV);
    byte[] poison = "{\"resourceType\":\"Patient\"".getBytes(StandardCharsets.UTF_8);
    rawEvents.pipeInput("x".getBytes(StandardCharsets.UTF_8), poison);
    send(Samples.event(1));

    TestRecord<byte[], byte[]> dead = dlq.readRecord();
    assertThat(dead.value()).isEqualTo(poison);
    assertThat(RawHeaders.get(dead.headers(), DeadLetterHeaders.REASON))
        .isEqualTo(PostedEventProcessor.NOT_AUDIT_EVENT);
    assertThat(RawHeaders.get(dead.headers(), DeadLetterHeaders.STAGE))
        .isEqualTo(AuditTopology.ENRICH_STAGE);

    AuditEvent e = enriched.readValue();
    AuditEvent.AuditEventAgentComponent user =
        e.getAgent().stream()
            .filter(a -> Samples.USER_ID.equals(a.getWho().getIdentifier().getValue()))
            .findFirst()
            .orElseThrow();
    assertThat(user.getWho().getReference()).isEqualTo("Practitioner/pkl");
    assertThat(user.getWho().getDisplay()).isEqualTo("Dr. Petra Keller");
    assertThat(user.getWho().getIdentifier().getValue()).isEqualTo(Samples.USER_ID);
    assertThat(((CodeType) user.getExtensionByUrl(Extensions.NETWORK_CLASS).getValue()).getValue())
        .isEqualTo("internal");
    assertThat(
            ((Reference) user.getExtensionByUrl(Extensions.NETWORK_NODE).getValue()).getDisplay())
        .isEqualTo("Local gateway");
    assertThat(e.getSource().getObserver().getReference()).isEqualTo("Device/mpi");
    assertThat(e.getSource().getObserver().getIdentifier().getValue()).isEqualTo(Samples.SOURCE_ID);
    assertThat(e.getPatient().getReference()).isEqualTo("Patient/pat-7627199");
    assertThat(e.getPatient().getDisplay()).isEqualTo("Hans Zimmermann");
    assertThat(e.getPatient().getIdentifier().getValue()).isEqualTo(Samples.PATIENT_VALUE);
    assertThat(e.getEntity())
        .anySatisfy(en -> assertThat(en.getWhat().getReference()).isEqualTo("Patient/pat-7627199"));
    assertThat(e.getMeta().getSecurity())
        .extracting(Coding::getSystem, Coding::getCode)
        .contains(
            org.assertj.core.groups.Tuple.tuple(CodeSystems.V3_CONFIDENTIALITY, "R"),
            org.assertj.core.groups.Tuple.tuple(CodeSystems.V3_ACT_CODE, "CEL"),
            org.assertj.core.groups.Tuple.tuple(CodeSystems.V3_ACT_CODE, "EMP"));
    assertThat(ChainLink.from(e)).isNotNull();
    assertThat(enriched.isEmpty()).isTrue();
    assertThat(
            meters
                .get("atna.streams.dead.letters")
                .tags(
                    "stage",
                    AuditTopology.ENRICH_STAGE,
                    "reason",
                    PostedEventProcessor.NOT_AUDIT_EVENT)
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(meters.get("atna.streams.posted").counter().count()).isEqualTo(1);
    assertThat(meters.get("atna.streams.chained").counter().count()).isEqualTo(1);
  }

  @Test
  void enrich_referenceArrivesLater_earlierEventsPassUnenrichedLaterOnesEnriched() {
    send(Samples.event(1));
    AuditEvent before = enriched.readValue();
    assertThat(before.getPatient().hasReference()).isFalse();
    assertThat(before.getPatient().getIdentifier().getValue()).isEqualTo(Samples.PATIENT_VALUE);
    assertThat(before.getMeta().getSecurity()).isEmpty();

    loadReference(Samples.REFERENCE_CSV);
    send(Samples.event(2));
    assertThat(enriched.readValue().getPatient().getReference()).isEqualTo("Patient/pat-7627199");
  }

  @Test
  void label_entitySensitivity_addsConfidentialityCode() {
    send(Samples.convert(Samples.pixFeedWithSensitivity(1, "V")));
    assertThat(enriched.readValue().getMeta().getSecurity())
        .extracting(Coding::getCode)
        .containsExactly("V");
  }

  @Test
  void chain_sequenceAndCheckpoints_verifyIntact() {
    for (int i = 0; i < 7; i++) {
      send(Samples.event(i));
    }
    List<AuditEvent> out = enriched.readValuesToList();
    assertThat(out)
        .extracting(e -> ChainLink.from(e).seq())
        .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
    assertThat(ChainLink.from(out.get(1)).prev()).isEqualTo(ChainLink.from(out.get(0)).hash());
    assertThat(ChainLink.from(out.get(1)).prevId()).isEqualTo(out.get(0).getIdPart());
    // every 3 events, then on the wall-clock punctuation for the rest
    driver.advanceWallClockTime(Duration.ofSeconds(11));
    List<Checkpoint> cps =
        checkpoints.readValuesToList().stream().map(Checkpoint::fromJson).toList();
    assertThat(cps).extracting(Checkpoint::seq).containsExactly(3L, 6L, 7L);
    assertThat(meters.get("atna.streams.checkpoints").counter().count()).isEqualTo(3);
    assertThat(cps).allSatisfy(cp -> assertThat(cp.verify(keys.publicKey())).isTrue());

    ChainReport report =
        ChainVerifier.verify(out, cps, keys.publicKey(), false, id -> Optional.empty());
    assertThat(report.findings()).isEmpty();
    assertThat(report.intact()).isTrue();
  }

  @Test
  void chain_enrichedEventOverTheSizeLimit_deadLetteredUnchained_andTheChainDoesNotAdvance() {
    AuditEvent small = Samples.event(1);
    AuditEvent large = Samples.event(2);
    for (int i = 0; i < 100; i++) {
      large.addEntity().getWhat().getIdentifier().setValue("object-" + i);
    }
    int limit =
        Fhir.toJsonBytes(small).length + 2_000; // room for the chain link, not for 100 entities
    driver.close();
    driver =
        new TopologyTestDriver(
            AuditTopology.build(
                new AtnaConverter(),
                EnrichmentConfig.defaults(),
                keys,
                Clock.fixed(NOW, ZoneOffset.UTC),
                new StreamsMeters(meters),
                limit),
            StreamsSettings.defaults("unused:9092", stateDir.resolve("small"))
                .toProperties(AuditTopology.APPLICATION_ID),
            NOW);
    events =
        driver.createInputTopic(
            Topics.AUDIT_POSTED.name(),
            Topics.AUDIT_POSTED.keySerde().serializer(),
            Topics.AUDIT_POSTED.valueSerde().serializer());
    enriched =
        driver.createOutputTopic(
            Topics.AUDIT_ENRICHED.name(),
            Topics.AUDIT_ENRICHED.keySerde().deserializer(),
            Topics.AUDIT_ENRICHED.valueSerde().deserializer());
    dlq =
        driver.createOutputTopic(
            Topics.AUDIT_DLQ.name(),
            Serdes.ByteArray().deserializer(),
            Serdes.ByteArray().deserializer());

    send(large);
    send(small);

    TestRecord<byte[], byte[]> dead = dlq.readRecord();
    assertThat(RawHeaders.get(dead.headers(), DeadLetterHeaders.REASON))
        .isEqualTo(ChainProcessor.ENRICHED_EVENT_TOO_LARGE);
    assertThat(RawHeaders.get(dead.headers(), DeadLetterHeaders.STAGE))
        .isEqualTo(AuditTopology.ENRICH_STAGE);
    AuditEvent parked = Fhir.auditEventFromJson(new String(dead.value(), StandardCharsets.UTF_8));
    assertThat(parked.getIdPart()).isEqualTo(large.getIdPart());
    assertThat(parked.getEntity()).hasSize(large.getEntity().size());
    assertThat(ChainLink.from(parked))
        .as("parked without a link of a sequence number never taken")
        .isNull();
    List<AuditEvent> out = enriched.readValuesToList();
    assertThat(out).extracting(AuditEvent::getIdPart).containsExactly(small.getIdPart());
    assertThat(ChainLink.from(out.get(0)).seq()).isEqualTo(1);
  }

  @Test
  void chain_sameIdPostedAgain_laterReceiptDroppedCountedAndNotChained() {
    send(Samples.event(1));
    send(Samples.event(2));
    send(Samples.event(1));
    List<AuditEvent> out = enriched.readValuesToList();
    assertThat(out)
        .extracting(AuditEvent::getIdPart)
        .containsExactly(Samples.event(1).getIdPart(), Samples.event(2).getIdPart());
    assertThat(out).extracting(e -> ChainLink.from(e).replacesSeq()).containsOnlyNulls();
    assertThat(meters.get("atna.streams.chained.replacements").counter().count()).isZero();
    assertThat(
            meters
                .get(StreamsMeters.DUPLICATES)
                .tag("transport", PostedEventProcessor.FEED)
                .counter()
                .count())
        .isEqualTo(1);
    ChainReport report =
        ChainVerifier.verify(out, List.of(), keys.publicKey(), false, id -> Optional.empty());
    assertThat(report.findings()).isEmpty();
  }

  @Test
  void posted_writtenToAuditEventsAsPostedAndMarked_laterReceiptNotWritten() {
    AuditEvent one = Samples.event(1);
    byte[] posted =
        Topics.AUDIT_POSTED.valueSerde().serializer().serialize(Topics.AUDIT_POSTED.name(), one);
    send(one);
    send(Samples.event(2));
    send(Samples.event(1));
    List<TestRecord<String, byte[]>> written =
        driver
            .createOutputTopic(
                Topics.AUDIT_EVENTS.name(),
                Serdes.String().deserializer(),
                Serdes.ByteArray().deserializer())
            .readRecordsToList();
    // audit.events, the topic of record, gets each posted event once, as it was posted, from the
    // task that chains it
    assertThat(written)
        .extracting(TestRecord::key)
        .containsExactly(one.getIdPart(), Samples.event(2).getIdPart());
    assertThat(written.get(0).value()).isEqualTo(posted);
    assertThat(written)
        .allSatisfy(
            r ->
                assertThat(RawHeaders.get(r.headers(), EventHeaders.CHAINED_BY))
                    .isEqualTo(AuditTopology.APPLICATION_ID));
    assertThat(enriched.readValuesToList()).hasSize(2);
  }

  @Test
  void chain_sameIdWithinIdRetentionDropped_afterItChainedAsNew_andForgottenIdsLeaveTheStore() {
    driver.close();
    driver =
        new TopologyTestDriver(
            AuditTopology.build(
                new AtnaConverter(),
                EnrichmentConfig.defaults().withIdRetention(Duration.ofMinutes(2)),
                keys,
                Clock.fixed(NOW, ZoneOffset.UTC),
                StreamsMeters.unregistered(),
                Topics.MAX_EVENT_RECORD_BYTES),
            StreamsSettings.defaults("unused:9092", stateDir.resolve("retention"))
                .toProperties(AuditTopology.APPLICATION_ID),
            NOW);
    events =
        driver.createInputTopic(
            Topics.AUDIT_POSTED.name(),
            Topics.AUDIT_POSTED.keySerde().serializer(),
            Topics.AUDIT_POSTED.valueSerde().serializer());
    enriched =
        driver.createOutputTopic(
            Topics.AUDIT_ENRICHED.name(),
            Topics.AUDIT_ENRICHED.keySerde().deserializer(),
            Topics.AUDIT_ENRICHED.valueSerde().deserializer());
    String one = Samples.event(1).getIdPart();
    events.pipeInput(one, Samples.event(1), NOW);
    events.pipeInput(Samples.event(2).getIdPart(), Samples.event(2), NOW.plusSeconds(60));
    events.pipeInput(
        one, Samples.event(1), NOW.plusSeconds(90)); // within 2 minutes: a later receipt, dropped
    events.pipeInput(
        Samples.event(3).getIdPart(), Samples.event(3), NOW.plus(Duration.ofMinutes(10)));
    events.pipeInput(
        one, Samples.event(1), NOW.plus(Duration.ofMinutes(10)).plusSeconds(1)); // forgotten

    List<ChainLink> links = enriched.readValuesToList().stream().map(ChainLink::from).toList();
    assertThat(links).extracting(ChainLink::seq).containsExactly(1L, 2L, 3L, 4L);
    assertThat(links).extracting(ChainLink::replacesSeq).containsOnlyNulls();
    // the segments older than the retention are gone: only the last two ids are stored
    List<String> stored = new java.util.ArrayList<>();
    try (var all =
        driver
            .<String, String>getWindowStore(org.atnabridge.streams.chain.ChainProcessor.IDS_STORE)
            .all()) {
      all.forEachRemaining(kv -> stored.add(kv.key.key() + "=" + kv.value));
    }
    assertThat(stored)
        .hasSize(2)
        .allMatch(e -> e.contains("=3|") || e.contains("=4|"))
        .allMatch(
            e ->
                e.endsWith("|" + Topics.AUDIT_POSTED.name() + "/0/" + (e.contains("=3|") ? 3 : 4)));
  }

  @Test
  void verify_alteredDeletedAndForgedCheckpoint_reportedWithSequenceNumbers() {
    for (int i = 0; i < 6; i++) {
      send(Samples.event(i));
    }
    List<AuditEvent> out = new java.util.ArrayList<>(enriched.readValuesToList());
    List<Checkpoint> cps =
        new java.util.ArrayList<>(
            checkpoints.readValuesToList().stream().map(Checkpoint::fromJson).toList());
    out.get(1).setAction(AuditEvent.AuditEventAction.D); // alter seq 2
    out.remove(3); // delete seq 4
    Checkpoint good = cps.get(0);
    cps.add(
        new Checkpoint(
            good.partition(),
            good.seq(),
            "f".repeat(64),
            good.time(),
            good.keyId(),
            good.signature()));

    ChainReport report =
        ChainVerifier.verify(out, cps, keys.publicKey(), false, id -> Optional.empty());
    assertThat(report.intact()).isFalse();
    assertThat(report.findings())
        .extracting(ChainFinding::kind, ChainFinding::fromSeq, ChainFinding::toSeq)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(ChainFinding.Kind.ALTERED, 2L, 2L),
            org.assertj.core.groups.Tuple.tuple(ChainFinding.Kind.BAD_SIGNATURE, 3L, 3L),
            org.assertj.core.groups.Tuple.tuple(ChainFinding.Kind.GAP, 4L, 4L));
  }

  @Test
  void verify_swappedEvents_reportedAsReordered() {
    for (int i = 0; i < 4; i++) {
      send(Samples.event(i));
    }
    List<AuditEvent> out = enriched.readValuesToList();
    // an attacker renumbers seq 2 and 3 and rehashes them consistently: content now out of chain
    // order
    AuditEvent two = out.get(1);
    AuditEvent three = out.get(2);
    ChainLink l2 = ChainLink.from(two);
    ChainLink l3 = ChainLink.from(three);
    new ChainLink(0, 2, l3.prev(), l3.hash(), l3.prevId(), null, null).applyTo(three);
    new ChainLink(0, 3, l2.prev(), l2.hash(), l2.prevId(), null, null).applyTo(two);
    ChainReport report =
        ChainVerifier.verify(out, List.of(), keys.publicKey(), false, id -> Optional.empty());
    assertThat(report.intact()).isFalse();
    assertThat(report.findings())
        .extracting(ChainFinding::kind)
        .contains(ChainFinding.Kind.REORDERED);
  }
}
