package org.atnabridge.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.atnabridge.atna.AtnaConverter;
import org.atnabridge.kafka.embedded.EmbeddedKafkaBroker;
import org.atnabridge.schemas.EventHeaders;
import org.atnabridge.schemas.Topics;
import org.atnabridge.schemas.chain.ChainLink;
import org.atnabridge.streams.enrich.EnrichmentConfig;
import org.atnabridge.testing.KafkaBrokerExtension;
import org.atnabridge.testing.TopicReaders;
import org.hl7.fhir.r5.model.AuditEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Upgrade from the topology that read {@code audit.events} back, on the real broker: the former
 * application had committed its {@code audit.events} offsets past some records; after them an API
 * had posted one more event there (in flight during the upgrade) and the former task had written
 * one converted, marked event. The upgraded application chains the in-flight posted event exactly
 * once, leaves what was read before and the marked one alone, keeps no {@code audit.events}
 * offsets, and does not hand anything over a second time when restarted.
 */
@ExtendWith(KafkaBrokerExtension.class)
class PostedEventsHandoverIT {

  @Test
  void upgrade_postedRecordInFlight_chainedOnce_readAndMarkedOnesLeft_handedOverOnlyOnce(
      EmbeddedKafkaBroker kafka) throws Exception {
    AuditStreamsIT.resetTopics(kafka);
    String bootstrap = kafka.bootstrapServers();
    AuditEvent read = Samples.event(180_001);
    AuditEvent readMarked = Samples.event(180_002);
    AuditEvent inFlight = Samples.event(180_003);
    AuditEvent marked = Samples.event(180_004);
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
        KafkaProducer<String, AuditEvent> former =
            new KafkaProducer<>(
                Map.of("bootstrap.servers", bootstrap),
                Topics.AUDIT_EVENTS.keySerde().serializer(),
                Topics.AUDIT_EVENTS.valueSerde().serializer())) {
      former.send(new ProducerRecord<>(Topics.AUDIT_EVENTS.name(), read.getIdPart(), read)).get();
      former.send(markedRecord(readMarked)).get();
      // the former application read and chained everything up to here
      admin.alterConsumerGroupOffsets(AuditTopology.APPLICATION_ID, endOffsets(admin)).all().get();
      former
          .send(new ProducerRecord<>(Topics.AUDIT_EVENTS.name(), inFlight.getIdPart(), inFlight))
          .get();
      former.send(markedRecord(marked)).get();

      Set<String> ours =
          Set.of(
              read.getIdPart(), readMarked.getIdPart(), inFlight.getIdPart(), marked.getIdPart());
      List<AuditEvent> chained = new ArrayList<>();
      try (AuditStreams streams =
              AuditStreams.start(
                  AuditStreamsIT.settings(bootstrap, "handover"),
                  new AtnaConverter(),
                  EnrichmentConfig.defaults(),
                  AuditStreamsIT.KEYS);
          KafkaConsumer<String, AuditEvent> out = TestKafka.enrichedConsumer(bootstrap)) {
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () -> {
                  TestKafka.poll(out).stream()
                      .map(ConsumerRecord::value)
                      .filter(e -> ours.contains(e.getIdPart()))
                      .forEach(chained::add);
                  return chained.stream().anyMatch(e -> e.getIdPart().equals(inFlight.getIdPart()));
                });
        assertThat(streams.check()).isTrue();
      }
      assertThat(auditEventsOffsets(admin))
          .as("no audit.events offsets left: the hand-over is done")
          .isEmpty();
      assertThat(postedIds(bootstrap, ours)).containsExactly(inFlight.getIdPart());

      // a second start finds nothing to hand over
      try (AuditStreams again =
          AuditStreams.start(
              AuditStreamsIT.settings(bootstrap, "handover-again"),
              new AtnaConverter(),
              EnrichmentConfig.defaults(),
              AuditStreamsIT.KEYS)) {
        assertThat(again.check()).isTrue();
      }
      assertThat(postedIds(bootstrap, ours)).containsExactly(inFlight.getIdPart());

      List<AuditEvent> all =
          TestKafka.enrichedAll(bootstrap).stream()
              .filter(e -> ours.contains(e.getIdPart()))
              .toList();
      assertThat(all).extracting(AuditEvent::getIdPart).containsExactly(inFlight.getIdPart());
      assertThat(ChainLink.from(all.get(0))).isNotNull();
    }
  }

  private static ProducerRecord<String, AuditEvent> markedRecord(AuditEvent e) {
    ProducerRecord<String, AuditEvent> r =
        new ProducerRecord<>(Topics.AUDIT_EVENTS.name(), e.getIdPart(), e);
    r.headers()
        .add(
            EventHeaders.CHAINED_BY, AuditTopology.APPLICATION_ID.getBytes(StandardCharsets.UTF_8));
    return r;
  }

  private static Map<TopicPartition, OffsetAndMetadata> endOffsets(Admin admin) throws Exception {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (int p = 0; p < Topics.AUDIT_EVENTS.partitions(); p++) {
      latest.put(new TopicPartition(Topics.AUDIT_EVENTS.name(), p), OffsetSpec.latest());
    }
    Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
    admin
        .listOffsets(latest)
        .all()
        .get()
        .forEach((tp, info) -> out.put(tp, new OffsetAndMetadata(info.offset())));
    return out;
  }

  private static Map<TopicPartition, OffsetAndMetadata> auditEventsOffsets(Admin admin)
      throws Exception {
    Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
    admin
        .listConsumerGroupOffsets(AuditTopology.APPLICATION_ID)
        .partitionsToOffsetAndMetadata()
        .get()
        .forEach(
            (tp, o) -> {
              if (o != null && tp.topic().equals(Topics.AUDIT_EVENTS.name())) {
                out.put(tp, o);
              }
            });
    return out;
  }

  /** The ids among {@code ours} on {@code audit.posted}, committed, one entry per record. */
  private static List<String> postedIds(String bootstrap, Set<String> ours) {
    List<String> ids = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r :
        TopicReaders.committed(bootstrap, Topics.AUDIT_POSTED.name())) {
      String key = new String(r.key(), StandardCharsets.UTF_8);
      if (ours.contains(key)) {
        ids.add(key);
      }
    }
    return ids;
  }
}
