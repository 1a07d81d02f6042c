package org.atnabridge.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.atnabridge.atna.AtnaConverter;
import org.atnabridge.kafka.embedded.EmbeddedKafkaBroker;
import org.atnabridge.schemas.Topics;
import org.atnabridge.schemas.chain.ChainLink;
import org.atnabridge.streams.enrich.EnrichmentConfig;
import org.atnabridge.testing.KafkaBrokerExtension;
import org.hl7.fhir.r5.model.AuditEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Against the real broker: the application reads {@code audit.posted} too. Events posted there are
 * enriched and chained once, the events it converted itself are not chained a second time, and a
 * data dir from when conversion was its own application ({@value
 * LegacyConvertOffsets#LEGACY_APPLICATION_ID}) continues conversion where that one stopped.
 */
@ExtendWith(KafkaBrokerExtension.class)
class LegacyConvertOffsetsIT {

  @Test
  void legacyOffsetsCarriedOver_postedEventsChainedOnce_convertedNotChainedTwice(
      EmbeddedKafkaBroker kafka) throws Exception {
    AuditStreamsIT.resetTopics(kafka);
    String bootstrap = kafka.bootstrapServers();
    int base = 70_000;
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
        KafkaProducer<byte[], byte[]> raw = TestKafka.rawProducer(bootstrap)) {
      deleteGroup(
          admin, AuditTopology.APPLICATION_ID); // as in a data dir where enrich never read atna.raw
      // converted by the former application before the upgrade: its group committed past them
      for (int i = 0; i < 10; i++) {
        TestKafka.sendRaw(raw, i, Samples.pixFeed(base + i));
      }
      raw.flush();
      admin
          .alterConsumerGroupOffsets(LegacyConvertOffsets.LEGACY_APPLICATION_ID, endOffsets(admin))
          .all()
          .get();
      for (int i = 10; i < 20; i++) {
        TestKafka.sendRaw(raw, i, Samples.pixFeed(base + i));
      }
      raw.flush();
      AuditEvent posted = Samples.event(base + 100);
      try (KafkaProducer<String, AuditEvent> feed =
          new KafkaProducer<>(
              Map.of("bootstrap.servers", bootstrap),
              Topics.AUDIT_POSTED.keySerde().serializer(),
              Topics.AUDIT_POSTED.valueSerde().serializer())) {
        feed.send(new ProducerRecord<>(Topics.AUDIT_POSTED.name(), posted.getIdPart(), posted))
            .get();
      }

      List<ConsumerRecord<String, AuditEvent>> seen = new ArrayList<>();
      Set<String> after = ids(base + 10, base + 20);
      after.add(posted.getIdPart());
      try (AuditStreams streams =
              AuditStreams.start(
                  AuditStreamsIT.settings(bootstrap, "legacy"),
                  new AtnaConverter(),
                  EnrichmentConfig.defaults(),
                  AuditStreamsIT.KEYS);
          KafkaConsumer<String, AuditEvent> out = TestKafka.enrichedConsumer(bootstrap)) {
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> AuditStreamsIT.mine(out, seen, after) >= after.size());
        // a few more commit intervals: anything re-read or re-converted would show up by now
        Thread.sleep(1500);
        seen.addAll(TestKafka.poll(out));
        assertThat(streams.check()).isTrue();
      }
      Map<String, Long> perId =
          seen.stream()
              .collect(Collectors.groupingBy(r -> r.value().getIdPart(), Collectors.counting()));
      for (String id : after) {
        assertThat(perId.get(id)).as("enriched exactly once: %s", id).isEqualTo(1L);
      }
      assertThat(perId.keySet())
          .as("frames the former application had converted are not converted again")
          .doesNotContainAnyElementsOf(ids(base, base + 10));
      AuditEvent chainedPost =
          seen.stream()
              .map(ConsumerRecord::value)
              .filter(e -> e.getIdPart().equals(posted.getIdPart()))
              .findFirst()
              .orElseThrow();
      assertThat(ChainLink.from(chainedPost)).isNotNull();
      assertThat(admin.listConsumerGroups().all().get())
          .extracting(ConsumerGroupListing::groupId)
          .doesNotContain(LegacyConvertOffsets.LEGACY_APPLICATION_ID);
    }
  }

  @Test
  void formerConversionApplicationStillRunning_startRefusedNamingIt(EmbeddedKafkaBroker kafka) {
    AuditStreamsIT.resetTopics(kafka);
    String bootstrap = kafka.bootstrapServers();
    try (KafkaConsumer<byte[], byte[]> former =
        new KafkaConsumer<>(
            Map.of(
                "bootstrap.servers",
                bootstrap,
                "group.id",
                LegacyConvertOffsets.LEGACY_APPLICATION_ID,
                "auto.offset.reset",
                "earliest"),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      former.subscribe(List.of(Topics.ATNA_RAW.name()));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                former.poll(Duration.ofMillis(100));
                return !former.assignment().isEmpty();
              });
      former.commitSync(); // the legacy group has atna.raw offsets and a live member
      assertThatThrownBy(
              () ->
                  AuditStreams.start(
                      AuditStreamsIT.settings(bootstrap, "refused"),
                      new AtnaConverter(),
                      EnrichmentConfig.defaults(),
                      AuditStreamsIT.KEYS))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("still running")
          .hasMessageContaining(LegacyConvertOffsets.LEGACY_APPLICATION_ID);
    }
  }

  private static Set<String> ids(int from, int to) {
    return new java.util.HashSet<>(AuditStreamsIT.expectedIds(from, to - from));
  }

  private static Map<TopicPartition, OffsetAndMetadata> endOffsets(Admin admin) throws Exception {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (int p = 0; p < Topics.ATNA_RAW.partitions(); p++) {
      latest.put(new TopicPartition(Topics.ATNA_RAW.name(), p), OffsetSpec.latest());
    }
    Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
    admin
        .listOffsets(latest)
        .all()
        .get()
        .forEach((tp, info) -> out.put(tp, new OffsetAndMetadata(info.offset())));
    return out;
  }

  private static void deleteGroup(Admin admin, String group) throws InterruptedException {
    try {
      admin.deleteConsumerGroups(List.of(group)).all().get();
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof GroupIdNotFoundException)) {
        throw new IllegalStateException(e);
      }
    }
  }
}
