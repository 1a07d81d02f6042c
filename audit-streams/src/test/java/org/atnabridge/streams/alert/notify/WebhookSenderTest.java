package org.atnabridge.streams.alert.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.atnabridge.schemas.alert.Alert;
import org.atnabridge.schemas.alert.AlertJson;
import org.atnabridge.streams.alert.rules.Channel;
import org.atnabridge.testing.FreePorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Posts to a real HTTP receiver on loopback. */
class WebhookSenderTest {

  private final WebhookSender sender = new WebhookSender(Clock.systemUTC());
  private final Alert alert = Alerts.alert("alert-1", Duration.ZERO, "soc");
  private final byte[] json = AlertJson.write(alert);
  private WebhookReceiver receiver;

  @BeforeEach
  void start() throws IOException {
    receiver = WebhookReceiver.start(0);
  }

  @AfterEach
  void stop() {
    receiver.close();
  }

  private static Channel.Webhook channel(URI url, String... secrets) {
    return new Channel.Webhook(
        "soc", url, List.of(secrets), Duration.ofSeconds(5), Duration.ofHours(24));
  }

  @Test
  void delivers_aSignedJsonPost_thatAnIndependentVerifierAccepts() {
    DeliveryOutcome outcome =
        sender.send(channel(receiver.url("/hooks/atna"), Alerts.SECRET), alert.id(), json);

    assertThat(outcome).isInstanceOf(DeliveryOutcome.Delivered.class);
    assertThat(receiver.requests).hasSize(1);
    WebhookReceiver.Request r = receiver.requests.getFirst();
    assertThat(r.path()).isEqualTo("/hooks/atna");
    assertThat(r.id()).isEqualTo("alert-1");
    assertThat(r.contentType()).isEqualTo("application/json");
    assertThat(r.body()).isEqualTo(json);
    assertThat(AlertJson.read(r.body())).isEqualTo(alert);
    assertThat(Long.parseLong(r.timestamp()))
        .isCloseTo(Instant.now().getEpochSecond(), org.assertj.core.data.Offset.offset(60L));
    assertThat(
            new StandardWebhooksVerifier(Alerts.SECRET)
                .verify(r.id(), r.timestamp(), r.signature(), r.body(), Instant.now()))
        .isTrue();
    assertThat(
            new StandardWebhooksVerifier(Alerts.OLD_SECRET)
                .verify(r.id(), r.timestamp(), r.signature(), r.body(), Instant.now()))
        .isFalse();
  }

  @Test
  void rotatedSecrets_receiverOnTheOldSecretStillVerifies() {
    sender.send(channel(receiver.url("/"), Alerts.SECRET, Alerts.OLD_SECRET), alert.id(), json);

    WebhookReceiver.Request r = receiver.requests.getFirst();
    assertThat(
            new StandardWebhooksVerifier(Alerts.OLD_SECRET)
                .verify(r.id(), r.timestamp(), r.signature(), r.body(), Instant.now()))
        .isTrue();
  }

  @Test
  void serverError_isRetried() {
    receiver.status.set(503);
    assertThat(sender.send(channel(receiver.url("/"), Alerts.SECRET), alert.id(), json))
        .isEqualTo(new DeliveryOutcome.Retry("HTTP 503"));
  }

  @Test
  void gone_isPermanent() {
    receiver.status.set(410);
    assertThat(sender.send(channel(receiver.url("/"), Alerts.SECRET), alert.id(), json))
        .isInstanceOfSatisfying(
            DeliveryOutcome.Rejected.class, r -> assertThat(r.code()).isEqualTo("GONE"));
  }

  @Test
  void receiverDown_isRetried() throws IOException {
    int closed = FreePorts.next();
    assertThat(
            sender.send(
                channel(URI.create("http://127.0.0.1:" + closed + "/"), Alerts.SECRET),
                alert.id(),
                json))
        .isInstanceOf(DeliveryOutcome.Retry.class);
  }

  @Test
  void redirect_isNotFollowed_andRetried() throws IOException {
    try (WebhookReceiver elsewhere = WebhookReceiver.start(0)) {
      receiver.status.set(307);
      receiver.location = elsewhere.url("/steal").toString();

      DeliveryOutcome outcome =
          sender.send(channel(receiver.url("/"), Alerts.SECRET), alert.id(), json);

      assertThat(outcome).isEqualTo(new DeliveryOutcome.Retry("HTTP 307"));
      assertThat(elsewhere.requests).isEmpty();
    }
  }

  @Test
  void sameAlert_sameWebhookId_onEveryAttempt() {
    receiver.status.set(500);
    sender.send(channel(receiver.url("/"), Alerts.SECRET), alert.id(), json);
    receiver.status.set(200);
    sender.send(channel(receiver.url("/"), Alerts.SECRET), alert.id(), json);

    assertThat(receiver.requests)
        .extracting(WebhookReceiver.Request::id)
        .containsExactly("alert-1", "alert-1");
    assertThat(new String(receiver.requests.get(1).body(), StandardCharsets.UTF_8))
        .isEqualTo(new String(json, StandardCharsets.UTF_8));
  }
}
