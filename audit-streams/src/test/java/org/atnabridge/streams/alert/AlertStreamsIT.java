package org.atnabridge.streams.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.atnabridge.atna.AtnaConverter;
import org.atnabridge.atna.ConversionException;
import org.atnabridge.kafka.embedded.EmbeddedKafkaBroker;
import org.atnabridge.schemas.RawHeaders;
import org.atnabridge.schemas.RawMetadata;
import org.atnabridge.schemas.Topics;
import org.atnabridge.schemas.alert.Alert;
import org.atnabridge.schemas.alert.AlertJson;
import org.atnabridge.schemas.vocab.CodeSystems;
import org.atnabridge.streams.AlertStreams;
import org.atnabridge.streams.AuditStreams;
import org.atnabridge.streams.Samples;
import org.atnabridge.streams.StreamsSettings;
import org.atnabridge.streams.TestKafka;
import org.atnabridge.streams.alert.rules.AlertRule;
import org.atnabridge.streams.alert.rules.AlertRules;
import org.atnabridge.streams.alert.rules.KindSpec;
import org.atnabridge.streams.alert.rules.KindSpec.Relation;
import org.atnabridge.streams.enrich.EnrichmentConfig;
import org.atnabridge.streams.reference.ReferenceRecord;
import org.atnabridge.testing.KafkaBrokerExtension;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.Patient;
import org.hl7.fhir.r5.model.Resource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The alert application on the real broker: the whole converted ATNA corpus plus built events on
 * {@code audit.enriched} (spread over its partitions); {@code match}, {@code schedule} and {@code
 * relationship} rules each fire exactly once per event that meets them and for no other; {@code
 * threshold}, {@code distinct}, {@code sequence} and {@code first-seen} rules fire once for built
 * events that meet them and not for their near misses; each alert is on {@code audit.alerts} and
 * its Security Alert AuditEvent on {@code audit.posted}; a restart on the same state dir duplicates
 * nothing (exactly-once v2); and {@code rules test} ({@link RulesTester}) finds exactly the alerts
 * the stream wrote. The broker is shared with the module's other ITs, so rules carry a per-run id
 * prefix and events a per-run sender, and only those are compared.
 */
@ExtendWith(KafkaBrokerExtension.class)
class AlertStreamsIT {

