package org.atnabridge.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.atnabridge.accesslog.AccessLogConversion;
import org.atnabridge.accesslog.AccessLogConverter;
import org.atnabridge.accesslog.AccessLogSources;
import org.atnabridge.accesslog.LineOrigin;
import org.atnabridge.atna.AtnaConverter;
import org.atnabridge.kafka.embedded.EmbeddedKafkaBroker;
import org.atnabridge.schemas.RawHeaders;
import org.atnabridge.schemas.RawRecordReference;
import org.atnabridge.schemas.Topics;
import org.atnabridge.schemas.chain.ChainLink;
import org.atnabridge.schemas.vocab.Extensions;
import org.atnabridge.streams.enrich.EnrichmentConfig;
import org.atnabridge.streams.outcome.StreamsMeters;
import org.atnabridge.testing.KafkaBrokerExtension;
import org.hl7.fhir.r5.model.AuditEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Access log lines written to {@code accesslog.raw} (as the HTTP intake or a shipper writes them)
 * come out of {@link AuditStreams} on {@code audit.enriched}, chained, each once however often the
 * lines are replayed, and the chains still verify.
 */
@ExtendWith(KafkaBrokerExtension.class)
class AccessLogStreamsIT {

  private static final AccessLogSources SOURCES =
      AccessLogSources.parse(
          """
          sources:
            - name: it-gateway
              format: combined
              observer: it-gw.example.org
              base-paths: [/fhir]
          """);

  @Test
  void linesOnAccessLogRaw_enrichedAndChainedOnce_chainsVerify(EmbeddedKafkaBroker kafka)
      throws Exception {
    AuditStreamsIT.resetTopics(kafka);
    String bootstrap = kafka.bootstrapServers();
    String run = Long.toString(System.nanoTime(), 36); // distinct lines, so distinct ids, per run
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      lines.add(
          "10.0.0."
              + i
              + " - - [06/Dec/2026:17:00:0"
              + i
              + " +0000] \"GET /fhir/Patient/it-"
              + run
              + "-"
              + i
              + " HTTP/1.1\" 200 100 \"-\" \"curl/8.5\"");
    }
    Set<String> expected =
        lines.stream()
            .map(
                l ->
                    ((AccessLogConversion.Converted)
                            new AccessLogConverter()
                                .convert(
                                    l,
                                    SOURCES.get("it-gateway"),
                                    LineOrigin.offline(Instant.EPOCH)))
                        .events()
                        .get(0)
                        .getIdPart())
            .collect(Collectors.toSet());
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    EnrichmentConfig config = EnrichmentConfig.defaults().withCheckpoints(5, Duration.ofSeconds(1));
    try (AuditStreams streams =
            AuditStreams.start(
                AuditStreamsIT.settings(bootstrap, "accesslog"),
                new AtnaConverter(),
                SOURCES,
                config,
                AuditStreamsIT.KEYS,
                registry);
        KafkaProducer<byte[], byte[]> producer = TestKafka.rawProducer(bootstrap);
        KafkaConsumer<String, AuditEvent> out = TestKafka.enrichedConsumer(bootstrap)) {
      for (int round = 0; round < 2; round++) { // the same lines replayed: the total is unchanged
        for (String line : lines) {
          send(producer, line);
        }
        send(
            producer,
            "10.0.0.1 - - [06/Dec/2026:17:00:09 +0000] \"GET /health HTTP/1.1\" 200 2 \"-\" \"kube-probe/1.30\"");
      }
      producer.flush();

      List<AuditEvent> seen = new ArrayList<>();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                TestKafka.poll(out).forEach(r -> seen.add(r.value()));
                return seen.stream()
                    .map(AuditEvent::getIdPart)
                    .collect(Collectors.toSet())
                    .containsAll(expected);
              });
      for (AuditEvent event :
          seen.stream().filter(e -> expected.contains(e.getIdPart())).toList()) {
        assertThat(ChainLink.from(event)).isNotNull();
        assertThat(RawRecordReference.from(event).topic()).isEqualTo(Topics.ACCESSLOG_RAW.name());
        assertThat(event.getExtensionByUrl(Extensions.ACCESS_LOG_LINE)).isNotNull();
        assertThat(event.getSource().getObserver().getIdentifier().getValue())
            .isEqualTo("it-gw.example.org");
      }
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                assertThat(
                        registry
                            .get(StreamsMeters.DUPLICATES)
                            .tag("transport", "http")
                            .counter()
                            .count())
                    .isEqualTo(lines.size());
                List<AuditEvent> all = TestKafka.enrichedAll(bootstrap);
                Map<String, Long> perId =
                    all.stream()
                        .filter(e -> expected.contains(e.getIdPart()))
                        .collect(
                            Collectors.groupingBy(AuditEvent::getIdPart, Collectors.counting()));
                assertThat(perId)
                    .hasSize(expected.size())
                    .allSatisfy((id, n) -> assertThat(n).isOne());
                assertThat(
                        AuditStreamsIT.verify(all, TestKafka.checkpoints(bootstrap), streams.keys())
                            .findings())
                    .isEmpty();
              });
      assertThat(
              registry.get(StreamsMeters.ACCESS_LOG_DROPPED).tag("source", "it-gateway").counters())
          .as("/health, twice: counted, written nowhere")
          .map(c -> c.count())
          .containsExactly(2.0);
    }
  }

  private static void send(KafkaProducer<byte[], byte[]> producer, String line) {
    String peer = line.substring(0, line.indexOf(' '));
    ProducerRecord<byte[], byte[]> r =
        new ProducerRecord<>(
            Topics.ACCESSLOG_RAW.name(),
            peer.getBytes(StandardCharsets.UTF_8),
            line.getBytes(StandardCharsets.UTF_8));
    RawHeaders.put(r.headers(), RawHeaders.TRANSPORT, "http");
    RawHeaders.put(r.headers(), RawHeaders.PEER, peer + ":50000");
    RawHeaders.put(r.headers(), RawHeaders.FRAMING, "line");
    RawHeaders.put(r.headers(), RawHeaders.ACCESS_LOG_SOURCE, "it-gateway");
    producer.send(r);
  }
}
