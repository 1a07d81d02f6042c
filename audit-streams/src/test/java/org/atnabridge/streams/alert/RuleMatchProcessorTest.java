package org.atnabridge.streams.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.atnabridge.streams.alert.TestEvents.PATIENT_SYSTEM;
import static org.atnabridge.streams.alert.TestEvents.event;
import static org.atnabridge.streams.alert.TestRules.AGENT_IDENTIFIER;
import static org.atnabridge.streams.alert.TestRules.PATIENT_IDENTIFIER;
import static org.atnabridge.streams.alert.TestRules.match;
import static org.atnabridge.streams.alert.TestRules.rule;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.atnabridge.schemas.Topics;
import org.atnabridge.schemas.vocab.CodeSystems;
import org.atnabridge.streams.alert.rules.AlertRules;
import org.atnabridge.streams.alert.rules.KindSpec;
import org.atnabridge.streams.alert.rules.KindSpec.Relation;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.Identifier;
import org.hl7.fhir.r5.model.Patient;
import org.hl7.fhir.r5.model.Practitioner;
import org.hl7.fhir.r5.model.Resource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stage 1 alone in Kafka Streams' test driver, with the reference tables of the alert topology:
 * each per-event condition, the skipped alert events, and the groups an event is observed in.
 */
class RuleMatchProcessorTest {

  private static final String OBSERVED = "observed";

  /** Monday 2026-11-30 10:00 in Berlin (inside office hours). */
  private static final Instant MONDAY_10 = Instant.parse("2026-11-30T09:00:00Z");

  /** Saturday 2026-11-28 10:00 in Berlin. */
  private static final Instant SATURDAY_10 = Instant.parse("2026-11-28T09:00:00Z");

  @TempDir java.nio.file.Path state;
  private final AtomicReference<AlertRules> rules = new AtomicReference<>(AlertRules.NONE);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private TopologyTestDriver driver;
  private TestInputTopic<String, AuditEvent> events;
  private TestOutputTopic<String, Observation> observed;

  @BeforeEach
  void start() {
    StreamsBuilder b = new StreamsBuilder();
    AlertTopology.referenceTables(b);
    AlertMeters meters = new AlertMeters(registry);
    b.stream(
            Topics.AUDIT_ENRICHED.name(),
            Consumed.with(Topics.AUDIT_ENRICHED.keySerde(), Topics.AUDIT_ENRICHED.valueSerde()))
        .process(
            () ->
                new RuleMatchProcessor(
                    rules::get, AlertTopology.PEOPLE_STORE, AlertTopology.PATIENTS_STORE, meters))
        .to(
            OBSERVED,
            Produced.with(
                org.apache.kafka.common.serialization.Serdes.String(), new ObservationSerde()));
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "stage-1-test");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    p.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
    driver = new TopologyTestDriver(b.build(), p);
    events =
        driver.createInputTopic(
            Topics.AUDIT_ENRICHED.name(),
            new StringSerializer(),
            Topics.AUDIT_ENRICHED.valueSerde().serializer());
    observed =
        driver.createOutputTopic(
            OBSERVED, new StringDeserializer(), new ObservationSerde().deserializer());
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  private List<Observation> send(AuditEvent... es) {
    for (AuditEvent e : es) {
      events.pipeInput(e.getIdPart(), e, e.getRecorded().getTime());
    }
    return observed.readValuesToList();
  }

  private void reference(String topic, String key, Resource r) {
    driver
        .createInputTopic(
            topic, new StringSerializer(), Topics.REFERENCE_PEOPLE.valueSerde().serializer())
        .pipeInput(key, r);
  }

  @Test
  void match_observesOnlyTheEventsMeetingWhere_keyedByRuleAndEmptyGroup() {
    rules.set(TestRules.of(match("failures", "outcome:not=0")));
    List<Observation> out =
        send(
            event("ok1", MONDAY_10, "alice", "p1"),
            TestEvents.failed(event("bad1", MONDAY_10, "alice", "p1")),
            event("ok2", MONDAY_10, "bob", "p2"));
    assertThat(out).extracting(Observation::eventId).containsExactly("AuditEvent/bad1");
    Observation o = out.get(0);
    assertThat(o.key()).isEqualTo("failures\u0000");
    assertThat(o.group()).isEmpty();
    assertThat(o.recorded()).isEqualTo(MONDAY_10);
    assertThat(o.agents()).extracting(a -> a.value()).containsExactly("alice");
    assertThat(o.patients())
        .extracting(a -> a.system() + "|" + a.value())
        .containsExactly(PATIENT_SYSTEM + "|p1");
    assertThat(registry.get(AlertMeters.EVALUATED).counter().count()).isEqualTo(3);
    assertThat(registry.get(AlertMeters.OBSERVATIONS).tag("kind", "match").counter().count())
        .isEqualTo(1);
  }