  @Test
  void corpus_rulesFireOncePerMatchingEvent_restartDuplicatesNothing_rulesTesterAgrees(
      EmbeddedKafkaBroker kafka) throws Exception {
    kafka.createTopics(Topics.newTopics((short) 1));
    String bootstrap = kafka.bootstrapServers();
    String run = UUID.randomUUID().toString().substring(0, 8);
    String patientSystem = "urn:oid:1.2.999." + Math.abs(run.hashCode());

    AlertRules rules =
        TestRules.of(
            TestRules.match(run + "-failures", "outcome:not=0"),
            TestRules.rule(
                run + "-after-hours", null, null, TestRules.officeHours("Europe/Berlin")),
            // only the built events: the corpus' patients may be labelled by other tests'
            // reference data, which this application's tables hold too
            new AlertRule(
                run + "-related",
                "Related",
                null,
                org.atnabridge.streams.alert.rules.AlertSeverity.HIGH,
                true,
                TestRules.condition("built", e -> e.getIdPart().startsWith(run)),
                null,
                null,
                List.of(),
                new KindSpec.Relationship(Set.of(Relation.SAME_PERSON, Relation.RESTRICTED))),
            TestRules.disabled(TestRules.match(run + "-off", null)),
            // the windowed kinds, each on its own built events (recorded now, inside the grace)
            windowed(
                run + "-threshold",
                run + "-wt",
                TestRules.AGENT_IDENTIFIER,
                new KindSpec.Threshold(3, Duration.ofMinutes(5))),
            windowed(
                run + "-distinct",
                run + "-wd",
                TestRules.AGENT_IDENTIFIER,
                new KindSpec.Distinct(TestRules.PATIENT_IDENTIFIER, 3, Duration.ofHours(1))),
            windowed(
                run + "-sequence",
                run + "-wq",
                TestRules.AGENT_IDENTIFIER,
                new KindSpec.Sequence(
                    List.of(
                        new KindSpec.Step(TestRules.where("outcome:not=0"), 2),
                        new KindSpec.Step(TestRules.where("outcome=0"), 1)),
                    Duration.ofMinutes(5))),
            windowed(
                run + "-first-seen",
                run + "-wf",
                null,
                new KindSpec.FirstSeen(
                    List.of(TestRules.AGENT_IDENTIFIER, TestRules.PATIENT_IDENTIFIER),
                    Duration.ofDays(90))));
    Patient employee = new Patient();
    employee.setId("emp-" + run);
    employee.addIdentifier().setSystem(patientSystem).setValue("E1");
    employee.addIdentifier().setValue("nurse-" + run);
    List<ReferenceRecord> reference =
        List.of(new ReferenceRecord(Topics.REFERENCE_PATIENTS, patientSystem + "|E1", employee));

    List<byte[]> messages = corpusMessages();
    List<AuditEvent> built = new ArrayList<>(built(run, patientSystem));
    built.addAll(windowedEvents(run, Instant.now()));
    Set<String> mine = new HashSet<>();
    String peer = "alerts-" + run + ":514";
    for (byte[] m : messages) {
      converted(m, peer).forEach(e -> mine.add("AuditEvent/" + e.getIdPart()));
    }
    int corpusEvents = mine.size();
    built.forEach(e -> mine.add("AuditEvent/" + e.getIdPart()));
    assertThat(mine).hasSize(corpusEvents + built.size());

    Path state = Files.createTempDirectory("alerts-it-");
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (KafkaProducer<String, Object> producer = producer(bootstrap);
        KafkaProducer<byte[], byte[]> raw = TestKafka.rawProducer(bootstrap);
        AuditStreams audit =
            AuditStreams.start(
                settings(bootstrap, Files.createTempDirectory("alerts-it-audit-")),
                new AtnaConverter(),
                EnrichmentConfig.defaults(),
                Path.of("target", "it-keys"))) {
      for (ReferenceRecord r : reference) {
        producer.send(new ProducerRecord<>(r.topic().name(), r.key(), r.resource()));
      }
      producer.flush();
      try (AlertStreams alerts =
          AlertStreams.start(settings(bootstrap, state), () -> rules, registry)) {
        int n = 0;
        for (byte[] m : messages) {
          ProducerRecord<byte[], byte[]> r =
              new ProducerRecord<>(
                  Topics.ATNA_RAW.name(), ("k" + n++).getBytes(StandardCharsets.UTF_8), m);
          RawHeaders.put(r.headers(), RawHeaders.TRANSPORT, "tcp");
          RawHeaders.put(r.headers(), RawHeaders.PEER, peer);
          raw.send(r);
        }
        raw.flush();
        await()
            .atMost(Duration.ofSeconds(90))
            .until(() -> enrichedMine(bootstrap, mine).size() >= corpusEvents);
        List<AuditEvent> first = enrichedMine(bootstrap, mine);
        await()
            .atMost(Duration.ofSeconds(90))
            .until(
                () ->
                    mineOnly(alertsOf(bootstrap, run), mine).size()
                        >= expected(rules, first, List.of()).size());
        assertThat(alerts.check()).isTrue();
      }
      // restart on the same state dir and group: what was committed is not processed again
      try (AlertStreams alerts =
          AlertStreams.start(settings(bootstrap, state), () -> rules, registry)) {
        // the windowed kinds' events recorded now, well inside the grace period
        List<AuditEvent> sent = new ArrayList<>(built(run, patientSystem));
        sent.addAll(windowedEvents(run, Instant.now()));
        // first-seen is decided in arrival order: the repeat of a pair goes after its first read
        // is on audit.enriched, so that arrival order is event-time order (what rules test uses)
        String repeat = run + "-wf-1";
        for (AuditEvent e : sent) {
          if (!e.getIdPart().equals(repeat)) {
            producer.send(new ProducerRecord<>(Topics.AUDIT_POSTED.name(), e.getIdPart(), e));
          }
        }
        producer.flush();
        await()
            .atMost(Duration.ofSeconds(90))
            .until(
                () ->
                    enrichedMine(bootstrap, mine).stream()
                        .anyMatch(e -> e.getIdPart().equals(run + "-wf-0")));
        for (AuditEvent e : sent) {
          if (e.getIdPart().equals(repeat)) {
            producer.send(new ProducerRecord<>(Topics.AUDIT_POSTED.name(), e.getIdPart(), e));
          }
        }
        producer.flush();
        await()
            .atMost(Duration.ofSeconds(90))
            .until(() -> enrichedMine(bootstrap, mine).size() >= mine.size());
        int want =
            expected(rules, enrichedMine(bootstrap, mine), reference).size() + WINDOWED_ALERTS;
        await()
            .atMost(Duration.ofSeconds(90))
            .until(() -> mineOnly(alertsOf(bootstrap, run), mine).size() >= want);
        assertThat(alerts.check()).isTrue();
        // the alerts' own events come back through the chain to audit.enriched, and fire nothing
        await()
            .atMost(Duration.ofSeconds(90))
            .until(
                () ->
                    enrichedIds(bootstrap)
                        .containsAll(
                            alertsOf(bootstrap, run).stream().map(Alert::auditEventId).toList()));
      }
      assertThat(audit.check()).isTrue();
    }

    List<AuditEvent> all = enrichedMine(bootstrap, mine);
    assertThat(all).hasSize(mine.size());
    List<Alert> streamed = mineOnly(alertsOf(bootstrap, run), mine);
    Set<String> expected = expected(rules, all, reference);
    List<Alert> perEvent = streamed.stream().filter(a -> !windowedRule(a, run)).toList();
    // exactly once per matching event and rule: no duplicate, none missing, none for the others
    assertThat(streamed.stream().map(a -> a.rule().id() + " " + a.events()).toList())
        .doesNotHaveDuplicates();
    assertThat(
            perEvent.stream()
                .map(a -> a.rule().id() + " " + a.events().get(0))
                .collect(Collectors.toSet()))
        .isEqualTo(expected);
    // each windowed kind exactly once for its condition, not for its near miss
    assertThat(streamed.stream().filter(a -> windowedRule(a, run)))
        .extracting(a -> a.rule().id() + " " + a.group() + " " + a.eventCount())
        .containsExactlyInAnyOrder(
            run + "-threshold thr-" + run + " 3",
            run + "-distinct dis-" + run + " 3",
            run + "-sequence seq-" + run + " 3",
            run + "-first-seen null 1",
            run + "-first-seen null 1");
    assertThat(streamed.stream().filter(a -> a.rule().id().equals(run + "-first-seen")))
        .as("the first read of each pair; not the repeat")
        .flatExtracting(Alert::events)
        .containsExactlyInAnyOrder("AuditEvent/" + run + "-wf-0", "AuditEvent/" + run + "-wf-2");
    Set<String> alertEvents =
        alertsOf(bootstrap, run).stream().map(Alert::auditEventId).collect(Collectors.toSet());
    assertThat(alertsOf(bootstrap, run))
        .as("no alert event was evaluated (the after-hours rule would match them all)")
        .noneMatch(a -> a.events().stream().anyMatch(alertEvents::contains));
    assertThat(streamed).noneMatch(a -> a.rule().id().endsWith("-off"));
    assertThat(expected)
        .as("every rule kind fired, and the built near-misses did not")
        .anyMatch(s -> s.startsWith(run + "-failures "))
        .anyMatch(s -> s.startsWith(run + "-after-hours "))
        .anyMatch(s -> s.equals(run + "-related AuditEvent/" + run + "-self"))
        .anyMatch(s -> s.equals(run + "-related AuditEvent/" + run + "-restricted"))
        .noneMatch(s -> s.contains(run + "-office"));

    // each alert's Security Alert AuditEvent is on audit.posted, tagged so no rule evaluates it
    Map<String, AuditEvent> posted = postedEvents(bootstrap);
    for (Alert a : streamed) {
      AuditEvent e = posted.get(a.auditEventId().substring("AuditEvent/".length()));
      assertThat(e).as(a.auditEventId()).isNotNull();
      assertThat(e.getCode().getCodingFirstRep().getCode()).isEqualTo(a.rule().id());
      assertThat(e.getMeta().getTag(CodeSystems.RECORD_ORIGIN, CodeSystems.ALERT)).isNotNull();
    }

    // rules test over the same events and reference data: the same alerts, ids included
    List<Alert> offline = RulesTester.run(rules, all, reference);
    assertThat(offline.stream().map(Alert::id).collect(Collectors.toSet()))
        .isEqualTo(streamed.stream().map(Alert::id).collect(Collectors.toSet()));
    assertThat(offline).hasSameSizeAs(streamed);
  }

