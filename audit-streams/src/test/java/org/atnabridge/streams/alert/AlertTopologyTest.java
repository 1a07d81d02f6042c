package org.atnabridge.streams.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.atnabridge.streams.alert.TestEvents.PATIENT_SYSTEM;
import static org.atnabridge.streams.alert.TestEvents.event;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.atnabridge.schemas.Topics;
import org.atnabridge.schemas.alert.Alert;
import org.atnabridge.schemas.alert.AlertJson;
import org.atnabridge.schemas.vocab.CodeSystems;
import org.hl7.fhir.r5.model.AuditEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole alert topology in Kafka Streams' test driver with a {@code match} rule: what stage 3
 * writes to {@code audit.alerts} and {@code audit.posted}, and that its own alert event, read back
 * from {@code audit.enriched}, fires nothing.
 */
class AlertTopologyTest {

  private static final Instant DETECTED = Instant.parse("2026-12-01T12:00:00Z");
  private static final Instant AT = Instant.parse("2026-11-30T09:00:00Z");

  @TempDir java.nio.file.Path state;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final java.util.concurrent.atomic.AtomicReference<
          org.atnabridge.streams.alert.rules.AlertRules>
      rules = new java.util.concurrent.atomic.AtomicReference<>();
  private TopologyTestDriver driver;
  private TestInputTopic<String, AuditEvent> enriched;
  private TestOutputTopic<String, byte[]> alerts;
  private TestOutputTopic<String, AuditEvent> posted;

  @BeforeEach
  void start() {
    rules.set(TestRules.of(TestRules.match("failures", "outcome:not=0")));
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, AlertTopology.APPLICATION_ID);
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    p.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
    driver =
        new TopologyTestDriver(
            AlertTopology.build(rules::get, Clock.fixed(DETECTED, ZoneOffset.UTC), registry), p);
    enriched =
        driver.createInputTopic(
            Topics.AUDIT_ENRICHED.name(),
            new StringSerializer(),
            Topics.AUDIT_ENRICHED.valueSerde().serializer());
    alerts =
        driver.createOutputTopic(
            Topics.AUDIT_ALERTS.name(), new StringDeserializer(), new ByteArrayDeserializer());
    posted =
        driver.createOutputTopic(
            Topics.AUDIT_POSTED.name(),
            new StringDeserializer(),
            Topics.AUDIT_POSTED.valueSerde().deserializer());
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  @Test
  void topology_repartitionsObservationsThroughAnInternalTopic() {
    String described =
        AlertTopology.build(() -> TestRules.of(), Clock.systemUTC(), registry)
            .describe()
            .toString();
    assertThat(described).contains("alert-observations-repartition");
    assertThat(described).contains(AlertTopology.STATE).contains(AlertTopology.EMIT);
    TopologyDescription d =
        AlertTopology.build(() -> TestRules.of(), Clock.systemUTC(), registry).describe();
    assertThat(d.subtopologies()).as("match | state + emit").hasSize(2);
  }

