package org.atnabridge.streams.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.atnabridge.streams.subscription.SubscriptionFixtures.USER;
import static org.atnabridge.streams.subscription.SubscriptionFixtures.event;
import static org.atnabridge.streams.subscription.SubscriptionFixtures.json;
import static org.atnabridge.streams.subscription.SubscriptionFixtures.labelled;
import static org.atnabridge.streams.subscription.SubscriptionFixtures.other;
import static org.atnabridge.streams.subscription.SubscriptionFixtures.patientScoped;
import static org.atnabridge.streams.subscription.SubscriptionFixtures.subscription;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.LongStream;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.atnabridge.schemas.Topics;
import org.atnabridge.schemas.subscription.BuiltInTopics;
import org.atnabridge.schemas.subscription.SubscriberAccess;
import org.atnabridge.schemas.subscription.SubscriptionNotification;
import org.atnabridge.schemas.subscription.SubscriptionNotificationJson;
import org.atnabridge.schemas.vocab.CodeSystems;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.CodeableConcept;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.Enumerations.SubscriptionStatusCodes;
import org.hl7.fhir.r5.model.Subscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The matcher's topology on the test driver: which events each subscription gets (every {@code
 * canFilterBy} parameter of the audit-event topic, with its modifiers, the creator's access, status
 * and end) and how they are numbered.
 */
class SubscriptionTopologyTest {

  private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

  @TempDir Path state;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private TopologyTestDriver driver;
  private TestInputTopic<String, byte[]> subscriptions;
  private TestInputTopic<String, AuditEvent> enriched;
  private TestOutputTopic<String, byte[]> notifications;

