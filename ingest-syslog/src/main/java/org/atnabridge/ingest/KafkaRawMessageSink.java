package org.atnabridge.ingest;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.atnabridge.schemas.RawHeaders;
import org.atnabridge.schemas.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes raw frames to {@link Topics#ATNA_RAW}: value = the payload bytes, key = null (the
 * producer spreads records over partitions), metadata in {@link RawHeaders}.
 *
 * <p>Durability: the producer is idempotent with {@code acks=all}; these two settings are forced,
 * whatever the given configuration says, because a syslog sender has no way to resend what we
 * acknowledged by reading it off the socket.
 *
 * <p>Bounded in-flight: at most {@value #MAX_PENDING_RECORDS} records or
 * {@value #MAX_PENDING_BYTES} payload bytes may be unfinished before {@link #isSaturated()} turns
 * true, well below the producer's {@code buffer.memory}, so the producer never blocks on a full
 * buffer.
 *
 * <p>{@link KafkaProducer#send} still blocks while partition metadata is unknown (first send,
 * broker down) for up to {@code max.block.ms}. So that this never stalls a Netty event loop,
 * sends run on one dedicated thread, in publish order; {@link #publish} only enqueues.
 */
public final class KafkaRawMessageSink implements RawMessageSink {

  /** Soft cap on unfinished records. */
  public static final int MAX_PENDING_RECORDS = 10_000;
  /** Soft cap on unfinished payload bytes (16 MiB; the producer buffers 32 MiB by default). */
  public static final long MAX_PENDING_BYTES = 16L * 1024 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(KafkaRawMessageSink.class);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
  /** ISO-8601 instant, always with milliseconds (RawHeaders.RECEIVED_AT). */
  private static final DateTimeFormatter RECEIVED_AT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final Producer<byte[], byte[]> producer;
  private final ExecutorService sender;
  private final String topic = Topics.ATNA_RAW.name();
  private final AtomicInteger pendingRecords = new AtomicInteger();
  private final AtomicLong pendingBytes = new AtomicLong();
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * @param producerConfig Kafka producer settings; must contain {@code bootstrap.servers}.
   *     Serializers, {@code acks} and {@code enable.idempotence} are set here.
   */
  public KafkaRawMessageSink(Map<String, Object> producerConfig) {
    Objects.requireNonNull(producerConfig, "producerConfig");
    Object servers = producerConfig.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG);
    if (servers == null || servers.toString().isBlank()) {
      throw new IllegalArgumentException("producerConfig has no " + ProducerConfig.BOOTSTRAP_SERVERS_CONFIG);
    }
    Map<String, Object> config = new HashMap<>(producerConfig);
    config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "atna-ingest");
    config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
    config.putIfAbsent(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    // the producer starts its network thread here but connects only on the first send
    this.producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    this.sender = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "atna-raw-sender");
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public CompletionStage<Void> publish(RawMessage message) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (closed.get()) {
      done.completeExceptionally(new IllegalStateException("sink closed"));
      return done;
    }
    int size = message.payload().length;
    pendingRecords.incrementAndGet();
    pendingBytes.addAndGet(size);
    done.whenComplete((ok, error) -> {
      pendingRecords.decrementAndGet();
      pendingBytes.addAndGet(-size);
    });
    try {
      sender.execute(() -> send(toRecord(message), done));
    } catch (RejectedExecutionException e) {
      done.completeExceptionally(new IllegalStateException("sink closed"));
    }
    return done;
  }

  private void send(ProducerRecord<byte[], byte[]> record, CompletableFuture<Void> done) {
    try {
      producer.send(record, (metadata, error) -> {
        if (error == null) {
          done.complete(null);
        } else {
          done.completeExceptionally(error);
        }
      });
    } catch (RuntimeException e) {
      // e.g. metadata not available within max.block.ms, or the producer was closed
      done.completeExceptionally(e);
    }
  }

  private ProducerRecord<byte[], byte[]> toRecord(RawMessage message) {
    RecordHeaders headers = new RecordHeaders();
    RawHeaders.put(headers, RawHeaders.TRANSPORT, message.transport());
    RawHeaders.put(headers, RawHeaders.PEER, message.peer());
    RawHeaders.put(headers, RawHeaders.RECEIVED_AT, RECEIVED_AT.format(message.receivedAt()));
    RawHeaders.put(headers, RawHeaders.LISTENER, message.listener());
    RawHeaders.put(headers, RawHeaders.FRAMING, message.framing());
    return new ProducerRecord<>(topic, null, null, null, message.payload(), headers);
  }

  @Override
  public boolean isSaturated() {
    return pendingRecords.get() >= MAX_PENDING_RECORDS || pendingBytes.get() >= MAX_PENDING_BYTES;
  }

  /** Unfinished publishes (queued or awaiting the broker's acknowledgement). */
  public int pending() {
    return pendingRecords.get();
  }

  /**
   * Hands everything already published to the producer, then closes it, waiting up to 30 s per
   * step for the broker's acknowledgements. Publishes after this fail.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    sender.shutdown();
    try {
      if (!sender.awaitTermination(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("atna.raw sink: sender thread did not finish within {}", CLOSE_TIMEOUT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // close() sends what is buffered and waits for the acknowledgements, bounded
    producer.close(CLOSE_TIMEOUT);
    if (pendingRecords.get() > 0) {
      LOG.warn("atna.raw sink closed with {} unacknowledged records", pendingRecords.get());
    }
  }
}