  @Test
  void matchRule_writesOneAlertAndOneSecurityAlertEventPerMatchingEvent() {
    enriched.pipeInput("ok", event("ok", AT, "alice", "p1"), AT);
    AuditEvent bad = TestEvents.failed(event("bad", AT, "alice", "p1"));
    enriched.pipeInput("bad", bad, AT);

    List<TestRecord<String, byte[]>> written = alerts.readRecordsToList();
    assertThat(written).hasSize(1);
    Alert a = AlertJson.read(written.get(0).value());
    assertThat(written.get(0).key()).isEqualTo(a.id()).matches("[0-9a-f]{64}");
    assertThat(a.rule())
        .isEqualTo(
            new Alert.RuleRef("failures", "Rule failures", "match", "high", "test rule failures"));
    assertThat(a.group()).isNull();
    assertThat(a.firedAt()).isEqualTo(AT);
    assertThat(a.detectedAt()).isEqualTo(DETECTED);
    assertThat(a.windowStart()).isNull();
    assertThat(a.late()).isFalse();
    assertThat(a.eventCount()).isEqualTo(1);
    assertThat(a.events()).containsExactly("AuditEvent/bad");
    assertThat(a.agents()).containsExactly(new Alert.Party(null, null, "alice", "alice"));
    assertThat(a.patients()).containsExactly(new Alert.Party(null, PATIENT_SYSTEM, "p1", null));
    assertThat(a.channels()).containsExactly("soc");

    List<TestRecord<String, AuditEvent>> events = posted.readRecordsToList();
    assertThat(events).hasSize(1);
    AuditEvent e = events.get(0).value();
    assertThat(a.auditEventId()).isEqualTo("AuditEvent/" + events.get(0).key());
    assertThat(e.getIdPart()).isEqualTo(events.get(0).key()).matches("[0-9a-f]{40}");
    assertThat(e.getCategoryFirstRep().getCodingFirstRep().getSystem()).isEqualTo(CodeSystems.DCM);
    assertThat(e.getCategoryFirstRep().getCodingFirstRep().getCode()).isEqualTo("110113");
    assertThat(e.getCode().getCodingFirstRep().getSystem()).isEqualTo(CodeSystems.ALERT_RULE);
    assertThat(e.getCode().getCodingFirstRep().getCode()).isEqualTo("failures");
    assertThat(e.getSeverity().toCode()).isEqualTo("error");
    assertThat(e.getAction()).isEqualTo(AuditEvent.AuditEventAction.E);
    assertThat(e.getRecorded().toInstant()).isEqualTo(DETECTED);
    assertThat(e.getOutcome().getCode().getCode()).isEqualTo("0");
    assertThat(e.getMeta().getTag(CodeSystems.RECORD_ORIGIN, CodeSystems.ALERT)).isNotNull();
    assertThat(e.getAgent())
        .extracting(ag -> ag.getWho().getIdentifier().getValue() + ":" + ag.getRequestor())
        .containsExactly(SecurityAlertEvent.PRODUCT + ":true", "alice:false");
    assertThat(e.getPatient().getIdentifier().getValue()).isEqualTo("p1");
    assertThat(e.getSource().getObserver().getIdentifier().getValue())
        .isEqualTo(SecurityAlertEvent.PRODUCT);
    assertThat(e.getEntity()).hasSize(2);
    AuditEvent.AuditEventEntityComponent alertEntity = e.getEntity().get(0);
    assertThat(alertEntity.getWhat().getIdentifier().getSystem()).isEqualTo(CodeSystems.ALERT_ID);
    assertThat(alertEntity.getWhat().getIdentifier().getValue()).isEqualTo(a.id());
    assertThat(alertEntity.getDetail())
        .anySatisfy(
            dt -> {
              assertThat(dt.getType().getText()).isEqualTo("event-count");
              assertThat(dt.getValueIntegerType().getValue()).isEqualTo(1);
            });
    assertThat(e.getEntity().get(1).getWhat().getReference()).isEqualTo("AuditEvent/bad");
    assertThat(registry.get(AlertMeters.FIRED).tag("rule", "failures").counter().count())
        .isEqualTo(1);

    // the alert's own AuditEvent, back from the chain on audit.enriched: not evaluated again, not
    // even by a rule (swapped in as a reload would) that matches every event
    rules.set(TestRules.of(TestRules.match("everything", null)));
    enriched.pipeInput("other", event("other", AT, "bob", "p2"), AT);
    assertThat(alerts.readRecordsToList()).hasSize(1);
    enriched.pipeInput(e.getIdPart(), e, AT);
    assertThat(alerts.readRecordsToList()).isEmpty();
    assertThat(registry.get(AlertMeters.SKIPPED).counter().count()).isEqualTo(1);
  }

  @Test
  void theSameEventAgain_writesTheSameAlertIdAndEventId() {
    AuditEvent bad = TestEvents.failed(event("bad", AT, "alice", "p1"));
    enriched.pipeInput("bad", bad, AT);
    enriched.pipeInput("bad", bad, AT);
    List<String> ids = alerts.readKeyValuesToList().stream().map(kv -> kv.key).toList();
    List<String> eventIds = posted.readKeyValuesToList().stream().map(kv -> kv.key).toList();
    assertThat(ids).hasSize(2);
    assertThat(ids.get(0)).isEqualTo(ids.get(1));
    assertThat(eventIds.get(0)).isEqualTo(eventIds.get(1));
  }
}