  /** Alerts of the windowed rules below: threshold, distinct, sequence, first-seen ×2. */
  private static final int WINDOWED_ALERTS = 5;

  private static boolean windowedRule(Alert a, String run) {
    return Set.of(run + "-threshold", run + "-distinct", run + "-sequence", run + "-first-seen")
        .contains(a.rule().id());
  }

  /** A rule of a windowed kind that sees only the built events whose id starts with {@code ids}. */
  private static AlertRule windowed(
      String id,
      String ids,
      org.atnabridge.streams.alert.rules.@org.jspecify.annotations.Nullable ValueExpression groupBy,
      KindSpec spec) {
    return new AlertRule(
        id,
        "Rule " + id,
        null,
        org.atnabridge.streams.alert.rules.AlertSeverity.MEDIUM,
        true,
        TestRules.condition("built " + ids, e -> e.getIdPart().startsWith(ids)),
        groupBy,
        null,
        List.of(),
        spec);
  }

  /**
   * For each windowed kind, events that meet it once and a near miss: 3 failures of one user and 2
   * of another; 3 distinct patients of one user and 2 (of 3 reads) of another; 2 failures then a
   * success, and 1 failure then a success; a user reading 2 patients, one of them twice (2
   * first-seen pairs).
   */
  private static List<AuditEvent> windowedEvents(String run, Instant now) {
    List<AuditEvent> out = new ArrayList<>();
    int[] second = {0};
    java.util.function.BiFunction<String, String, AuditEvent> at =
        (suffix, user) ->
            TestEvents.event(
                run + suffix, now.minusSeconds(120).plusSeconds(second[0]++), user, null);
    for (int i = 0; i < 3; i++) {
      out.add(TestEvents.failed(at.apply("-wt-a" + i, "thr-" + run)));
    }
    for (int i = 0; i < 2; i++) {
      out.add(TestEvents.failed(at.apply("-wt-b" + i, "thr2-" + run)));
    }
    String[] patients = {"P1", "P2", "P3"};
    String[] repeats = {"P1", "P1", "P2"};
    for (int i = 0; i < 3; i++) {
      out.add(patient(at.apply("-wd-a" + i, "dis-" + run), patients[i]));
      out.add(patient(at.apply("-wd-b" + i, "dis2-" + run), repeats[i]));
    }
    out.add(TestEvents.failed(at.apply("-wq-a0", "seq-" + run)));
    out.add(TestEvents.failed(at.apply("-wq-a1", "seq-" + run)));
    out.add(at.apply("-wq-a2", "seq-" + run));
    out.add(TestEvents.failed(at.apply("-wq-b0", "seq2-" + run)));
    out.add(at.apply("-wq-b1", "seq2-" + run));
    out.add(patient(at.apply("-wf-0", "fs-" + run), "P1"));
    out.add(patient(at.apply("-wf-1", "fs-" + run), "P1"));
    out.add(patient(at.apply("-wf-2", "fs-" + run), "P2"));
    return out;
  }

