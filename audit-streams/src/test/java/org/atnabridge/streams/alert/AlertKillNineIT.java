package org.atnabridge.streams.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.atnabridge.atna.AtnaConverter;
import org.atnabridge.kafka.embedded.EmbeddedKafkaBroker;
import org.atnabridge.schemas.Topics;
import org.atnabridge.schemas.alert.Alert;
import org.atnabridge.streams.AuditStreams;
import org.atnabridge.streams.enrich.EnrichmentConfig;
import org.atnabridge.testing.KafkaBrokerExtension;
import org.hl7.fhir.r5.model.AuditEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the alert application's JVM in the middle of a threshold window, then a restart on the
 * same state dir: the window's count survives in the state stores (restored from their changelogs),
 * so the 5th event fires exactly one alert on {@code audit.alerts} and writes exactly one Security
 * Alert AuditEvent to {@code audit.posted}: none lost, none duplicated. Events enter through {@code
 * audit.posted} and the real audit streams (which chain them into {@code audit.enriched}), as the
 * other alert ITs on this shared broker do.
 */
@ExtendWith(KafkaBrokerExtension.class)
class AlertKillNineIT {

  private static final String REPARTITION =
      AlertTopology.APPLICATION_ID + "-" + AlertTopology.OBSERVATIONS + "-repartition";

  @TempDir Path stateDir;

