package org.atnabridge.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.atnabridge.atna.AtnaConverter;
import org.atnabridge.kafka.embedded.EmbeddedKafkaBroker;
import org.atnabridge.schemas.RawRecordReference;
import org.atnabridge.schemas.Topics;
import org.atnabridge.schemas.chain.ChainLink;
import org.atnabridge.schemas.chain.ChainReport;
import org.atnabridge.schemas.chain.ChainVerifier;
import org.atnabridge.schemas.chain.Checkpoint;
import org.atnabridge.schemas.vocab.CodeSystems;
import org.atnabridge.streams.chain.CheckpointKeys;
import org.atnabridge.streams.enrich.EnrichmentConfig;
import org.atnabridge.streams.reference.ReferenceFile;
import org.atnabridge.streams.reference.ReferenceLoader;
import org.atnabridge.streams.reference.ReferenceRecord;
import org.atnabridge.testing.KafkaBrokerExtension;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Coding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The {@link AuditStreams} entry point exactly as {@code Pipeline} runs it, against the real
 * embedded broker: reference load, convert, enrich, label, chain, checkpoints, verification, and
 * two instances sharing partitions.
 */
@ExtendWith(KafkaBrokerExtension.class)
class AuditStreamsIT {

  /**
   * One signing key for every test of the module run: they share the topics, so the chains and
   * checkpoints.
   */
  static final Path KEYS = Path.of("target", "it-keys");

  static void resetTopics(EmbeddedKafkaBroker kafka) {
    kafka.createTopics(Topics.newTopics((short) 1));
  }

  @Test
  void start_referenceLoadedLate_convertsEnrichesLabelsChainsAndVerifies(EmbeddedKafkaBroker kafka)
      throws Exception {
    resetTopics(kafka);
    String bootstrap = kafka.bootstrapServers();
    EnrichmentConfig config = EnrichmentConfig.defaults().withCheckpoints(5, Duration.ofSeconds(1));
    try (AuditStreams streams =
            AuditStreams.start(settings(bootstrap, "a"), new AtnaConverter(), config, KEYS);
        KafkaProducer<byte[], byte[]> raw = TestKafka.rawProducer(bootstrap);
        KafkaConsumer<String, AuditEvent> out = TestKafka.enrichedConsumer(bootstrap)) {
      // before any reference data: not blocked, enriched with what is known (nothing)
      TestKafka.sendRaw(raw, 0, "not xml at all".getBytes(StandardCharsets.UTF_8));
      TestKafka.sendRaw(raw, 1, Samples.pixFeed(1));
      raw.flush();
      List<AuditEvent> seen = new ArrayList<>();
      String firstId = Samples.convert(Samples.pixFeed(1)).getIdPart();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                TestKafka.poll(out).forEach(r -> seen.add(r.value()));
                return seen.stream().anyMatch(e -> e.getIdPart().equals(firstId));
              });
      assertThat(
              seen.stream()
                  .filter(e -> e.getIdPart().equals(firstId))
                  .findFirst()
                  .orElseThrow()
                  .getPatient()
                  .hasReference())
          .isFalse();