  private static AuditEvent patient(AuditEvent e, String patient) {
    e.setPatient(
        new org.hl7.fhir.r5.model.Reference()
            .setIdentifier(
                new org.hl7.fhir.r5.model.Identifier()
                    .setSystem(TestEvents.PATIENT_SYSTEM)
                    .setValue(patient)));
    return e;
  }

  /** {@code rule event} for every (per-event) rule the events meet, decided by stage 1's parts. */
  private static Set<String> expected(
      AlertRules rules, List<AuditEvent> events, List<ReferenceRecord> reference) {
    Map<String, Resource> patients = new HashMap<>();
    reference.forEach(r -> patients.put(r.key(), r.resource()));
    Relations relations =
        new Relations(
            new org.atnabridge.streams.enrich.ReferenceLookup() {
              @Override
              public Resource person(String userId) {
                return null;
              }

              @Override
              public Resource patient(String key) {
                return patients.get(key);
              }

              @Override
              public Resource node(String key) {
                return null;
              }
            });
    Set<String> out = new HashSet<>();
    for (AuditEvent e : events) {
      for (AlertRule r : rules.enabled()) {
        if (r.spec() instanceof KindSpec.Threshold
            || r.spec() instanceof KindSpec.Distinct
            || r.spec() instanceof KindSpec.Sequence
            || r.spec() instanceof KindSpec.FirstSeen) {
          continue; // windowed: asserted on their own
        }
        boolean met =
            r.where().test(e)
                && switch (r.spec()) {
                  case KindSpec.Schedule s -> Calendars.outside(s, e.getRecorded().toInstant());
                  case KindSpec.Relationship rel -> relations.related(e, rel.relations());
                  default -> true;
                };
        if (met) {
          out.add(r.id() + " AuditEvent/" + e.getIdPart());
        }
      }
    }
    return out;
  }

