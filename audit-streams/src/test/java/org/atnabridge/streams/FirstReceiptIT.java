package org.atnabridge.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.atnabridge.atna.AtnaConverter;
import org.atnabridge.kafka.embedded.EmbeddedKafkaBroker;
import org.atnabridge.schemas.RawHeaders;
import org.atnabridge.schemas.RawMetadata;
import org.atnabridge.schemas.Topics;
import org.atnabridge.schemas.chain.ChainLink;
import org.atnabridge.schemas.chain.ChainVerifier;
import org.atnabridge.schemas.vocab.Extensions;
import org.atnabridge.streams.enrich.EnrichmentConfig;
import org.atnabridge.streams.outcome.StreamsMeters;
import org.atnabridge.testing.KafkaBrokerExtension;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Extension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Event ids, replayed against the real broker: the same audit message from the same sender is one
 * event. The first receipt is stored and chained; a replay of the frame over UDP, a retry with a
 * fresh syslog header and a re-posted event change nothing and are counted per transport; only an
 * operator's re-read of the same {@code atna.raw} record replaces the event.
 */
@ExtendWith(KafkaBrokerExtension.class)
class FirstReceiptIT {

  private static final String HEADER = "<85>1 2026-11-27T10:00:00Z node-a atna - IHE+RFC-3881 - ";
  private static final String TLS_PEER = "10.0.0.5:50211";
  private static final String RECEIVED = "2026-11-27T10:00:01Z";

  @Test
  void laterReceipts_udpReplayFreshHeaderAndRepost_changeNothingAndAreCounted(
      EmbeddedKafkaBroker kafka) {
    AuditStreamsIT.resetTopics(kafka);
    String bootstrap = kafka.bootstrapServers();
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    byte[] xml = Samples.pixFeed(170_001);
    byte[] frame = concat(HEADER, xml);
    String id = idOf(frame, TLS_PEER);
    AuditEvent posted = Samples.event(170_002);
    posted.setId("feed" + "0".repeat(36));
    try (AuditStreams streams =
            AuditStreams.start(
                AuditStreamsIT.settings(bootstrap, "receipts"),
                new AtnaConverter(),
                EnrichmentConfig.defaults(),
                AuditStreamsIT.KEYS,
                meters);
        KafkaProducer<byte[], byte[]> raw = TestKafka.rawProducer(bootstrap);
        KafkaProducer<String, AuditEvent> feed = feedProducer(bootstrap)) {
      send(raw, frame, "tls", TLS_PEER, RECEIVED);
      awaitEnriched(bootstrap, id);

      // the replays: the frame replayed over UDP from the same address, twice; the message retried
      // with a
      // fresh syslog header over TCP; the same event posted three times (the feed gives it one id)
      send(raw, frame, "udp", "10.0.0.5:40000", "2026-11-27T11:00:00Z");
      send(raw, frame, "udp", "10.0.0.5:40001", "2026-11-27T11:00:05Z");
      send(
          raw,
          concat("<85>1 2026-11-27T10:09:59Z node-a atna 4242 IHE+RFC-3881 - ", xml),
          "tcp",
          "10.0.0.5:50999",
          "2026-11-27T11:01:00Z");
      for (int i = 0; i < 3; i++) {
        feed.send(new ProducerRecord<>(Topics.AUDIT_POSTED.name(), posted.getIdPart(), posted));
      }
      // the same frame from another address: that sender's own event, attributed to it
      String otherHost = idOf(frame, "10.6.6.6:514");
      send(raw, frame, "udp", "10.6.6.6:514", "2026-11-27T11:02:00Z");
      raw.flush();
      feed.flush();

      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                assertThat(duplicates(meters, "udp")).isEqualTo(2);
                assertThat(duplicates(meters, "tcp")).isEqualTo(1);
                assertThat(duplicates(meters, "feed")).isEqualTo(2);
              });
      List<AuditEvent> other = awaitEnriched(bootstrap, otherHost);
      assertThat(receipt(other.get(0), Extensions.RECEIPT_PEER)).isEqualTo("10.6.6.6:514");
      awaitEnriched(bootstrap, posted.getIdPart());