  @Test
  void killNineMidWindow_restart_fifthEventFiresExactlyOneAlert(EmbeddedKafkaBroker kafka)
      throws Exception {
    kafka.createTopics(Topics.newTopics((short) 1));
    String bootstrap = kafka.bootstrapServers();
    String run = "k9" + UUID.randomUUID().toString().substring(0, 8);
    String rule = run + "-logins";
    String user = "clerk-" + run;
    Instant t0 = Instant.now();
    List<AuditEvent> failures = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      failures.add(
          TestEvents.failed(TestEvents.event(run + "-" + i, t0.plusSeconds(i), user, "P" + i)));
    }
    try (KafkaProducer<String, byte[]> posted = posted(bootstrap);
        AuditStreams audit =
            AuditStreams.start(
                AlertChild.settings(bootstrap, Files.createTempDirectory("alert-k9-audit-")),
                new AtnaConverter(),
                EnrichmentConfig.defaults(),
                Path.of("target", "it-keys"))) {
      Process first = startChild(bootstrap, run);
      try {
        send(posted, failures.subList(0, 3));
        // the 3 events processed and committed by both stages: the window holds a count of 3
        await()
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(500))
            .until(() -> committedPast(bootstrap, run, 3));
        assertThat(CommittedRecords.alerts(bootstrap, rule)).isEmpty();
      } finally {
        first.destroyForcibly(); // SIGKILL: no close, no commit, no leaving the group
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
      }
      Process second = startChild(bootstrap, run);
      try {
        send(posted, failures.subList(3, 4));
        await()
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(500))
            .until(() -> committedPast(bootstrap, run, 4));
        assertThat(CommittedRecords.alerts(bootstrap, rule)).as("4 failures do not fire").isEmpty();
        send(posted, failures.subList(4, 5));
        await()
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(500))
            .until(() -> !CommittedRecords.alerts(bootstrap, rule).isEmpty());
        // and nothing more, once everything of this run has been processed and committed
        await()
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(500))
            .until(() -> committedPast(bootstrap, run, 5));
      } finally {
        second.destroy();
        second.waitFor(60, TimeUnit.SECONDS);
        second.destroyForcibly();
      }
    }
    List<Alert> alerts = CommittedRecords.alerts(bootstrap, rule);
    assertThat(alerts).hasSize(1);
    Alert alert = alerts.get(0);
    assertThat(alert.eventCount()).isEqualTo(5);
    assertThat(alert.events())
        .containsExactlyElementsOf(
            failures.stream().map(e -> "AuditEvent/" + e.getIdPart()).toList());
    assertThat(alert.group()).isEqualTo(user);
    List<AuditEvent> alertEvents =
        CommittedRecords.read(
                bootstrap,
                Topics.AUDIT_POSTED.name(),
                r ->
                    Topics.AUDIT_POSTED
                        .valueSerde()
                        .deserializer()
                        .deserialize(r.topic(), r.value()))
            .stream()
            .filter(e -> e.getCode().getCodingFirstRep().getCode().equals(rule))
            .toList();
    assertThat(alertEvents).hasSize(1);
    assertThat("AuditEvent/" + alertEvents.get(0).getIdPart()).isEqualTo(alert.auditEventId());
  }

  private static void send(KafkaProducer<String, byte[]> producer, List<AuditEvent> events) {
    for (AuditEvent e : events) {
      producer.send(
          new ProducerRecord<>(
              Topics.AUDIT_POSTED.name(),
              e.getIdPart(),
              Topics.AUDIT_POSTED
                  .valueSerde()
                  .serializer()
                  .serialize(Topics.AUDIT_POSTED.name(), e)));
    }
    producer.flush();
  }

  /**
   * True when the alert application's group has committed past the first {@code n} events of this
   * run on {@code audit.enriched} (stage 1) and past every observation of this run on its
   * repartition topic (stage 2): what they did is in the state stores' changelogs.
   */
  private static boolean committedPast(String bootstrap, String run, int n) throws Exception {
    Map<TopicPartition, Long> needed = new java.util.HashMap<>();
    int events = 0;
    for (ConsumerRecord<byte[], byte[]> r :
        CommittedRecords.of(bootstrap, Topics.AUDIT_ENRICHED.name())) {
      if (r.value() == null || !new String(r.value(), StandardCharsets.UTF_8).contains(run)) {
        continue; // another test's event: not parsed
      }
      AuditEvent e =
          Topics.AUDIT_ENRICHED.valueSerde().deserializer().deserialize(r.topic(), r.value());
      if (e != null && e.getIdPart().startsWith(run + "-")) {
        events++;
        needed.merge(new TopicPartition(r.topic(), r.partition()), r.offset() + 1, Math::max);
      }
    }
    if (events < n) {
      return false;
    }
    int observations = 0;
    for (ConsumerRecord<byte[], byte[]> r : CommittedRecords.of(bootstrap, REPARTITION)) {
      if (r.key() != null && new String(r.key(), StandardCharsets.UTF_8).contains(run)) {
        observations++;
        needed.merge(new TopicPartition(r.topic(), r.partition()), r.offset() + 1, Math::max);
      }
    }
    if (observations < n) {
      return false;
    }
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin
              .listConsumerGroupOffsets(AlertTopology.APPLICATION_ID)
              .partitionsToOffsetAndMetadata()
              .get(30, TimeUnit.SECONDS);
      return needed.entrySet().stream()
          .allMatch(
              e ->
                  committed.get(e.getKey()) != null
                      && committed.get(e.getKey()).offset() >= e.getValue());
    }
  }

  private static KafkaProducer<String, byte[]> posted(String bootstrap) {
    return new KafkaProducer<>(
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
        new StringSerializer(),
        new org.apache.kafka.common.serialization.ByteArraySerializer());
  }

  private Process startChild(String bootstrap, String run) throws IOException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path log = Files.createTempFile("alert-child-", ".log");
    Process p =
        new ProcessBuilder(
                java.toString(),
                "-Xmx384m",
                "-cp",
                System.getProperty("java.class.path"),
                AlertChild.class.getName(),
                bootstrap,
                stateDir.toString(),
                run)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> Files.readString(log).contains(AlertChild.READY) || !p.isAlive());
    assertThat(p.isAlive())
        .as("alert child died; log %s:\n%s", log, Files.readString(log))
        .isTrue();
    return p;
  }
}
