package org.atnabridge.streams.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.atnabridge.atna.AtnaConverter;
import org.atnabridge.kafka.embedded.EmbeddedKafkaBroker;
import org.atnabridge.schemas.DeadLetterHeaders;
import org.atnabridge.schemas.RawHeaders;
import org.atnabridge.schemas.RawMetadata;
import org.atnabridge.schemas.Topics;
import org.atnabridge.streams.AuditTopology;
import org.atnabridge.streams.StreamsService;
import org.atnabridge.streams.StreamsSettings;
import org.atnabridge.streams.chain.CheckpointKeys;
import org.atnabridge.streams.enrich.EnrichmentConfig;
import org.atnabridge.streams.outcome.StreamsMeters;
import org.atnabridge.testing.KafkaBrokerExtension;
import org.atnabridge.testing.TestVectors;
import org.hl7.fhir.r5.model.AuditEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Conversion in the production topology against a real broker with exactly-once processing. */
@ExtendWith(KafkaBrokerExtension.class)
class ConvertStepIT {

  @TempDir Path stateDir;
  @TempDir Path keyDir;

  @Test
  void running_convertsValidAndDeadLettersPoison_readCommitted(EmbeddedKafkaBroker kafka)
      throws Exception {
    kafka.createTopics(Topics.newTopics((short) 1));
    StreamsSettings settings = StreamsSettings.defaults(kafka.bootstrapServers(), stateDir);
    try (StreamsService service =
            new StreamsService(
                    AuditTopology.APPLICATION_ID,
                    AuditTopology.build(
                        new AtnaConverter(),
                        EnrichmentConfig.defaults(),
                        CheckpointKeys.loadOrCreate(keyDir),
                        Clock.systemUTC(),
                        StreamsMeters.unregistered(),
                        Topics.MAX_EVENT_RECORD_BYTES),
                    settings)
                .start(Duration.ofSeconds(60));
        KafkaProducer<byte[], byte[]> producer =
            new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
      byte[] poison = ("not xml " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
      ProducerRecord<byte[], byte[]> bad = new ProducerRecord<>(Topics.ATNA_RAW.name(), poison);
      RawHeaders.put(bad.headers(), RawHeaders.TRANSPORT, "tcp");
      producer.send(bad);
      byte[] vector = TestVectors.bytes("dicom-audit-xml/ipf-pixfeed.xml");
      producer.send(new ProducerRecord<>(Topics.ATNA_RAW.name(), vector));
      producer.flush();
      // the broker is shared: other tests' events are on audit.events too (ids: message and sender,
      // none here)
      String id =
          new AtnaConverter()
              .convert(vector, RawMetadata.fromHeaders(new RecordHeaders(), 0L))
              .get(0)
              .getIdPart();

      List<ConsumerRecord<String, AuditEvent>> converted = new ArrayList<>();
      List<ConsumerRecord<byte[], byte[]>> dead = new ArrayList<>();
      try (KafkaConsumer<String, AuditEvent> events =
              consumer(
                  kafka,
                  Topics.AUDIT_EVENTS.keySerde().deserializer(),
                  Topics.AUDIT_EVENTS.valueSerde().deserializer(),
                  Topics.AUDIT_EVENTS.name());
          KafkaConsumer<byte[], byte[]> dlq =
              consumer(
                  kafka,
                  Topics.AUDIT_DLQ.keySerde().deserializer(),
                  Topics.AUDIT_DLQ.valueSerde().deserializer(),
                  Topics.AUDIT_DLQ.name())) {
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () -> {
                  events
                      .poll(Duration.ofMillis(200))
                      .forEach(
                          r -> {
                            if (r.key().equals(id)) {
                              converted.add(r);
                            }
                          });
                  dlq.poll(Duration.ofMillis(200)).forEach(dead::add);
                  return !converted.isEmpty()
                      && dead.stream().anyMatch(r -> java.util.Arrays.equals(r.value(), poison));
                });
      }
      assertThat(service.check()).isTrue();
      assertThat(converted).hasSize(1);
      assertThat(converted.get(0).value().getPatient().getIdentifier().getValue())
          .isEqualTo("7627199");
      ConsumerRecord<byte[], byte[]> letter =
          dead.stream()
              .filter(r -> java.util.Arrays.equals(r.value(), poison))
              .findFirst()
              .orElseThrow();
      assertThat(RawHeaders.get(letter.headers(), DeadLetterHeaders.REASON)).isEqualTo("NOT_XML");
      assertThat(RawHeaders.get(letter.headers(), RawHeaders.TRANSPORT)).isEqualTo("tcp");
    }
  }

  private static <K, V> KafkaConsumer<K, V> consumer(
      EmbeddedKafkaBroker kafka,
      org.apache.kafka.common.serialization.Deserializer<K> keys,
      org.apache.kafka.common.serialization.Deserializer<V> values,
      String topic) {
    KafkaConsumer<K, V> c =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "probe-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed"),
            keys,
            values);
    c.subscribe(List.of(topic));
    return c;
  }
}