  @Test
  void disabledRules_areNotEvaluated() {
    rules.set(TestRules.of(TestRules.disabled(match("off", null))));
    assertThat(send(event("e1", MONDAY_10, "alice", "p1"))).isEmpty();
  }

  @Test
  void alertEvents_andSelfAuditOfAlertHandling_areSkipped_otherSelfAuditIsNot() {
    rules.set(TestRules.of(match("all", null)));
    AuditEvent alert = event("alert1", MONDAY_10, "alice", "p1");
    AlertOrigin.tag(alert);
    AuditEvent handling = event("handling1", MONDAY_10, "alice", "p1");
    handling.getMeta().addTag(CodeSystems.RECORD_ORIGIN, CodeSystems.SELF_AUDIT, null);
    handling
        .addEntity()
        .getWhat()
        .setIdentifier(new Identifier().setSystem(CodeSystems.ALERT_ID).setValue("a1"));
    AuditEvent refusedLogin = event("login1", MONDAY_10, "mallory", null);
    refusedLogin.getMeta().addTag(CodeSystems.RECORD_ORIGIN, CodeSystems.SELF_AUDIT, null);
    // the console's acknowledgement of an alert, posted through the feed (no self-audit tag)
    AuditEvent acknowledgement = event("ack1", MONDAY_10, "alice", "p1");
    acknowledgement.getCode().addCoding(CodeSystems.ALERT_HANDLING, "acknowledged", null);

    assertThat(send(alert, handling, refusedLogin, acknowledgement))
        .extracting(Observation::eventId)
        .containsExactly("AuditEvent/login1");
    assertThat(registry.get(AlertMeters.SKIPPED).counter().count()).isEqualTo(3);
  }

  @Test
  void groupBy_oneObservationPerDistinctValue_noValueNoObservation() {
    rules.set(TestRules.of(rule("per-user", null, AGENT_IDENTIFIER, new KindSpec.Match())));
    AuditEvent two =
        TestEvents.agent(TestEvents.agent(event("two", MONDAY_10, "alice", "p1"), "bob"), "alice");
    AuditEvent none = event("none", MONDAY_10, "x", "p1");
    none.getAgentFirstRep().getWho().setIdentifier(null);
    List<Observation> out = send(two, none);
    assertThat(out).extracting(Observation::group).containsExactly("alice", "bob");
    assertThat(out)
        .extracting(Observation::key)
        .containsExactly("per-user\u0000alice", "per-user\u0000bob");
  }

  @Test
  void schedule_observesOnlyEventsOutsideTheCalendarInItsZone() {
    rules.set(
        TestRules.of(rule("after-hours", null, null, TestRules.officeHours("Europe/Berlin"))));
    List<Observation> out =
        send(
            event("monday10", MONDAY_10, "alice", "p1"),
            event("saturday10", SATURDAY_10, "alice", "p1"),
            // 19:00 Berlin is the end of the day: outside; 06:59 too
            event("monday19", Instant.parse("2026-11-30T18:00:00Z"), "alice", "p1"),
            event("monday0659", Instant.parse("2026-11-30T05:59:00Z"), "alice", "p1"),
            event("monday0700", Instant.parse("2026-11-30T06:00:00Z"), "alice", "p1"));
    assertThat(out)
        .extracting(Observation::eventId)
        .containsExactly("AuditEvent/saturday10", "AuditEvent/monday19", "AuditEvent/monday0659");
  }

