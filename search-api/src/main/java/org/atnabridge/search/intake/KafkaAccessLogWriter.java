package org.atnabridge.search.intake;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.atnabridge.schemas.Topics;
import org.atnabridge.search.AcknowledgedProducerConfig;

/**
 * Writes access log lines to {@code accesslog.raw} with an idempotent producer ({@code acks=all})
 * and waits, bounded, until the broker has acknowledged every record of a request: the intake
 * answers 202 only then. A request that times out may have been written in part; a client that
 * sends it again causes no duplicate audit events, because event ids derive from the line's content
 * and source.
 */
public final class KafkaAccessLogWriter implements AutoCloseable {

  /** How long a request waits for the broker's acknowledgements before it is answered 503. */
  static final Duration ACK_TIMEOUT = Duration.ofSeconds(15);

  /** Kafka could not acknowledge every record in time. The message names no record content. */
  static final class UnavailableException extends Exception {
    private static final long serialVersionUID = 1L;

    UnavailableException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final KafkaProducer<byte[], byte[]> producer;

  /**
   * @param producerConfig must contain {@code bootstrap.servers}; {@code acks} and idempotence are
   *     forced
   */
  public KafkaAccessLogWriter(Map<String, Object> producerConfig) {
    Map<String, Object> config = AcknowledgedProducerConfig.of(producerConfig);
    config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "accesslog-http-intake");
    config.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    config.putIfAbsent(
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) ACK_TIMEOUT.toMillis() - 2_000);
    config.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
    this.producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** Sends every record and returns once all are acknowledged. */
  void write(List<ProducerRecord<byte[], byte[]>> records) throws UnavailableException {
    List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
    long deadline = System.nanoTime() + ACK_TIMEOUT.toNanos();
    try {
      for (ProducerRecord<byte[], byte[]> record : records) {
        acks.add(producer.send(record));
      }
      for (Future<RecordMetadata> ack : acks) {
        ack.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnavailableException("interrupted while writing to " + topic(), e);
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      throw new UnavailableException(
          "could not write to " + topic() + ": " + cause.getClass().getSimpleName(), e);
    }
  }

  private static String topic() {
    return Topics.ACCESSLOG_RAW.name();
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }
}
