package org.atnabridge.streams.alert.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.atnabridge.kafka.embedded.EmbeddedKafkaBroker;
import org.atnabridge.schemas.alert.Alert;
import org.atnabridge.schemas.alert.AlertJson;
import org.atnabridge.streams.alert.rules.AlertRules;
import org.atnabridge.streams.alert.rules.Channel;
import org.atnabridge.testing.FreePorts;
import org.atnabridge.testing.KafkaBrokerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The webhook receiver is down for two minutes of real time (its port closed), then comes up: the
 * alert arrives, signed, with the same {@code webhook-id} on every attempt. The backoff cap is 5 s
 * so delivery follows soon after the receiver is back. Alone in its class: it takes over 2 minutes.
 */
@ExtendWith(KafkaBrokerExtension.class)
class WebhookOutageIT {

  private static final Duration OUTAGE = Duration.ofMinutes(2);

  @Test
  void webhook_receiverDownForTwoMinutes_thenDeliveredWithTheSameWebhookId(
      EmbeddedKafkaBroker broker) throws Exception {
    OutboxKafka kafka = OutboxKafka.create(broker, 3);
    int port = FreePorts.next();
    Alert alert = Alerts.alert("outage-1", Duration.ZERO, "soc");
    kafka.send(0, alert.id(), AlertJson.write(alert));
    AlertRules rules =
        new AlertRules(
            List.of(
                new Channel.Webhook(
                    "soc",
                    URI.create("http://127.0.0.1:" + port + "/hooks/atna"),
                    List.of(Alerts.SECRET),
                    Duration.ofSeconds(5),
                    Duration.ofHours(24))),
            List.of(),
            AlertRules.DEFAULT_GRACE);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Instant down = Instant.now();

    try (AlertDelivery delivery =
        AlertDelivery.start(
            kafka.settings(new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(5))),
            () -> rules,
            new EmailSender(Map.<String, String>of()::get),
            registry,
            Clock.systemUTC())) {
      Thread.sleep(OUTAGE.toMillis());
      double failedWhileDown = retries(registry);
      assertThat(failedWhileDown)
          .as("attempts refused while the port was closed")
          .isGreaterThan(10);
      assertThat(kafka.committed(0)).isEqualTo(-1);

      try (WebhookReceiver receiver = WebhookReceiver.start(port)) {
        // the first attempt the receiver sees fails too, so it records the retried id itself
        receiver.status.set(503);
        await().atMost(Duration.ofSeconds(30)).until(() -> !receiver.requests.isEmpty());
        receiver.status.set(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> kafka.committed(0) == 1);

        assertThat(receiver.requests).hasSizeGreaterThanOrEqualTo(2);
        assertThat(receiver.requests.getFirst().answered()).isEqualTo(503);
        assertThat(receiver.requests)
            .extracting(WebhookReceiver.Request::id)
            .containsOnly("outage-1");
        WebhookReceiver.Request ok = receiver.delivered().getFirst();
        assertThat(ok.received()).isAfter(down.plus(OUTAGE));
        assertThat(
                new StandardWebhooksVerifier(Alerts.SECRET)
                    .verify(ok.id(), ok.timestamp(), ok.signature(), ok.body(), Instant.now()))
            .isTrue();
        assertThat(AlertJson.read(ok.body())).isEqualTo(alert);
        assertThat(retries(registry)).isGreaterThan(failedWhileDown);
        assertThat(kafka.deadLetters()).isEmpty();
      }
    }
  }

  private static double retries(SimpleMeterRegistry registry) {
    Counter c = registry.find(NotificationMetrics.RETRIES).tag("channel", "soc").counter();
    return c == null ? 0 : c.count();
  }
}
