package org.atnabridge.streams.alert.notify;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.atnabridge.schemas.DeadLetterHeaders;
import org.jspecify.annotations.Nullable;

/**
 * Writes an alert record to the dead-letter topic as it was (key, value, headers) plus the {@link
 * DeadLetterHeaders}: the channel, the reason code and detail, the source record, the time. Waits
 * for the broker's acknowledgement, so the source offset is committed only after the dead letter is
 * durable.
 */
final class AlertDeadLetters {

  /** {@code dlq.stage} of alert delivery. */
  static final String STAGE = "audit-alert-delivery";

  /** Reason code: the record is not an alert this version reads. */
  static final String NOT_AN_ALERT = "NOT_AN_ALERT";

  /** Reason code: the channel did not take the alert before its deadline. */
  static final String DEADLINE_PASSED = "DEADLINE_PASSED";

  private final Producer<String, byte[]> producer;
  private final String topic;

  AlertDeadLetters(Producer<String, byte[]> producer, String topic) {
    this.producer = producer;
    this.topic = topic;
  }

  /**
   * @param channel the channel id, or null when the record is no alert at all
   * @throws DeadLetterFailed when the broker did not acknowledge it
   */
  void send(
      ConsumerRecord<String, byte[]> source,
      @Nullable String channel,
      String reason,
      String detail,
      Instant now) {
    ProducerRecord<String, byte[]> r =
        new ProducerRecord<>(topic, null, source.key(), source.value());
    for (Header h : source.headers()) {
      r.headers().add(h);
    }
    Headers h = r.headers();
    if (channel != null) {
      put(h, DeadLetterHeaders.CHANNEL, channel);
    }
    put(h, DeadLetterHeaders.REASON, reason);
    put(h, DeadLetterHeaders.DETAIL, detail);
    put(h, DeadLetterHeaders.STAGE, STAGE);
    put(h, DeadLetterHeaders.SOURCE_TOPIC, source.topic());
    put(h, DeadLetterHeaders.SOURCE_PARTITION, Integer.toString(source.partition()));
    put(h, DeadLetterHeaders.SOURCE_OFFSET, Long.toString(source.offset()));
    put(h, DeadLetterHeaders.FAILED_AT, now.toString());
    try {
      producer.send(r).get(60, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new DeadLetterFailed(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DeadLetterFailed(e);
    }
  }

  private static void put(Headers headers, String name, String value) {
    headers.remove(name);
    headers.add(name, value.getBytes(StandardCharsets.UTF_8));
  }

  /** The dead letter was not acknowledged: the record stays uncommitted and is tried again. */
  static final class DeadLetterFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DeadLetterFailed(Throwable cause) {
      super("audit.alerts.dlq did not acknowledge", cause);
    }
  }
}