  @Test
  void relationship_samePersonFamilyAddressVipAndRestricted_fromTheReferenceData() {
    Practitioner doc = new Practitioner();
    doc.setId("doc");
    doc.addIdentifier().setSystem("urn:oid:9.9").setValue("EMP-7");
    doc.addName().setFamily("Zimmermann").addGiven("Petra");
    doc.addAddress().addLine("Hauptstr. 1").setCity("Bern").setPostalCode("3000");
    reference(Topics.REFERENCE_PEOPLE.name(), "doc-login", doc);
    reference(
        Topics.REFERENCE_PEOPLE.name(), "nurse", practitioner("nurse", "Other", "Elsewhere 2"));
    reference(
        Topics.REFERENCE_PATIENTS.name(),
        PATIENT_SYSTEM + "|self",
        patient("self", "Unrelated", null, "urn:oid:9.9", "EMP-7"));
    reference(
        Topics.REFERENCE_PATIENTS.name(),
        PATIENT_SYSTEM + "|kin",
        patient("kin", "zimmermann", null, null, null));
    reference(
        Topics.REFERENCE_PATIENTS.name(),
        PATIENT_SYSTEM + "|housemate",
        patient("housemate", "Meier", "hauptstr.  1", null, null));
    reference(
        Topics.REFERENCE_PATIENTS.name(),
        PATIENT_SYSTEM + "|login",
        patient("login", "Login", null, PATIENT_SYSTEM, "doc-login-as-patient"));
    Patient vip = patient("vip", "Star", null, null, null);
    vip.getMeta().addSecurity(new Coding(CodeSystems.V3_ACT_CODE, Relations.CELEBRITY, null));
    reference(Topics.REFERENCE_PATIENTS.name(), PATIENT_SYSTEM + "|vip", vip);

    rules.set(
        TestRules.of(
            rule("self", null, null, new KindSpec.Relationship(Set.of(Relation.SAME_PERSON))),
            rule(
                "family", null, null, new KindSpec.Relationship(Set.of(Relation.SAME_FAMILY_NAME))),
            rule("address", null, null, new KindSpec.Relationship(Set.of(Relation.SAME_ADDRESS))),
            rule("vip", null, null, new KindSpec.Relationship(Set.of(Relation.VIP))),
            rule(
                "restricted", null, null, new KindSpec.Relationship(Set.of(Relation.RESTRICTED)))));
    AuditEvent restricted = event("e-restricted", MONDAY_10, "nurse", "nobody");
    restricted.getMeta().addSecurity(new Coding(CodeSystems.V3_CONFIDENTIALITY, "R", null));
    // the agent's own identifier is one of the patient's
    AuditEvent asPatient = event("e-login", MONDAY_10, "doc-login-as-patient", "login");
    List<Observation> out =
        send(
            event("e-self", MONDAY_10, "doc-login", "self"),
            event("e-kin", MONDAY_10, "doc-login", "kin"),
            event("e-housemate", MONDAY_10, "doc-login", "housemate"),
            event("e-vip", MONDAY_10, "nurse", "vip"),
            restricted,
            asPatient,
            event("e-none", MONDAY_10, "nurse", "kin"));
    assertThat(out)
        .extracting(o -> o.ruleId() + ":" + o.eventId().substring("AuditEvent/".length()))
        .containsExactly(
            "self:e-self",
            "family:e-kin",
            "address:e-housemate",
            "vip:e-vip",
            "restricted:e-restricted",
            "self:e-login");
  }

  @Test
  void sequenceSteps_distinctValues_firstSeenTuples_andSilenceBySource() {
    rules.set(
        TestRules.of(
            rule(
                "seq",
                null,
                AGENT_IDENTIFIER,
                new KindSpec.Sequence(
                    List.of(
                        new KindSpec.Step(TestRules.where("outcome:not=0"), 5),
                        new KindSpec.Step(TestRules.where("outcome=0"), 1)),
                    Duration.ofMinutes(5))),
            rule(
                "distinct",
                null,
                AGENT_IDENTIFIER,
                new KindSpec.Distinct(PATIENT_IDENTIFIER, 51, Duration.ofHours(1))),
            rule(
                "first",
                null,
                null,
                new KindSpec.FirstSeen(
                    List.of(AGENT_IDENTIFIER, PATIENT_IDENTIFIER), Duration.ofDays(90))),
            rule("silent", null, AGENT_IDENTIFIER, new KindSpec.Silence(Duration.ofMinutes(15)))));
    List<Observation> out =
        send(
            TestEvents.failed(event("f1", MONDAY_10, "alice", "p1")),
            event("s1", MONDAY_10, "alice", null));
    assertThat(out)
        .extracting(
            o ->
                o.ruleId()
                    + ":"
                    + o.eventId()
                    + ":"
                    + o.group()
                    + ":"
                    + o.steps()
                    + ":"
                    + o.values())
        .containsExactly(
            "seq:AuditEvent/f1:alice:[0]:[]",
            "distinct:AuditEvent/f1:alice:[]:[" + PATIENT_SYSTEM + "|p1]",
            "first:AuditEvent/f1::[]:[alice\u001f" + PATIENT_SYSTEM + "|p1]",
            "silent:AuditEvent/f1:" + TestEvents.SOURCE + ":[]:[]",
            // no patient: not counted by distinct nor first-seen
            "seq:AuditEvent/s1:alice:[1]:[]",
            "silent:AuditEvent/s1:" + TestEvents.SOURCE + ":[]:[]");
  }

  private static Practitioner practitioner(String id, String family, String line) {
    Practitioner p = new Practitioner();
    p.setId(id);
    p.addName().setFamily(family);
    p.addAddress().addLine(line);
    return p;
  }

  private static Patient patient(
      String value, String family, String line, String otherSystem, String otherValue) {
    Patient p = new Patient();
    p.setId("pat-" + value);
    p.addIdentifier().setSystem(PATIENT_SYSTEM).setValue(value);
    if (otherValue != null) {
      p.addIdentifier().setSystem(otherSystem).setValue(otherValue);
    }
    p.addName().setFamily(family);
    if (line != null) {
      p.addAddress().addLine(line).setCity("bern").setPostalCode("3000");
    }
    return p;
  }
}
