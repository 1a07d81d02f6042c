package org.atnabridge.allinone;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.atnabridge.allinone.health.HealthCheck;
import org.atnabridge.kafka.embedded.EmbeddedKafkaBroker;
import org.atnabridge.schemas.Topics;
import org.atnabridge.schemas.alert.Alert;
import org.atnabridge.schemas.alert.AlertJson;
import org.atnabridge.streams.alert.rules.AlertRules;
import org.atnabridge.streams.alert.rules.Channel;
import org.atnabridge.testing.KafkaBrokerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The service {@code serve} and {@code streams} start with alert rules: it reads the platform's
 * {@code audit.alerts} and posts to the rules' webhook channel.
 */
@ExtendWith(KafkaBrokerExtension.class)
class AlertDeliveryServiceIT {

  @Test
  void alertOnTheTopic_postedToTheWebhookOfTheRules_ready(EmbeddedKafkaBroker kafka)
      throws Exception {
    EmbeddedKafkaBroker.createTopics(kafka.bootstrapServers(), Topics.newTopics((short) 1));
    List<String> ids = new CopyOnWriteArrayList<>();
    HttpServer receiver =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.createContext(
        "/",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          ids.add(String.valueOf(exchange.getRequestHeaders().getFirst("webhook-id")));
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    receiver.start();
    String id = "svc-" + UUID.randomUUID();
    Alert alert =
        new Alert(
            id,
            new Alert.RuleRef("break-glass", "Break-glass access", "match", "high", null),
            null,
            Instant.now(),
            Instant.now(),
            null,
            null,
            false,
            1,
            List.of("AuditEvent/e1"),
            List.of(),
            List.of(),
            "break-glass",
            List.of("soc"),
            "AuditEvent/a1");
    AlertRules rules =
        new AlertRules(
            List.of(
                new Channel.Webhook(
                    "soc",
                    URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/"),
                    List.of(
                        "whsec_"
                            + java.util.Base64.getEncoder()
                                .encodeToString("k".repeat(32).getBytes(UTF_8))),
                    Duration.ofSeconds(5),
                    Duration.ofHours(24))),
            List.of(),
            AlertRules.DEFAULT_GRACE);
    try (KafkaProducer<String, byte[]> p =
            new KafkaProducer<>(
                Map.of("bootstrap.servers", kafka.bootstrapServers()),
                new StringSerializer(),
                new ByteArraySerializer());
        AlertDeliveryService service =
            AlertDeliveryService.start(
                kafka.bootstrapServers(), () -> rules, new SimpleMeterRegistry())) {
      p.send(new ProducerRecord<>(Topics.AUDIT_ALERTS.name(), id, AlertJson.write(alert))).get();

      await().atMost(Duration.ofSeconds(60)).until(() -> ids.contains(id));
      assertThat(service.checks()).extracting(HealthCheck::problem).containsOnlyNulls();
    } finally {
      receiver.stop(0);
    }
  }
}
