package org.atnabridge.streams.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.atnabridge.streams.alert.TestEvents.event;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.atnabridge.schemas.Topics;
import org.atnabridge.schemas.alert.Alert;
import org.atnabridge.schemas.alert.AlertJson;
import org.atnabridge.streams.alert.rules.AlertRules;
import org.atnabridge.streams.alert.rules.KindSpec;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Device;
import org.hl7.fhir.r5.model.Identifier;
import org.hl7.fhir.r5.model.Resource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Silence of sources known from reference data ({@code reference.nodes}), through the whole alert
 * topology in Kafka Streams' test driver: a listed node is watched from when the engine reads it,
 * fires once after {@code after} without a single event, is one source with its own events, and is
 * forgotten when removed from reference data unless it was heard from.
 */
class SilenceOfKnownNodesTest {

  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  private static final Duration AFTER = Duration.ofMinutes(15);
  private static final Duration TICK = RuleStateProcessor.DEFAULT_PUNCTUATION;

  @TempDir java.nio.file.Path state;
  private final MutableClock clock = new MutableClock(T0);
  private final AtomicReference<AlertRules> rules =
      new AtomicReference<>(TestRules.of(quiet("quiet")));
  private TopologyTestDriver driver;
  private TestInputTopic<String, AuditEvent> enriched;
  private TestInputTopic<String, Resource> nodes;
  private TestOutputTopic<String, byte[]> alerts;
  private final List<Alert> fired = new ArrayList<>();

  private static org.atnabridge.streams.alert.rules.AlertRule quiet(String id) {
    return TestRules.rule(id, null, null, new KindSpec.Silence(AFTER));
  }

  @BeforeEach
  void start() {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, AlertTopology.APPLICATION_ID);
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    p.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
    driver =
        new TopologyTestDriver(
            AlertTopology.build(rules::get, clock, new SimpleMeterRegistry()), p, T0);
    enriched =
        driver.createInputTopic(
            Topics.AUDIT_ENRICHED.name(),
            new StringSerializer(),
            Topics.AUDIT_ENRICHED.valueSerde().serializer());
    nodes =
        driver.createInputTopic(
            Topics.REFERENCE_NODES.name(),
            new StringSerializer(),
            Topics.REFERENCE_NODES.valueSerde().serializer());
    alerts =
        driver.createOutputTopic(
            Topics.AUDIT_ALERTS.name(), new StringDeserializer(), new ByteArrayDeserializer());
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  @Test
  void listedNode_neverHeardFrom_firesOnceAfterTheSilence_andAgainOnlyAfterBeingHeardFrom() {
    list("EHR-9");
    advance(AFTER);
    assertThat(fired()).as("exactly 15 min is not yet longer than 15 min").isEmpty();

    advance(TICK);
    assertThat(fired()).hasSize(1);
    Alert a = fired.getFirst();
    assertThat(a.group()).isEqualTo("EHR-9");
    assertThat(a.eventCount()).isZero();
    assertThat(a.events()).isEmpty();
    assertThat(a.windowStart()).isEqualTo(T0);
    assertThat(a.firedAt()).isEqualTo(T0.plus(AFTER));
    assertThat(a.summary())
        .isEqualTo(
            "known from reference data since 2026-12-01T10:00:00Z, never heard from (longer than"
                + " PT15M) for group EHR-9");

    advance(Duration.ofMinutes(30));
    assertThat(fired()).as("once per silence").hasSize(1);

    Instant heard = clock.instant();
    hear("e1", "EHR-9", heard);
    advance(AFTER.plus(TICK));
    assertThat(fired()).hasSize(2);
    assertThat(fired.get(1).events()).containsExactly("AuditEvent/e1");
    assertThat(fired.get(1).windowStart()).isEqualTo(heard);
  }

  @Test
  void nodeListedAndHeardFrom_isOneSource_whicheverCameFirst() {
    list("EHR-1");
    advance(Duration.ofMinutes(1));
    hear("e1", "EHR-1", clock.instant());
    hear("e2", "EHR-2", clock.instant());
    list("EHR-2");
    assertThat(silenceClocks()).as("one clock per rule and source").hasSize(2);

    advance(AFTER.plus(TICK));
    assertThat(fired())
        .extracting(Alert::group)
        .as("each fires once, measured from its event")
        .containsExactlyInAnyOrder("EHR-1", "EHR-2");
    assertThat(fired)
        .allSatisfy(a -> assertThat(a.windowStart()).isEqualTo(T0.plus(Duration.ofMinutes(1))));
    advance(Duration.ofHours(1));
    assertThat(fired()).hasSize(2);
  }

  @Test
  void nodeRemovedFromReferenceData_isForgotten_unlessHeardFrom() {
    list("EHR-8");
    list("EHR-9");
    hear("e1", "EHR-9", T0);
    advance(Duration.ofMinutes(5));
    nodes.pipeInput("EHR-8", null, clock.instant());
    nodes.pipeInput("EHR-9", null, clock.instant());
    assertThat(silenceClocks()).hasSize(1);

    advance(AFTER.plus(TICK));
    assertThat(fired()).extracting(Alert::group).containsExactly("EHR-9");
  }

  @Test
  void networkAddressKeys_areNotAuditSourceIds_andNotWatched() {
    list("10.1.2.3");
    list("fe80::1");
    advance(AFTER.plus(AFTER));
    assertThat(fired()).isEmpty();
    assertThat(silenceClocks()).isEmpty();
  }

  @Test
  void silenceRuleAddedByAReload_watchesTheNodesListedBefore() {
    rules.set(TestRules.of(TestRules.match("other", "outcome:not=0")));
    list("EHR-9");
    advance(TICK);
    assertThat(silenceClocks()).isEmpty();

    rules.set(TestRules.of(quiet("quiet")));
    Instant reloaded = clock.instant();
    advance(TICK);
    assertThat(silenceClocks()).hasSize(1);
    advance(AFTER.plus(TICK));
    assertThat(fired()).hasSize(1);
    assertThat(fired.getFirst().windowStart()).isBetween(reloaded, reloaded.plus(TICK));
  }

  private void list(String node) {
    Device d = new Device().addIdentifier(new Identifier().setValue(node));
    d.setId(node);
    nodes.pipeInput(node, d, clock.instant());
  }

  private void hear(String id, String source, Instant recorded) {
    AuditEvent e = event(id, recorded, "alice", "p1");
    e.getSource().getObserver().getIdentifier().setValue(source);
    enriched.pipeInput(id, e, recorded);
  }

  /** Both clocks: the engine's and the driver's (its wall-clock punctuations). */
  private void advance(Duration d) {
    for (Duration left = d; !left.isZero(); ) {
      Duration step = left.compareTo(TICK) < 0 ? left : TICK;
      clock.advance(step);
      driver.advanceWallClockTime(step);
      left = left.minus(step);
    }
  }

  private List<Alert> fired() {
    alerts.readValuesToList().forEach(v -> fired.add(AlertJson.read(v)));
    return fired;
  }

  private List<String> silenceClocks() {
    KeyValueStore<String, SilenceClock> store = driver.getKeyValueStore(AlertStateStores.SILENCE);
    List<String> keys = new ArrayList<>();
    try (var it = store.all()) {
      it.forEachRemaining(kv -> keys.add(kv.key));
    }
    return keys;
  }
}