  @BeforeEach
  void start() {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, SubscriptionTopology.APPLICATION_ID);
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    p.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    driver =
        new TopologyTestDriver(
            SubscriptionTopology.build(Clock.fixed(NOW, ZoneOffset.UTC), registry), p);
    subscriptions =
        driver.createInputTopic(
            Topics.AUDIT_SUBSCRIPTIONS.name(), new StringSerializer(), new ByteArraySerializer());
    enriched =
        driver.createInputTopic(
            Topics.AUDIT_ENRICHED.name(),
            new StringSerializer(),
            Topics.AUDIT_ENRICHED.valueSerde().serializer());
    notifications =
        driver.createOutputTopic(
            Topics.AUDIT_NOTIFICATIONS.name(),
            new StringDeserializer(),
            new ByteArrayDeserializer());
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "patient:identifier=urn:oid:1.2.3.4|p1",
        "patient:identifier=p1",
        "agent:identifier=alice",
        "category=http://dicom.nema.org/resources/ontology/DCM|110110",
        "category=110110",
        "category:not=110112",
        "type=110110",
        "code=http://dicom.nema.org/resources/ontology/DCM|110110",
        "subtype=110110",
        "action=R",
        "action:not=E",
        "outcome=0",
        "outcome:not=8",
        "source:identifier=EHR-1",
        "entity=DocumentReference/d1",
        "entity=d1",
        "purpose=http://terminology.hl7.org/CodeSystem/v3-ActReason|TREAT",
        "purpose=TREAT",
      })
  void eachFilter_meansWhatTheSearchParameterMeans(String filter) {
    store("s1", subscription(filter));
    enriched.pipeInput("e1", event("e1", "p1"));
    enriched.pipeInput("e2", other("e2"));
    assertThat(numbered()).containsExactly("s1#1:e1");
  }

  @Test
  void missingModifier_matchesEventsWithoutOrWithTheParameter() {
    store("without", subscription("patient:missing=true"));
    store("with", subscription("patient:missing=false"));
    enriched.pipeInput("e1", event("e1", null));
    enriched.pipeInput("e2", event("e2", "p1"));
    assertThat(numbered()).containsExactlyInAnyOrder("without#1:e1", "with#1:e2");
  }

  @Test
  void commaIsOr_entriesAreAnd_theSameParameterTwiceIsAnd() {
    store("or", subscription("outcome=0,8"));
    store("and", subscription("outcome=0", "agent:identifier=alice"));
    store("twice", subscription("category=110110", "category=110112"));
    enriched.pipeInput("e1", event("e1", "p1"));
    enriched.pipeInput("e2", other("e2"));
    assertThat(numbered()).containsExactlyInAnyOrder("or#1:e1", "or#2:e2", "and#1:e1");
  }

  @Test
  void noFilter_everyEvent_securityAlertTopic_onlySecurityAlerts() {
    store("all", subscription());
    store("alerts", subscription(BuiltInTopics.SECURITY_ALERT, USER));
    store("failedAlerts", subscription(BuiltInTopics.SECURITY_ALERT, USER, "outcome=8"));
    AuditEvent alert = event("e2", null);
    alert.getCategoryFirstRep().getCodingFirstRep().setCode("110113");
    enriched.pipeInput("e1", event("e1", "p1"));
    enriched.pipeInput("e2", alert);
    List<SubscriptionNotification> out = read();
    assertThat(out)
        .extracting(n -> n.subscriptionId() + "#" + n.eventNumber() + ":" + n.event().getIdPart())
        .containsExactlyInAnyOrder("all#1:e1", "all#2:e2", "alerts#1:e2");
    assertThat(out)
        .filteredOn(n -> n.subscriptionId().equals("alerts"))
        .extracting(SubscriptionNotification::topic)
        .containsExactly(BuiltInTopics.SECURITY_ALERT);
  }

  @ParameterizedTest
  @ValueSource(strings = {"requested", "active", "error"})
  void requestedActiveAndError_areMatched(String status) {
    Subscription s = subscription("outcome=0");
    s.setStatus(SubscriptionStatusCodes.fromCode(status));
    store("s1", s);
    enriched.pipeInput("e1", event("e1", "p1"));
    assertThat(numbered()).containsExactly("s1#1:e1");
  }

  @Test
  void offDeletedEndedUnknownTopicOrWithoutAccess_getNothing() {
    Subscription off = subscription("outcome=0");
    off.setStatus(SubscriptionStatusCodes.OFF);
    store("off", off);
    store("deleted", subscription("outcome=0"));
    subscriptions.pipeInput("deleted", (byte[]) null);
    Subscription ended = subscription("outcome=0");
    ended.setEnd(Date.from(NOW.minusSeconds(1)));
    store("ended", ended);
    Subscription running = subscription("outcome=0");
    running.setEnd(Date.from(NOW.plusSeconds(60)));
    store("running", running);
    store(
        "unknownTopic",
        subscription("http://example.org/SubscriptionTopic/other", USER, "outcome=0"));
    store("noAccess", SubscriberAccess.strip(subscription("outcome=0")));
    store("badFilter", subscription("no-such-parameter=1"));
    enriched.pipeInput("e1", event("e1", "p1"));
    assertThat(numbered()).containsExactly("running#1:e1");
  }

  @Test
  void patientScopedSubscriber_filteringOnAnotherPatient_getsNothing() {
    SubscriberAccess p1 = patientScoped("p1");
    store("another", subscription(BuiltInTopics.AUDIT_EVENT, p1, "patient:identifier=p2"));
    store("own", subscription(BuiltInTopics.AUDIT_EVENT, p1, "patient:identifier=p1"));
    store("unfiltered", subscription(BuiltInTopics.AUDIT_EVENT, p1));
    store(
        "noPatient",
        subscription(
            BuiltInTopics.AUDIT_EVENT,
            new SubscriberAccess("patient-user", null, null, Set.of(), true)));
    enriched.pipeInput("e1", event("e1", "p1"));
    enriched.pipeInput("e2", other("e2")); // patient p2
    enriched.pipeInput("e3", event("e3", null));
    assertThat(numbered()).containsExactlyInAnyOrder("own#1:e1", "unfiltered#1:e1");
  }

  @Test
  void eventsAboveTheCreatorsClearance_areNeverNumbered() {
    store("default", subscription("outcome=0"));
    store(
        "restricted",
        subscription(
            BuiltInTopics.AUDIT_EVENT,
            new SubscriberAccess("user-2", null, null, Set.of("R"), false),
            "outcome=0"));
    enriched.pipeInput("e1", labelled(event("e1", "p1"), "R"));
    enriched.pipeInput("e2", labelled(event("e2", "p1"), "V"));
    enriched.pipeInput("e3", labelled(event("e3", "p1"), "N"));
    assertThat(numbered())
        .containsExactlyInAnyOrder("restricted#1:e1", "default#1:e3", "restricted#2:e3");
  }

  @Test
  void numbers_areContiguousPerSubscription_andSurviveUpdatesAndStatusChanges() {
    store("a", subscription("agent:identifier=alice"));
    store("b", subscription("outcome=0"));
    for (int i = 1; i <= 30; i++) {
      enriched.pipeInput("e" + i, i % 3 == 0 ? other("e" + i) : event("e" + i, "p" + i));
    }
    Subscription off = subscription("agent:identifier=alice");
    off.setStatus(SubscriptionStatusCodes.OFF);
    store("a", off);
    enriched.pipeInput("e31", event("e31", "p1")); // a is off: only b
    store("a", subscription("agent:identifier=alice", "action=R")); // back on, filter changed
    enriched.pipeInput("e32", event("e32", "p1"));
    List<SubscriptionNotification> out = read();
    assertThat(out.stream().filter(n -> n.subscriptionId().equals("a")))
        .extracting(SubscriptionNotification::eventNumber)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, 21).boxed().toList());
    assertThat(out.stream().filter(n -> n.subscriptionId().equals("b")))
        .extracting(SubscriptionNotification::eventNumber)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, 22).boxed().toList());
    assertThat(out)
        .allSatisfy(
            n -> {
              assertThat(n.matchedAt()).isEqualTo(NOW);
              assertThat(n.topic()).isEqualTo(BuiltInTopics.AUDIT_EVENT);
            });
    assertThat(registry.get(SubscriptionMeters.NOTIFICATIONS).counter().count()).isEqualTo(43);
    assertThat(registry.get(SubscriptionMeters.MATCHED).counter().count()).isEqualTo(43);
    assertThat(registry.get(SubscriptionMeters.EVALUATED).counter().count()).isEqualTo(32);
  }

  @Test
  void notifications_areKeyedBySubscriptionId_andCarryTheWholeEvent() {
    store("s1", subscription("outcome=0"));
    enriched.pipeInput("e1", event("e1", "p1"));
    var record = notifications.readRecord();
    assertThat(record.key()).isEqualTo("s1");
    SubscriptionNotification n = SubscriptionNotificationJson.read(record.value());
    assertThat(n.focus()).isEqualTo("AuditEvent/e1");
    assertThat(n.event().getPatient().getIdentifier().getValue()).isEqualTo("p1");
    assertThat(n.event().getEntityFirstRep().getWhat().getReference())
        .isEqualTo("DocumentReference/d1");
  }

  @Test
  void aDeletedSubscriptionsCounter_isRemovedBySweep_andNothingMoreIsNumbered() {
    store("s1", subscription("outcome=0"));
    store("s2", subscription("outcome=0"));
    enriched.pipeInput("e1", event("e1", "p1"));
    subscriptions.pipeInput("s1", (byte[]) null);
    enriched.pipeInput("e2", event("e2", "p1"));
    driver.advanceWallClockTime(NumberingProcessor.SWEEP.plus(Duration.ofSeconds(1)));
    KeyValueStore<String, Long> numbers =
        driver.getKeyValueStore(SubscriptionTopology.NUMBERS_STORE);
    assertThat(numbers.get("s1")).isNull();
    assertThat(numbers.get("s2")).isEqualTo(2L);
    assertThat(numbered()).containsExactlyInAnyOrder("s1#1:e1", "s2#1:e1", "s2#2:e2");
  }

  @Test
  void unreadableEvents_areCountedAndSkipped() {
    store("s1", subscription());
    TestInputTopic<String, byte[]> raw =
        driver.createInputTopic(
            Topics.AUDIT_ENRICHED.name(), new StringSerializer(), new ByteArraySerializer());
    raw.pipeInput("x", "{not json".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    AuditEvent noRecorded = event("e0", "p1");
    noRecorded.setRecorded(null);
    enriched.pipeInput("e0", noRecorded);
    enriched.pipeInput("e1", event("e1", "p1"));
    assertThat(numbered()).containsExactly("s1#1:e1");
    assertThat(registry.get(SubscriptionMeters.UNREADABLE).counter().count()).isEqualTo(2);
  }

  @Test
  void topology_repartitionsMatchesBySubscriptionId() {
    String described =
        SubscriptionTopology.build(Clock.systemUTC(), new SimpleMeterRegistry())
            .describe()
            .toString();
    assertThat(described)
        .contains(SubscriptionTopology.MATCHES + "-repartition")
        .contains(SubscriptionTopology.NUMBERS_STORE)
        .contains(Topics.AUDIT_SUBSCRIPTIONS.name());
  }

  @Test
  void securityAlertCategory_isTheDicomCode() {
    AuditEvent e = event("e1", null);
    e.setCategory(
        List.of(new CodeableConcept(new Coding("http://example.org/other", "110113", null))));
    store("alerts", subscription(BuiltInTopics.SECURITY_ALERT, USER));
    enriched.pipeInput("e1", e);
    assertThat(numbered()).isEmpty();
    e.setCategory(List.of(new CodeableConcept(new Coding(CodeSystems.DCM, "110113", null))));
    e.setId("e2");
    enriched.pipeInput("e2", e);
    assertThat(numbered()).containsExactly("alerts#1:e2");
  }

  private void store(String id, Subscription s) {
    subscriptions.pipeInput(id, json(s));
  }

  private List<SubscriptionNotification> read() {
    return notifications.readValuesToList().stream()
        .map(SubscriptionNotificationJson::read)
        .toList();
  }

  /** {@code subscription#eventNumber:eventId} of each notification written. */
  private List<String> numbered() {
    return read().stream()
        .map(n -> n.subscriptionId() + "#" + n.eventNumber() + ":" + n.event().getIdPart())
        .toList();
  }
}