      ReferenceFile.Parsed parsed = ReferenceFile.parse(Samples.REFERENCE_CSV);
      assertThat(ReferenceLoader.send(bootstrap, parsed.records(), Duration.ofSeconds(30)))
          .containsEntry(Topics.REFERENCE_PATIENTS.name(), 1);
      // the global table catches up asynchronously: keep sending until an event comes out enriched
      int[] n = {100};
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                TestKafka.sendRaw(raw, n[0], Samples.pixFeed(n[0]++));
                raw.flush();
                TestKafka.poll(out).forEach(r -> seen.add(r.value()));
                return seen.stream()
                    .anyMatch(e -> e.getPatient().hasReference() && isSamplePatient(e));
              });
      AuditEvent enriched =
          seen.stream()
              .filter(e -> e.getPatient().hasReference() && isSamplePatient(e))
              .findFirst()
              .orElseThrow();
      assertThat(enriched.getPatient().getReference()).isEqualTo("Patient/pat-7627199");
      assertThat(enriched.getMeta().getSecurity())
          .extracting(Coding::getSystem, Coding::getCode)
          .contains(org.assertj.core.groups.Tuple.tuple(CodeSystems.V3_CONFIDENTIALITY, "R"));
      assertThat(RawRecordReference.from(enriched)).isNotNull();
      assertThat(ChainLink.from(enriched)).isNotNull();
      assertThat(streams.check()).isTrue();

      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                TestKafka.poll(out).forEach(r -> seen.add(r.value()));
                List<Checkpoint> cps = TestKafka.checkpoints(bootstrap);
                ChainReport report = verify(TestKafka.enrichedAll(bootstrap), cps, streams.keys());
                assertThat(report.findings()).isEmpty();
                // every chain with events has a checkpoint at its head (the 1 s punctuation)
                Map<Integer, Long> heads =
                    seen.stream()
                        .map(ChainLink::from)
                        .collect(Collectors.toMap(ChainLink::partition, ChainLink::seq, Math::max));
                heads.forEach(
                    (p, seq) ->
                        assertThat(cps).anyMatch(cp -> cp.partition() == p && cp.seq() == seq));
              });
    }
  }

  /**
   * A patient row without an identifier system, replayed: {@code patient,PB,,PAT-Q,...} was loaded,
   * and events about PAT-Q in {@code 1.2.3.4} and in {@code 7.7.7} were both enriched to
   * Patient/PB. The loader now refuses the row; a record keyed like it that is already in the topic
   * (from before) is ignored: only a record with the event's system and value matches.
   */
  @Test
  void enrich_patientValueInTwoSystems_neverJoinedThroughARecordWithoutSystem(
      EmbeddedKafkaBroker kafka) throws Exception {
    resetTopics(kafka);
    String bootstrap = kafka.bootstrapServers();
    ReferenceFile.Parsed probe =
        ReferenceFile.parse(
            """
        kind,id,system,value,display,confidentiality,flags
        patient,PB,,PAT-Q,Quentin Patient,,
        patient,PQ4,urn:oid:1.2.3.4,PAT-Q,Quentin of 1.2.3.4,,
        """);
    assertThat(probe.problems()).singleElement().asString().startsWith("line 2: patient PB");
    assertThat(probe.records())
        .extracting(ReferenceRecord::key)
        .containsExactly("urn:oid:1.2.3.4|PAT-Q");
    // PB as the old loader keyed it (bare value), already in the topic
    org.hl7.fhir.r5.model.Patient legacy = new org.hl7.fhir.r5.model.Patient();
    legacy.setId("PB");
    legacy.addIdentifier().setValue("PAT-Q");
    legacy.addName().setText("Quentin Patient");
    List<ReferenceRecord> records = new ArrayList<>();
    records.add(new ReferenceRecord(Topics.REFERENCE_PATIENTS, "PAT-Q", legacy));
    records.addAll(probe.records());
    ReferenceLoader.send(bootstrap, records, Duration.ofSeconds(30));

    try (AuditStreams streams =
            AuditStreams.start(
                settings(bootstrap, "systems"),
                new AtnaConverter(),
                EnrichmentConfig.defaults(),
                KEYS);
        KafkaProducer<byte[], byte[]> raw = TestKafka.rawProducer(bootstrap);
        KafkaConsumer<String, AuditEvent> out = TestKafka.enrichedConsumer(bootstrap)) {
      List<AuditEvent> seen = new ArrayList<>();
      // the global table catches up asynchronously: until the 1.2.3.4 event is matched by its own
      // record
      int[] n = {0};
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                TestKafka.sendRaw(raw, n[0], Samples.pixFeedForPatient(n[0]++, "PAT-Q", "1.2.3.4"));
                raw.flush();
                TestKafka.poll(out).forEach(r -> seen.add(r.value()));
                return seen.stream().anyMatch(e -> e.getPatient().hasReference() && isPatQ(e));
              });
      assertThat(seen)
          .filteredOn(e -> e.getPatient().hasReference() && isPatQ(e))
          .allSatisfy(e -> assertThat(e.getPatient().getReference()).isEqualTo("Patient/PQ4"));
      byte[] otherAuthority = Samples.pixFeedForPatient(1000, "PAT-Q", "7.7.7");
      String other = Samples.convert(otherAuthority).getIdPart();
      TestKafka.sendRaw(raw, 1000, otherAuthority);
      raw.flush();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                TestKafka.poll(out).forEach(r -> seen.add(r.value()));
                return seen.stream().anyMatch(e -> e.getIdPart().equals(other));
              });
      AuditEvent seven =
          seen.stream().filter(e -> e.getIdPart().equals(other)).findFirst().orElseThrow();
      assertThat(seven.getPatient().getIdentifier().getSystem()).isEqualTo("urn:oid:7.7.7");
      assertThat(seven.getPatient().hasReference())
          .as("another authority's PAT-Q is another patient")
          .isFalse();
      assertThat(seven.getEntity())
          .noneSatisfy(en -> assertThat(en.getWhat().hasReference()).isTrue());
      assertThat(seen)
          .noneSatisfy(e -> assertThat(e.getPatient().getReference()).isEqualTo("Patient/PB"));
      assertThat(streams.check()).isTrue();
    }
  }

  @Test
  void twoInstances_stopOne_partitionsMoveWithoutLossOrDuplicates(EmbeddedKafkaBroker kafka) {
    resetTopics(kafka);
    String bootstrap = kafka.bootstrapServers();
    List<ConsumerRecord<String, AuditEvent>> records = new ArrayList<>();
    int total = 1200;
    int base = 10_000;
    EnrichmentConfig config =
        EnrichmentConfig.defaults().withCheckpoints(50, Duration.ofSeconds(1));
    try (AuditStreams one =
            AuditStreams.start(settings(bootstrap, "one"), new AtnaConverter(), config, KEYS);
        AuditStreams two =
            AuditStreams.start(settings(bootstrap, "two"), new AtnaConverter(), config, KEYS);
        KafkaProducer<byte[], byte[]> raw = TestKafka.rawProducer(bootstrap);
        KafkaConsumer<String, AuditEvent> out = TestKafka.enrichedConsumer(bootstrap)) {
      Set<String> expected = expectedIds(base, total);
      for (int i = 0; i < total / 2; i++) {
        TestKafka.sendRaw(raw, i, Samples.pixFeed(base + i));
      }
      raw.flush();
      await().atMost(Duration.ofSeconds(60)).until(() -> mine(out, records, expected) >= total / 4);
      two.close(); // its partitions move to one
      for (int i = total / 2; i < total; i++) {
        TestKafka.sendRaw(raw, i, Samples.pixFeed(base + i));
      }
      raw.flush();
      await().atMost(Duration.ofSeconds(90)).until(() -> mine(out, records, expected) >= total);
      assertThat(one.check()).isTrue();
      CheckpointKeys keys = one.keys();
      assertExactlyOnce(records.stream().map(ConsumerRecord::value).toList(), base, total);
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(
                          verify(
                                  TestKafka.enrichedAll(bootstrap),
                                  TestKafka.checkpoints(bootstrap),
                                  keys)
                              .findings())
                      .isEmpty());
    }
  }

  /** The events of other tests of the module share the topics. */
  private static boolean isSamplePatient(AuditEvent e) {
    return Samples.PATIENT_VALUE.equals(e.getPatient().getIdentifier().getValue());
  }

  private static boolean isPatQ(AuditEvent e) {
    return "PAT-Q".equals(e.getPatient().getIdentifier().getValue());
  }

  static Set<String> expectedIds(int base, int total) {
    Set<String> ids = new HashSet<>();
    for (int i = base; i < base + total; i++) {
      ids.add(Samples.convert(Samples.pixFeed(i)).getIdPart());
    }
    return ids;
  }

  /** Reads what is there now; returns how many distinct expected ids were seen so far. */
  static long mine(
      KafkaConsumer<String, AuditEvent> out,
      List<ConsumerRecord<String, AuditEvent>> into,
      Set<String> expected) {
    into.addAll(TestKafka.poll(out));
    return into.stream()
        .map(r -> r.value().getIdPart())
        .filter(expected::contains)
        .distinct()
        .count();
  }

  /** Each of the frames {@code base .. base+total-1} is in {@code events} exactly once. */
  static void assertExactlyOnce(List<AuditEvent> events, int base, int total) {
    Map<String, Long> perId =
        events.stream()
            .collect(Collectors.groupingBy(AuditEvent::getIdPart, Collectors.counting()));
    for (int i = base; i < base + total; i++) {
      String id = Samples.convert(Samples.pixFeed(i)).getIdPart();
      assertThat(perId.get(id)).as("frame %d (id %s)", i, id).isEqualTo(1L);
    }
  }

  static ChainReport verify(List<AuditEvent> events, List<Checkpoint> cps, CheckpointKeys keys) {
    // the store keeps the latest document per id
    Map<String, AuditEvent> latest =
        events.stream()
            .collect(
                Collectors.toMap(
                    AuditEvent::getIdPart,
                    Function.identity(),
                    (a, b) -> ChainLink.from(a).seq() > ChainLink.from(b).seq() ? a : b));
    return ChainVerifier.verify(
        latest.values(), cps, keys.publicKey(), false, id -> Optional.empty());
  }

  static StreamsSettings settings(String bootstrap, String instance) {
    return settings(
        bootstrap,
        Path.of(System.getProperty("java.io.tmpdir"))
            .resolve("streams-it-" + instance + "-" + System.nanoTime()));
  }

  static StreamsSettings settings(String bootstrap, Path stateDir) {
    return new StreamsSettings(
        bootstrap,
        stateDir,
        1,
        1,
        100,
        Map.of("consumer.session.timeout.ms", "6000", "consumer.heartbeat.interval.ms", "1000"));
  }
}
