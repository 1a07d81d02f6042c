package org.atnabridge.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.atnabridge.atna.AtnaConverter;
import org.atnabridge.kafka.embedded.EmbeddedKafkaBroker;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.schemas.Topics;
import org.atnabridge.schemas.chain.ChainLink;
import org.atnabridge.streams.enrich.EnrichmentConfig;
import org.atnabridge.testing.KafkaBrokerExtension;
import org.atnabridge.testing.TestVectors;
import org.hl7.fhir.r5.model.AuditEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Against the real broker: a message inside the converter's 1 MiB limit whose AuditEvent JSON is
 * about twice that (thousands of small ParticipantObjects) is converted, enriched and chained like
 * any other, and the message after it flows too. (Before the audit topics allowed 8 MiB records the
 * broker refused it, and the partition stopped on it for good.) Events over the limits are
 * dead-lettered: {@code ConvertStepTest}, {@code EnrichAndChainTest}.
 */
@ExtendWith(KafkaBrokerExtension.class)
class OversizedEventIT {

  @Test
  void messageWithATwoMegabyteEvent_isEnrichedAndChained_andTheNextMessageStillFlows(
      EmbeddedKafkaBroker kafka) {
    AuditStreamsIT.resetTopics(kafka);
    String bootstrap = kafka.bootstrapServers();
    // ~1 MB of XML; every object becomes an entity of ~2.5 times its size in JSON
    byte[] big = manyObjects(4_200);
    assertThat(big.length).isLessThan(1024 * 1024);
    String bigId = Samples.convert(big).getIdPart();
    try (AuditStreams streams =
            AuditStreams.start(
                AuditStreamsIT.settings(bootstrap, "oversized"),
                new AtnaConverter(),
                EnrichmentConfig.defaults(),
                AuditStreamsIT.KEYS);
        KafkaProducer<byte[], byte[]> raw = TestKafka.rawProducer(bootstrap);
        KafkaConsumer<byte[], byte[]> out = consumer(bootstrap, Topics.AUDIT_ENRICHED.name())) {
      TestKafka.sendRaw(raw, 0, big);
      String next = Samples.convert(Samples.pixFeed(90_001)).getIdPart();
      TestKafka.sendRaw(raw, 0, Samples.pixFeed(90_001)); // same peer, same partition, after it
      raw.flush();

      Map<String, byte[]> enriched = new java.util.HashMap<>();
      await()
          .atMost(Duration.ofSeconds(90))
          .until(
              () -> {
                out.poll(Duration.ofMillis(200))
                    .forEach(
                        r -> enriched.put(new String(r.key(), StandardCharsets.UTF_8), r.value()));
                return enriched.containsKey(next) && enriched.containsKey(bigId);
              });
      assertThat(enriched.get(bigId).length)
          .isGreaterThan(2_000_000); // twice the broker default of 1 MiB
      AuditEvent chained =
          Fhir.auditEventFromJson(new String(enriched.get(bigId), StandardCharsets.UTF_8));
      assertThat(chained.getEntity()).hasSizeGreaterThan(4_200);
      assertThat(ChainLink.from(chained)).isNotNull();
      assertThat(streams.check()).isTrue();
    }
  }

  /** The pixfeed message with {@code n} extra small ParticipantObjects. */
  static byte[] manyObjects(int n) {
    String xml =
        new String(TestVectors.bytes("dicom-audit-xml/ipf-pixfeed.xml"), StandardCharsets.UTF_8);
    StringBuilder objects = new StringBuilder();
    for (int k = 0; k < n; k++) {
      objects
          .append("<ParticipantObjectIdentification ParticipantObjectID=\"o")
          .append(k)
          .append("\" ParticipantObjectTypeCode=\"2\" ParticipantObjectTypeCodeRole=\"3\">")
          .append(
              "<ParticipantObjectIDTypeCode csd-code=\"12\" codeSystemName=\"RFC-3881\" originalText=\"URI\"/>")
          .append("</ParticipantObjectIdentification>");
    }
    int end = xml.lastIndexOf("</AuditMessage>");
    return (xml.substring(0, end) + objects + xml.substring(end)).getBytes(StandardCharsets.UTF_8);
  }

  private static KafkaConsumer<byte[], byte[]> consumer(String bootstrap, String topic) {
    KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG,
                "probe-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed"),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    c.subscribe(List.of(topic));
    return c;
  }
}