      List<AuditEvent> all = TestKafka.enrichedAll(bootstrap);
      List<AuditEvent> first = all.stream().filter(e -> e.getIdPart().equals(id)).toList();
      assertThat(first).as("chained once").hasSize(1);
      assertThat(receipt(first.get(0), Extensions.RECEIPT_TRANSPORT)).isEqualTo("tls");
      assertThat(receipt(first.get(0), Extensions.RECEIPT_PEER)).isEqualTo(TLS_PEER);
      assertThat(receipt(first.get(0), Extensions.RECEIPT_RECEIVED_AT)).isEqualTo(RECEIVED);
      assertThat(all).filteredOn(e -> e.getIdPart().equals(posted.getIdPart())).hasSize(1);
      assertThat(all).extracting(e -> ChainLink.from(e).replacesSeq()).containsOnlyNulls();
      assertThat(
              ChainVerifier.verify(
                      all,
                      TestKafka.checkpoints(bootstrap),
                      streams.keys().publicKey(),
                      false,
                      x -> Optional.empty())
                  .findings())
          .isEmpty();
      assertThat(streams.check()).isTrue();
    }
  }

  @Test
  void operatorReconversion_sameRawRecordReRead_replacesAndRecordsIt_whileTheReplayStaysDropped(
      EmbeddedKafkaBroker kafka) throws Exception {
    AuditStreamsIT.resetTopics(kafka);
    String bootstrap = kafka.bootstrapServers();
    byte[] frame = concat(HEADER, Samples.pixFeed(170_100));
    String id = idOf(frame, TLS_PEER);
    RecordMetadata original;
    SimpleMeterRegistry before = new SimpleMeterRegistry();
    try (AuditStreams streams =
            AuditStreams.start(
                AuditStreamsIT.settings(bootstrap, "reconvert-1"),
                new AtnaConverter(),
                EnrichmentConfig.defaults(),
                AuditStreamsIT.KEYS,
                before);
        KafkaProducer<byte[], byte[]> raw = TestKafka.rawProducer(bootstrap)) {
      original = send(raw, frame, "tls", TLS_PEER, RECEIVED);
      awaitEnriched(bootstrap, id);
      send(raw, frame, "udp", "10.0.0.5:40000", "2026-11-27T11:00:00Z");
      raw.flush();
      await().atMost(Duration.ofSeconds(60)).until(() -> duplicates(before, "udp") == 1);
    }

    // the operator re-reads atna.raw from the original record (after a converter fix)
    TopicPartition tp = new TopicPartition(original.topic(), original.partition());
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      await()
          .atMost(Duration.ofSeconds(60))
          .ignoreExceptions()
          .untilAsserted(
              () ->
                  admin
                      .alterConsumerGroupOffsets(
                          AuditTopology.APPLICATION_ID,
                          Map.of(tp, new OffsetAndMetadata(original.offset())))
                      .all()
                      .get());
    }
    SimpleMeterRegistry after = new SimpleMeterRegistry();
    try (AuditStreams streams =
        AuditStreams.start(
            AuditStreamsIT.settings(bootstrap, "reconvert-2"),
            new AtnaConverter(),
            EnrichmentConfig.defaults(),
            AuditStreamsIT.KEYS,
            after)) {
      List<AuditEvent> chained =
          await()
              .atMost(Duration.ofSeconds(60))
              .until(() -> enriched(bootstrap, id), l -> l.size() >= 2);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> duplicates(after, "udp") == 1); // re-read, dropped again
      assertThat(chained).hasSize(2);
      ChainLink first = ChainLink.from(chained.get(0));
      ChainLink replacement = ChainLink.from(chained.get(1));
      assertThat(first.replacesSeq()).isNull();
      assertThat(replacement.replacesSeq()).isEqualTo(first.seq());
      assertThat(replacement.replacesHash()).isEqualTo(first.hash());
      assertThat(receipt(chained.get(1), Extensions.RECEIPT_TRANSPORT)).isEqualTo("tls");
      assertThat(after.get("atna.streams.chained.replacements").counter().count())
          .isGreaterThanOrEqualTo(1);
      assertThat(
              AuditStreamsIT.verify(
                      TestKafka.enrichedAll(bootstrap),
                      TestKafka.checkpoints(bootstrap),
                      streams.keys())
                  .findings())
          .isEmpty();
    }
  }

  private static String idOf(byte[] frame, String peer) {
    try {
      return new AtnaConverter()
          .convert(frame, new RawMetadata("tls", peer, Instant.parse(RECEIVED), null))
          .get(0)
          .getIdPart();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** As ingest writes it: key = the sender's IP address, receive metadata in headers. */
  private static RecordMetadata send(
      KafkaProducer<byte[], byte[]> producer,
      byte[] frame,
      String transport,
      String peer,
      String receivedAt) {
    ProducerRecord<byte[], byte[]> r =
        new ProducerRecord<>(
            Topics.ATNA_RAW.name(),
            peer.substring(0, peer.lastIndexOf(':')).getBytes(StandardCharsets.UTF_8),
            frame);
    RawHeaders.put(r.headers(), RawHeaders.TRANSPORT, transport);
    RawHeaders.put(r.headers(), RawHeaders.PEER, peer);
    RawHeaders.put(r.headers(), RawHeaders.RECEIVED_AT, receivedAt);
    try {
      return producer.send(r).get();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static KafkaProducer<String, AuditEvent> feedProducer(String bootstrap) {
    return new KafkaProducer<>(
        Map.of("bootstrap.servers", bootstrap),
        Topics.AUDIT_POSTED.keySerde().serializer(),
        Topics.AUDIT_POSTED.valueSerde().serializer());
  }

  private static List<AuditEvent> enriched(String bootstrap, String id) {
    return TestKafka.enrichedAll(bootstrap).stream().filter(e -> e.getIdPart().equals(id)).toList();
  }

  private static List<AuditEvent> awaitEnriched(String bootstrap, String id) {
    return await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> enriched(bootstrap, id), l -> !l.isEmpty());
  }

  private static double duplicates(SimpleMeterRegistry meters, String transport) {
    Counter c = meters.find(StreamsMeters.DUPLICATES).tag("transport", transport).counter();
    return c == null ? 0 : c.count();
  }

  private static String receipt(AuditEvent e, String part) {
    Extension receipt = e.getExtensionByUrl(Extensions.RAW_RECEIPT);
    return receipt.getExtensionByUrl(part).getValue().primitiveValue();
  }

  private static byte[] concat(String header, byte[] xml) {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    byte[] out = java.util.Arrays.copyOf(h, h.length + xml.length);
    System.arraycopy(xml, 0, out, h.length, xml.length);
    return out;
  }
}