  /** Every message of the shared corpus (convertible or not). */
  private static List<byte[]> corpusMessages() throws Exception {
    return Samples.corpus();
  }

  /** What the converter makes of a message from {@code peer} (the ids the stream gives them). */
  private static List<AuditEvent> converted(byte[] message, String peer) {
    try {
      return new AtnaConverter()
          .convert(message, new RawMetadata("tcp", peer, Instant.now(), "it"));
    } catch (ConversionException e) {
      return List.of(); // dead-lettered by the stream
    }
  }

  /** This run's events as chained into audit.enriched (enriched and labelled), once each. */
  private static List<AuditEvent> enrichedMine(String bootstrap, Set<String> mine) {
    Map<String, AuditEvent> byId = new java.util.LinkedHashMap<>();
    for (AuditEvent e : enriched(bootstrap)) {
      if (mine.contains("AuditEvent/" + e.getIdPart())) {
        byId.putIfAbsent(e.getIdPart(), e);
      }
    }
    return List.copyOf(byId.values());
  }

  private static Set<String> enrichedIds(String bootstrap) {
    return enriched(bootstrap).stream()
        .map(e -> "AuditEvent/" + e.getIdPart())
        .collect(Collectors.toSet());
  }

  private static List<AuditEvent> enriched(String bootstrap) {
    return CommittedRecords.read(
        bootstrap,
        Topics.AUDIT_ENRICHED.name(),
        r -> Topics.AUDIT_ENRICHED.valueSerde().deserializer().deserialize(r.topic(), r.value()));
  }

  /** Built events for the calendar and the relationships, near misses included. */
  private static List<AuditEvent> built(String run, String patientSystem) {
    Instant monday10 = Instant.parse("2026-11-30T09:00:00Z");
    Instant sunday = Instant.parse("2026-11-29T09:00:00Z");
    AuditEvent self = TestEvents.event(run + "-self", monday10, "nurse-" + run, null);
    self.setPatient(
        new org.hl7.fhir.r5.model.Reference()
            .setIdentifier(
                new org.hl7.fhir.r5.model.Identifier().setSystem(patientSystem).setValue("E1")));
    AuditEvent restricted = TestEvents.event(run + "-restricted", monday10, "doc-" + run, "P2");
    restricted.getMeta().addSecurity(new Coding(CodeSystems.V3_CONFIDENTIALITY, "V", null));
    return List.of(
        self,
        restricted,
        TestEvents.event(run + "-office", monday10, "doc-" + run, "P3"),
        TestEvents.event(run + "-sunday", sunday, "doc-" + run, "P3"),
        TestEvents.failed(TestEvents.event(run + "-failed", monday10, "doc-" + run, "P3")));
  }

  private static List<Alert> mineOnly(List<Alert> alerts, Set<String> mine) {
    return alerts.stream().filter(a -> mine.containsAll(a.events())).toList();
  }

  private static List<Alert> alertsOf(String bootstrap, String run) {
    return CommittedRecords.read(
            bootstrap, Topics.AUDIT_ALERTS.name(), r -> AlertJson.read(r.value()))
        .stream()
        .filter(a -> a.rule().id().startsWith(run + "-"))
        .toList();
  }

  private static Map<String, AuditEvent> postedEvents(String bootstrap) {
    Map<String, AuditEvent> out = new HashMap<>();
    for (AuditEvent e :
        CommittedRecords.read(
            bootstrap,
            Topics.AUDIT_POSTED.name(),
            r ->
                Topics.AUDIT_POSTED
                    .valueSerde()
                    .deserializer()
                    .deserialize(r.topic(), r.value()))) {
      out.put(e.getIdPart(), e);
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static KafkaProducer<String, Object> producer(String bootstrap) {
    org.apache.kafka.common.serialization.Serializer<Object> json =
        (topic, v) ->
            v instanceof AuditEvent e
                ? Topics.AUDIT_ENRICHED.valueSerde().serializer().serialize(topic, e)
                : Topics.REFERENCE_PATIENTS
                    .valueSerde()
                    .serializer()
                    .serialize(topic, (Resource) v);
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.LINGER_MS_CONFIG, 5),
        new StringSerializer(),
        json);
  }

  /** The settings the alert ITs run the engine with: one thread, quick rebalances. */
  static StreamsSettings settings(String bootstrap, Path state) {
    return new StreamsSettings(
        bootstrap,
        state,
        1,
        1,
        100,
        Map.of("consumer.session.timeout.ms", "6000", "consumer.heartbeat.interval.ms", "1000"));
  }
}
