package org.atnabridge.streams.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.atnabridge.kafka.embedded.EmbeddedKafkaBroker;
import org.atnabridge.schemas.Topics;
import org.atnabridge.schemas.alert.Alert;
import org.atnabridge.streams.AlertStreams;
import org.atnabridge.streams.alert.rules.AlertRules;
import org.atnabridge.streams.alert.rules.KindSpec;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Device;
import org.hl7.fhir.r5.model.Identifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On the real broker: a node listed in {@code reference.nodes} that never sends is found silent,
 * once; a node both listed and heard from is one source. The broker is this test's own: it writes
 * reference nodes and an unchained event straight to {@code audit.enriched}, which the module's
 * other ITs (reference data, chain verification) must never read.
 */
class SilenceOfKnownNodesIT {

  private static final Duration AFTER = Duration.ofSeconds(20);

  @Test
  void listedNodeNeverHeardFrom_firesOnce_listedAndHeardFrom_isOneSource(@TempDir Path dir)
      throws Exception {
    try (EmbeddedKafkaBroker kafka = new EmbeddedKafkaBroker(dir, 0, Map.of()).start()) {
      kafka.createTopics(Topics.newTopics((short) 1));
      run(kafka);
    }
  }

  private static void run(EmbeddedKafkaBroker kafka) throws Exception {
    String bootstrap = kafka.bootstrapServers();
    String run = UUID.randomUUID().toString().substring(0, 8);
    String rule = run + "-quiet";
    String listed = "listed-" + run;
    String both = "both-" + run;
    AlertRules rules = TestRules.of(TestRules.rule(rule, null, null, new KindSpec.Silence(AFTER)));

    try (KafkaProducer<String, byte[]> producer = producer(bootstrap);
        AlertStreams alerts =
            AlertStreams.start(
                AlertStreamsIT.settings(bootstrap, Files.createTempDirectory("silence-it-")),
                () -> rules,
                new SimpleMeterRegistry())) {
      for (String node : List.of(listed, both)) {
        Device d = new Device().addIdentifier(new Identifier().setValue(node));
        d.setId(node);
        producer.send(
            new ProducerRecord<>(
                Topics.REFERENCE_NODES.name(),
                node,
                Topics.REFERENCE_NODES.valueSerde().serializer().serialize(null, d)));
      }
      AuditEvent e = TestEvents.event(run + "-e1", Instant.now(), "alice", "p1");
      e.getSource().getObserver().getIdentifier().setValue(both);
      producer.send(
          new ProducerRecord<>(
              Topics.AUDIT_ENRICHED.name(),
              e.getIdPart(),
              Topics.AUDIT_ENRICHED.valueSerde().serializer().serialize(null, e)));
      producer.flush();

      await()
          .atMost(Duration.ofSeconds(120))
          .until(
              () ->
                  CommittedRecords.alerts(bootstrap, rule).stream()
                          .map(Alert::group)
                          .distinct()
                          .count()
                      == 2);
      // another silence period: neither fires again, and "both" was never two sources
      Thread.sleep(AFTER.plus(Duration.ofSeconds(15)).toMillis());
      List<Alert> fired = CommittedRecords.alerts(bootstrap, rule);
      assertThat(fired).extracting(Alert::group).containsExactlyInAnyOrder(listed, both);
      Alert silentListed = fired.stream().filter(a -> a.group().equals(listed)).findFirst().get();
      assertThat(silentListed.eventCount()).isZero();
      Alert silentBoth = fired.stream().filter(a -> a.group().equals(both)).findFirst().get();
      assertThat(silentBoth.events()).containsExactly("AuditEvent/" + run + "-e1");
      assertThat(alerts.check()).isTrue();
    }
  }

  private static KafkaProducer<String, byte[]> producer(String bootstrap) {
    return new KafkaProducer<>(
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
        new StringSerializer(),
        new ByteArraySerializer());
  }
}
