package org.atnabridge.streams.alert.notify;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.atnabridge.kafka.embedded.EmbeddedKafkaBroker;
import org.atnabridge.schemas.DeadLetterHeaders;
import org.atnabridge.schemas.alert.Alert;
import org.atnabridge.schemas.alert.AlertJson;
import org.atnabridge.streams.alert.rules.AlertRules;
import org.atnabridge.streams.alert.rules.Channel;
import org.atnabridge.testing.FreePorts;
import org.atnabridge.testing.KafkaBrokerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link AlertDelivery} on the real broker, with real webhook receivers and a real SMTP server. */
@ExtendWith(KafkaBrokerExtension.class)
class AlertDeliveryIT {

  private static final Backoff FAST = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1));
  private static final Duration WAIT = Duration.ofSeconds(60);

  @RegisterExtension
  static final GreenMailExtension SMTP =
      new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort()).withPerMethodLifecycle(true);

  private final MeterRegistry registry = new SimpleMeterRegistry();
  private final EmailSender email = new EmailSender(Map.<String, String>of()::get);

  private AutoCloseable[] opened = new AutoCloseable[0];

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : opened) {
      c.close();
    }
  }

  private void closeAfter(AutoCloseable... c) {
    opened = c;
  }

  private static Channel.Webhook webhook(String id, URI url, Duration deadline) {
    return new Channel.Webhook(id, url, List.of(Alerts.SECRET), Duration.ofSeconds(5), deadline);
  }

  private static AlertRules rules(Channel... channels) {
    return new AlertRules(List.of(channels), List.of(), AlertRules.DEFAULT_GRACE);
  }

  private AlertDelivery start(OutboxKafka kafka, AlertRules rules) {
    return AlertDelivery.start(
        kafka.settings(FAST), () -> rules, email, registry, Clock.systemUTC());
  }

  private static URI closedPort() {
    return URI.create("http://127.0.0.1:" + FreePorts.next() + "/");
  }

  private static String header(ConsumerRecord<String, byte[]> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? "<none>" : new String(h.value(), UTF_8);
  }

  private double count(String meter, String channel) {
    var c = registry.find(meter).tag("channel", channel).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void retriedUntilTheDeadline_thenDeadLetteredWithChannelAndReason_andCommitted(
      EmbeddedKafkaBroker broker) throws Exception {
    OutboxKafka kafka = OutboxKafka.create(broker, 1);
    // detected almost 24 h ago: the deadline (from detectedAt, not from this process) is seconds
    // away
    Alert alert = Alerts.alert("late-1", Duration.ofHours(24).minusSeconds(3), "soc");
    byte[] json = AlertJson.write(alert);
    kafka.send(0, alert.id(), json);
    Instant started = Instant.now();

    AlertDelivery d = start(kafka, rules(webhook("soc", closedPort(), Duration.ofHours(24))));
    closeAfter(d);

    await().atMost(WAIT).until(() -> kafka.deadLetters().size() == 1);
    ConsumerRecord<String, byte[]> dead = kafka.deadLetters().getFirst();
    assertThat(Instant.now()).isAfter(alert.detectedAt().plus(Duration.ofHours(24)));
    assertThat(started).isBefore(alert.detectedAt().plus(Duration.ofHours(24)));
    assertThat(dead.key()).isEqualTo("late-1");
    assertThat(dead.value()).isEqualTo(json);
    assertThat(header(dead, DeadLetterHeaders.CHANNEL)).isEqualTo("soc");
    assertThat(header(dead, DeadLetterHeaders.REASON)).isEqualTo("DEADLINE_PASSED");
    assertThat(header(dead, DeadLetterHeaders.DETAIL)).contains("ConnectException");
    assertThat(header(dead, DeadLetterHeaders.STAGE)).isEqualTo("audit-alert-delivery");
    assertThat(header(dead, DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo(kafka.topic());
    assertThat(header(dead, DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo("0");
    assertThat(count(NotificationMetrics.RETRIES, "soc")).isGreaterThanOrEqualTo(1);
    assertThat(count(NotificationMetrics.DEAD_LETTERS, "soc")).isEqualTo(1);
    await().atMost(WAIT).until(() -> kafka.committed(0) == 1);
  }

  @Test
  void deadlineLongPast_oneAttempt_thenDeadLettered(EmbeddedKafkaBroker broker) throws Exception {
    OutboxKafka kafka = OutboxKafka.create(broker, 1);
    Alert alert = Alerts.alert("old-1", Duration.ofHours(25), "soc");
    kafka.send(0, alert.id(), AlertJson.write(alert));

    closeAfter(start(kafka, rules(webhook("soc", closedPort(), Duration.ofHours(24)))));

    await().atMost(WAIT).until(() -> kafka.committed(0) == 1);
    assertThat(kafka.deadLetters()).hasSize(1);
    assertThat(count(NotificationMetrics.RETRIES, "soc")).isZero();
  }

  @Test
  void invalidRecordBetweenTwoAlerts_deadLettered_bothAlertsDeliveredInOrder(
      EmbeddedKafkaBroker broker) throws Exception {
    OutboxKafka kafka = OutboxKafka.create(broker, 1);
    try (WebhookReceiver receiver = WebhookReceiver.start(0)) {
      Alert first = Alerts.alert("first", Duration.ZERO, "soc");
      Alert second = Alerts.alert("second", Duration.ZERO, "soc");
      kafka.send(0, first.id(), AlertJson.write(first));
      kafka.send(0, "garbage", "{not an alert".getBytes(UTF_8));
      kafka.send(0, second.id(), AlertJson.write(second));

      closeAfter(start(kafka, rules(webhook("soc", receiver.url("/"), Duration.ofHours(24)))));

      await().atMost(WAIT).until(() -> kafka.committed(0) == 3);
      assertThat(receiver.delivered())
          .extracting(WebhookReceiver.Request::id)
          .containsExactly("first", "second");
      List<ConsumerRecord<String, byte[]>> dead = kafka.deadLetters();
      assertThat(dead).hasSize(1);
      assertThat(dead.getFirst().key()).isEqualTo("garbage");
      assertThat(header(dead.getFirst(), DeadLetterHeaders.REASON)).isEqualTo("NOT_AN_ALERT");
      assertThat(header(dead.getFirst(), DeadLetterHeaders.CHANNEL)).isEqualTo("<none>");
      assertThat(header(dead.getFirst(), DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo("1");
      assertThat(count(NotificationMetrics.DELIVERED, "soc")).isEqualTo(2);
      assertThat(registry.find(NotificationMetrics.LATENCY).tag("channel", "soc").timer().count())
          .isEqualTo(2);
    }
  }

  /**
   * An alert of a rule that notifies no channel (the default pack without {@code pack-notify}) is
   * on the topic and nothing more: it is committed at once and the alerts behind it in its
   * partition are delivered. It once held its partition's lane for good.
   */
  @Test
  void alertWithoutChannels_committedAtOnce_theAlertsBehindItDelivered(EmbeddedKafkaBroker broker)
      throws Exception {
    OutboxKafka kafka = OutboxKafka.create(broker, 1);
    try (WebhookReceiver receiver = WebhookReceiver.start(0)) {
      Alert first = Alerts.alert("first", Duration.ZERO, "soc");
      Alert silent = Alerts.alert("topic-only", Duration.ZERO);
      Alert second = Alerts.alert("second", Duration.ZERO, "soc");
      kafka.send(0, first.id(), AlertJson.write(first));
      kafka.send(0, silent.id(), AlertJson.write(silent));
      kafka.send(0, second.id(), AlertJson.write(second));

      closeAfter(start(kafka, rules(webhook("soc", receiver.url("/"), Duration.ofHours(24)))));

      await().atMost(WAIT).until(() -> kafka.committed(0) == 3);
      assertThat(receiver.delivered())
          .extracting(WebhookReceiver.Request::id)
          .containsExactly("first", "second");
      assertThat(kafka.deadLetters()).isEmpty();
    }
  }

  @Test
  void channelRemovedByAReload_deadLettered_theOtherChannelDelivered(EmbeddedKafkaBroker broker)
      throws Exception {
    OutboxKafka kafka = OutboxKafka.create(broker, 1);
    try (WebhookReceiver receiver = WebhookReceiver.start(0)) {
      Alert alert = Alerts.alert("a-1", Duration.ZERO, "soc", "removed");
      kafka.send(0, alert.id(), AlertJson.write(alert));

      closeAfter(start(kafka, rules(webhook("soc", receiver.url("/"), Duration.ofHours(24)))));

      await().atMost(WAIT).until(() -> kafka.committed(0) == 1);
      assertThat(receiver.delivered()).hasSize(1);
      ConsumerRecord<String, byte[]> dead = kafka.deadLetters().getFirst();
      assertThat(header(dead, DeadLetterHeaders.CHANNEL)).isEqualTo("removed");
      assertThat(header(dead, DeadLetterHeaders.REASON)).isEqualTo("UNKNOWN_CHANNEL");
    }
  }

  @Test
  void aPartitionInRetry_doesNotHoldUpTheOthers(EmbeddedKafkaBroker broker) throws Exception {
    OutboxKafka kafka = OutboxKafka.create(broker, 3);
    try (WebhookReceiver down = WebhookReceiver.start(0);
        WebhookReceiver up = WebhookReceiver.start(0)) {
      down.status.set(503);
      Alert stuck = Alerts.alert("stuck", Duration.ZERO, "down");
      Alert behind = Alerts.alert("behind", Duration.ZERO, "up");
      Alert other = Alerts.alert("other", Duration.ZERO, "up");
      kafka.send(0, stuck.id(), AlertJson.write(stuck));
      kafka.send(0, behind.id(), AlertJson.write(behind));
      kafka.send(1, other.id(), AlertJson.write(other));

      closeAfter(
          start(
              kafka,
              rules(
                  webhook("down", down.url("/"), Duration.ofHours(24)),
                  webhook("up", up.url("/"), Duration.ofHours(24)))));

      await().atMost(WAIT).until(() -> kafka.committed(1) == 1);
      await().atMost(WAIT).until(() -> down.requests.size() >= 3);
      // partition 0 keeps its order: "behind" waits for "stuck"
      assertThat(up.delivered()).extracting(WebhookReceiver.Request::id).containsExactly("other");
      assertThat(kafka.committed(0)).isEqualTo(-1);

      down.status.set(200);
      await().atMost(WAIT).until(() -> kafka.committed(0) == 2);
      assertThat(up.delivered())
          .extracting(WebhookReceiver.Request::id)
          .containsExactly("other", "behind");
    }
  }

  @Test
  void restartMidRetry_deliveredWithTheSameWebhookId_committedOnlyAfter(EmbeddedKafkaBroker broker)
      throws Exception {
    OutboxKafka kafka = OutboxKafka.create(broker, 1);
    try (WebhookReceiver receiver = WebhookReceiver.start(0)) {
      receiver.status.set(503);
      Alert alert = Alerts.alert("restart-1", Duration.ZERO, "soc");
      kafka.send(0, alert.id(), AlertJson.write(alert));
      AlertRules rules = rules(webhook("soc", receiver.url("/"), Duration.ofHours(24)));

      try (AlertDelivery first = start(kafka, rules)) {
        await().atMost(WAIT).until(() -> receiver.requests.size() >= 2);
      }
      assertThat(kafka.committed(0)).as("nothing committed before delivery").isEqualTo(-1);
      int failed = receiver.requests.size();

      receiver.status.set(200);
      closeAfter(start(kafka, rules));

      await().atMost(WAIT).until(() -> kafka.committed(0) == 1);
      assertThat(receiver.delivered()).hasSize(1);
      assertThat(receiver.requests).hasSizeGreaterThan(failed);
      assertThat(receiver.requests)
          .extracting(WebhookReceiver.Request::id)
          .containsOnly("restart-1");
      WebhookReceiver.Request ok = receiver.delivered().getFirst();
      assertThat(
              new StandardWebhooksVerifier(Alerts.SECRET)
                  .verify(ok.id(), ok.timestamp(), ok.signature(), ok.body(), Instant.now()))
          .isTrue();
      assertThat(kafka.deadLetters()).isEmpty();
    }
  }

  @Test
  void emailAndKafkaChannels_mailArrives_committed(EmbeddedKafkaBroker broker) throws Exception {
    OutboxKafka kafka = OutboxKafka.create(broker, 1);
    Alert alert = Alerts.alert("mail-1", Duration.ZERO, "privacy", "topic");
    kafka.send(0, alert.id(), AlertJson.write(alert));
    Channel.Email mail =
        new Channel.Email(
            "privacy",
            List.of("privacy@hospital.example"),
            "atna-bridge@hospital.example",
            new Channel.Smtp(
                "127.0.0.1", SMTP.getSmtp().getPort(), Channel.StartTls.NONE, null, null),
            null,
            null,
            false,
            Duration.ofHours(24));

    closeAfter(start(kafka, rules(mail, new Channel.Kafka("topic"))));

    await().atMost(WAIT).until(() -> kafka.committed(0) == 1);
    assertThat(SMTP.getReceivedMessages()).hasSize(1);
    assertThat(SMTP.getReceivedMessages()[0].getSubject())
        .isEqualTo("[ATNA alert high] Break-glass access: jdoe used break-glass on Patient/p-42");
    assertThat(count(NotificationMetrics.DELIVERED, "privacy")).isEqualTo(1);
    assertThat(count(NotificationMetrics.DELIVERED, "topic")).isEqualTo(1);
  }
}
