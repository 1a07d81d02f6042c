package org.atnabridge.allinone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.atnabridge.allinone.health.KafkaProbe;
import org.atnabridge.allinone.health.Readiness;
import org.atnabridge.kafka.embedded.EmbeddedKafkaBroker;
import org.atnabridge.search.security.SecurityHeaders;
import org.atnabridge.testing.KafkaBrokerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /health/live}, {@code /health/ready} and {@code /metrics} with real components: the whole
 * {@code serve} pipeline on its API port, and single services on a health port of their own,
 * turning not ready when Kafka goes away or the streams stop running.
 */
@ExtendWith(KafkaBrokerExtension.class)
class HealthIT {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path dir;

  @Test
  void serve_answersHealthOnTheApiPort_withoutAToken_sayingNothingSensitive() throws Exception {
    PipelineConfig config =
        PipelineConfig.builder(dir)
            .http("127.0.0.1", 0)
            .syslog("127.0.0.1", 0, 0)
            .kafkaPort(0)
            .build();
    try (Pipeline serve = new Pipeline(config).start()) {
      String base = "http://127.0.0.1:" + serve.httpPort();
      HttpResponse<String> live = get(base + "/health/live");
      assertThat(live.statusCode()).isEqualTo(200);
      assertThat(live.body()).isEqualTo("{\"status\":\"UP\"}");
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(() -> assertThat(get(base + "/health/ready").statusCode()).isEqualTo(200));
      HttpResponse<String> ready = get(base + "/health/ready");
      assertThat(ready.body())
          .isEqualTo(
              "{\"status\":\"UP\",\"checks\":{\"kafka\":\"UP\",\"index\":\"UP\","
                  + "\"lag\":\"UP\",\"streams\":\"UP\",\"subscription-matching\":\"UP\","
                  + "\"store\":\"UP\",\"subscription-delivery\":\"UP\",\"syslog\":\"UP\"}}");
      for (HttpResponse<String> r : List.of(live, ready)) {
        SecurityHeaders.ALL.forEach(
            (name, value) -> assertThat(r.headers().firstValue(name)).as(name).hasValue(value));
        assertThat(r.headers().firstValue("Server")).isEmpty();
        assertThat(r.body()).doesNotContain("127.0.0.1", "version", "Exception");
      }
      assertThat(get(base + "/metrics").body()).contains("jvm_memory_used_bytes");
      // the FHIR API itself still wants a token
      assertThat(get(serve.fhirBaseUrl() + "/AuditEvent").statusCode()).isEqualTo(401);
    }
  }

  @Test
  void ingest_turnsNotReady_whenKafkaGoesAway() throws Exception {
    Path kafkaDir = Files.createDirectories(dir.resolve("kafka"));
    EmbeddedKafkaBroker kafka = new EmbeddedKafkaBroker(kafkaDir, 0, Map.of()).start();
    PipelineConfig config =
        PipelineConfig.builder(dir)
            .syslog("127.0.0.1", 0, 0)
            .kafkaBootstrap(kafka.bootstrapServers())
            .build();
    HealthPortOptions port = new HealthPortOptions();
    port.healthHost = "127.0.0.1";
    port.healthPort = 0;
    try (ServiceProcess process =
        ServiceCommands.start(
            config,
            p -> {
              IngestService s = IngestService.start(config, p.bootstrap, p.registry);
              p.readiness.add(s.checks());
              return s;
            })) {
      int health = process.serveHealth(port).port();
      String ready = "http://127.0.0.1:" + health + "/health/ready";
      assertThat(get(ready).statusCode()).isEqualTo(200);
      assertThat(get("http://127.0.0.1:" + health + "/metrics").body())
          .contains("jvm_threads_live_threads");
      SecurityHeaders.ALL.forEach(
          (name, value) -> {
            try {
              assertThat(get(ready).headers().firstValue(name)).as(name).hasValue(value);
            } catch (Exception e) {
              throw new AssertionError(e);
            }
          });

      kafka.close();
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                HttpResponse<String> r = get(ready);
                assertThat(r.statusCode()).isEqualTo(503);
                assertThat(r.body())
                    .contains("\"kafka\":\"DOWN\"")
                    .doesNotContain("TimeoutException", "127.0.0.1");
              });
      assertThat(get("http://127.0.0.1:" + health + "/health/live").statusCode()).isEqualTo(200);
    } finally {
      kafka.close();
    }
  }

  @Test
  void streams_turnNotReady_whenTheApplicationIsNotRunning(EmbeddedKafkaBroker kafka)
      throws Exception {
    PipelineConfig config =
        PipelineConfig.builder(dir).kafkaBootstrap(kafka.bootstrapServers()).build();
    Readiness readiness;
    try (ServiceProcess process = new ServiceProcess(config)) {
      AuditStreamsService streams =
          AuditStreamsService.start(config, process.bootstrap, process.registry);
      readiness = process.readiness.add(streams.checks());
      assertThat(readiness.evaluate().ready()).isTrue();
      streams.close();
      Readiness.Status after = readiness.evaluate();
      assertThat(after.ready()).isFalse();
      assertThat(after.checks()).containsEntry("streams", false).containsEntry("kafka", true);
    }
  }

  @Test
  void lag_aboveTheThreshold_isNotReady(EmbeddedKafkaBroker kafka) {
    String topic = "health-lag-" + System.nanoTime();
    KafkaBrokerExtension.createTopics(kafka, 1, topic);
    String group = "health-lag-group-" + System.nanoTime();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG,
                group),
            new StringDeserializer(),
            new StringDeserializer())) {
      consumer.commitSync(Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(0)));
    }
    try (KafkaProbe probe = new KafkaProbe(kafka.bootstrapServers());
        KafkaProducer<String, String> producer =
            new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringSerializer(),
                new StringSerializer())) {
      Readiness lagTwo = new Readiness().add(probe.lag(group, 2));
      assertThat(lagTwo.evaluate().ready()).isTrue();
      for (int i = 0; i < 3; i++) {
        producer.send(new ProducerRecord<>(topic, "r" + i));
      }
      producer.flush();
      assertThat(probe.lag(group)).isEqualTo(3);
      assertThat(lagTwo.evaluate().checks()).containsEntry("lag", false);
      assertThat(new Readiness().add(probe.lag(group, 3)).evaluate().ready()).isTrue();
    }
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }
}
