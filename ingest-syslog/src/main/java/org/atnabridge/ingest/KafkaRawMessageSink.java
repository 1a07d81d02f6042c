package org.atnabridge.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
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
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.atnabridge.schemas.DeadLetterHeaders;
import org.atnabridge.schemas.RawHeaders;
import org.atnabridge.schemas.Topics;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes raw frames to {@link Topics#ATNA_RAW}, or to {@link Topics#ACCESSLOG_RAW} when {@link
 * AccessLogRouting} finds an access log tag in the header (then with secret query values masked and
 * header {@link RawHeaders#ACCESS_LOG_SOURCE}), and rejected input to {@link Topics#AUDIT_DLQ}
 * (masked the same way when it is an access log frame): value = the payload bytes, key = the
 * sender's IP address (one sender's messages stay in one partition, in order), metadata in {@link
 * RawHeaders}. The durability and back-pressure below hold for every topic alike.
 *
 * <p>Durability: the producer is idempotent with {@code acks=all}, and {@code delivery.timeout.ms}
 * is unbounded: these are forced, whatever the given configuration says, because a syslog sender
 * cannot resend what we acknowledged by reading it off the socket. While the broker is down the
 * records wait in the producer and {@link #isSaturated()} turns true, which stops the listeners
 * reading (back-pressure); when it is back they are delivered exactly once (idempotence removes the
 * duplicates retries would otherwise create).
 *
 * <p>Throughput defaults (overridable): {@code compression.type=lz4}, {@code linger.ms=5}, {@code
 * batch.size=256 KiB}, {@code buffer.memory=64 MiB}.
 *
 * <p>Bounded in-flight: at most {@value #MAX_PENDING_RECORDS} records or {@value
 * #MAX_PENDING_BYTES} payload bytes may be unfinished before {@link #isSaturated()} turns true,
 * well below {@code buffer.memory}, so the producer never blocks on a full buffer.
 *
 * <p>{@link KafkaProducer#send} still blocks while partition metadata is unknown (first send,
 * broker down). So that this never stalls a Netty event loop, sends run on one dedicated thread, in
 * publish order; {@link #publish} only enqueues. A metadata timeout there is retried until the
 * broker answers or the sink is closed.
 */
public final class KafkaRawMessageSink implements RawMessageSink {

  /** Soft cap on unfinished records. */
  public static final int MAX_PENDING_RECORDS = 20_000;

  /** Soft cap on unfinished payload bytes (32 MiB; the producer buffers 64 MiB). */
  public static final long MAX_PENDING_BYTES = 32L * 1024 * 1024;

  /** Time from publish to the broker's acknowledgement; tag {@code topic}. */
  public static final String SEND_LATENCY = "atna.ingest.kafka.send";

  /** Records the producer reported as failed; tag {@code topic}. */
  public static final String SEND_ERRORS = "atna.ingest.kafka.errors";

  /** Records published but not yet acknowledged. */
  public static final String PENDING = "atna.ingest.kafka.pending";

  /** The scrub counter's {@code intake} tag. */
  static final String INTAKE = "syslog";

  private static final Logger LOG = LoggerFactory.getLogger(KafkaRawMessageSink.class);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

  /** ISO-8601 instant with microseconds (RawHeaders.RECEIVED_AT). */
  private static final DateTimeFormatter MICROS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  private static final String STAGE = "ingest-syslog";

  private final Producer<byte[], byte[]> producer;
  private final ExecutorService sender;
  private final Clock clock;
  private final AccessLogRouting routing;
  private final AtomicInteger pendingRecords = new AtomicInteger();
  private final AtomicLong pendingBytes = new AtomicLong();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile long closeDeadline = Long.MAX_VALUE;
  private final TopicMeters atnaRawMeters;
  private final TopicMeters accessLogRawMeters;
  private final TopicMeters dlqMeters;
  private final Counter scrubbed;

  /** Metrics go to {@link Metrics#globalRegistry}. */
  public KafkaRawMessageSink(Map<String, Object> producerConfig) {
    this(producerConfig, Metrics.globalRegistry);
  }

  /**
   * @param producerConfig Kafka producer settings; must contain {@code bootstrap.servers}.
   *     Serializers, {@code acks}, {@code enable.idempotence} and {@code delivery.timeout.ms} are
   *     set here.
   */
  public KafkaRawMessageSink(Map<String, Object> producerConfig, MeterRegistry registry) {
    this(producerConfig, registry, AccessLogRouting.defaults());
  }

  /**
   * @param producerConfig as above
   * @param routing which frames are access log lines, and the secrets masked in them
   */
  public KafkaRawMessageSink(
      Map<String, Object> producerConfig, MeterRegistry registry, AccessLogRouting routing) {
    Objects.requireNonNull(producerConfig, "producerConfig");
    Objects.requireNonNull(registry, "registry");
    this.routing = Objects.requireNonNull(routing, "routing");
    Object servers = producerConfig.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG);
    if (servers == null || servers.toString().isBlank()) {
      throw new IllegalArgumentException(
          "producerConfig has no " + ProducerConfig.BOOTSTRAP_SERVERS_CONFIG);
    }
    this.clock = Clock.systemUTC();
    Map<String, Object> config = new HashMap<>(producerConfig);
    config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "atna-ingest");
    config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
    config.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    config.putIfAbsent(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024);
    config.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    config.putIfAbsent(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
    // a frame may be up to ListenerConfig.MAX_FRAME_LENGTH octets
    config.putIfAbsent(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 * 1024 * 1024);
    config.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.MAX_VALUE);
    config.put(ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE);
    // the producer starts its network thread here but connects only on the first send
    this.producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    this.sender =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "atna-raw-sender");
              t.setDaemon(true);
              return t;
            });
    atnaRawMeters = TopicMeters.register(registry, Topics.ATNA_RAW.name());
    accessLogRawMeters = TopicMeters.register(registry, Topics.ACCESSLOG_RAW.name());
    dlqMeters = TopicMeters.register(registry, Topics.AUDIT_DLQ.name());
    scrubbed =
        Counter.builder(AccessLogRouting.SCRUBBED)
            .description("secret query values masked before an access log line is stored")
            .tag("intake", INTAKE)
            .register(registry);
    Gauge.builder(PENDING, pendingRecords, AtomicInteger::get)
        .description("records awaiting acknowledgement")
        .strongReference(true)
        .register(registry);
  }

  /**
   * Routes and scrubs on the caller's thread (the listeners' event loops, in parallel), so the one
   * sender thread only sends.
   */
  @Override
  public CompletionStage<Void> publish(RawMessage message) {
    AccessLogRouting.Route route = route(message);
    return enqueue(
        route.message(),
        route.accessLogSource() == null ? atnaRawMeters : accessLogRawMeters,
        () -> toRecord(route.message(), route.topic(), route.accessLogSource()));
  }

  @Override
  public CompletionStage<Void> deadLetter(
      RawMessage message, String reason, String detail, long originalSize) {
    AccessLogRouting.Route route = route(message);
    return enqueue(
        route.message(),
        dlqMeters,
        () -> toDeadLetter(route.message(), route.accessLogSource(), reason, detail, originalSize));
  }

  private AccessLogRouting.Route route(RawMessage message) {
    AccessLogRouting.Route route = routing.route(message);
    if (route.masked() > 0) {
      scrubbed.increment(route.masked());
    }
    return route;
  }

  /**
   * @param record builds the record on the sender thread
   */
  private CompletionStage<Void> enqueue(
      RawMessage message, TopicMeters topic, Supplier<ProducerRecord<byte[], byte[]>> record) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (closed.get()) {
      done.completeExceptionally(new IllegalStateException("sink closed"));
      return done;
    }
    int size = message.payload().length;
    pendingRecords.incrementAndGet();
    pendingBytes.addAndGet(size);
    long start = System.nanoTime();
    done.whenComplete(
        (ok, error) -> {
          pendingRecords.decrementAndGet();
          pendingBytes.addAndGet(-size);
          if (error == null) {
            topic.latency().record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
          } else {
            topic.errors().increment();
          }
        });
    try {
      sender.execute(() -> send(record.get(), done));
    } catch (RejectedExecutionException e) {
      done.completeExceptionally(new IllegalStateException("sink closed"));
    }
    return done;
  }

  /**
   * Runs on the sender thread. A metadata timeout (the broker is unreachable) is reported by {@code
   * send} either by throwing or by calling the callback before returning; both are retried here, in
   * order, until the broker answers or the close deadline passes.
   */
  private void send(ProducerRecord<byte[], byte[]> record, CompletableFuture<Void> done) {
    while (true) {
      boolean[] metadataTimeout = {false};
      Thread caller = Thread.currentThread();
      try {
        producer.send(
            record,
            (metadata, error) -> {
              if (error == null) {
                done.complete(null);
              } else if (error instanceof TimeoutException
                  && Thread.currentThread() == caller
                  && !done.isDone()
                  && System.currentTimeMillis() <= closeDeadline) {
                metadataTimeout[0] = true;
              } else {
                LOG.debug("send to {} failed: {}", record.topic(), error.toString());
                done.completeExceptionally(error);
              }
            });
        if (!metadataTimeout[0]) {
          return;
        }
        LOG.debug("no partition metadata for {} yet, retrying", record.topic());
      } catch (TimeoutException e) {
        if (System.currentTimeMillis() > closeDeadline) {
          done.completeExceptionally(e);
          return;
        }
        LOG.debug("no partition metadata for {} yet, retrying: {}", record.topic(), e.getMessage());
      } catch (InterruptException e) {
        done.completeExceptionally(e);
        return;
      } catch (RuntimeException e) {
        // e.g. record too large, or the producer was closed
        done.completeExceptionally(e);
        return;
      }
    }
  }

  private ProducerRecord<byte[], byte[]> toRecord(
      RawMessage message, String topic, @Nullable String accessLogSource) {
    RecordHeaders headers = new RecordHeaders();
    RawHeaders.put(headers, RawHeaders.TRANSPORT, message.transport());
    RawHeaders.put(headers, RawHeaders.PEER, message.peer());
    RawHeaders.put(headers, RawHeaders.RECEIVED_AT, MICROS.format(message.receivedAt()));
    RawHeaders.put(headers, RawHeaders.LISTENER, message.listener());
    RawHeaders.put(headers, RawHeaders.FRAMING, message.framing());
    if (message.peerCertSubject() != null) {
      RawHeaders.put(headers, RawHeaders.PEER_CERT_SUBJECT, message.peerCertSubject());
    }
    if (accessLogSource != null) {
      RawHeaders.put(headers, RawHeaders.ACCESS_LOG_SOURCE, accessLogSource);
    }
    byte[] key = message.peerAddress().getBytes(StandardCharsets.UTF_8);
    return new ProducerRecord<>(topic, null, null, key, message.payload(), headers);
  }

  private ProducerRecord<byte[], byte[]> toDeadLetter(
      RawMessage message,
      @Nullable String accessLogSource,
      String reason,
      String detail,
      long originalSize) {
    ProducerRecord<byte[], byte[]> record =
        toRecord(message, Topics.AUDIT_DLQ.name(), accessLogSource);
    RawHeaders.put(record.headers(), DeadLetterHeaders.REASON, reason);
    RawHeaders.put(record.headers(), DeadLetterHeaders.DETAIL, detail);
    RawHeaders.put(record.headers(), DeadLetterHeaders.STAGE, STAGE);
    RawHeaders.put(record.headers(), DeadLetterHeaders.FAILED_AT, MICROS.format(clock.instant()));
    RawHeaders.put(
        record.headers(),
        DeadLetterHeaders.ORIGINAL_SIZE,
        originalSize < 0 ? "unknown" : Long.toString(originalSize));
    return record;
  }

  /** The send meters of one topic. */
  private record TopicMeters(Timer latency, Counter errors) {
    static TopicMeters register(MeterRegistry registry, String topic) {
      return new TopicMeters(
          Timer.builder(SEND_LATENCY)
              .description("publish to broker acknowledgement")
              .tag("topic", topic)
              .register(registry),
          Counter.builder(SEND_ERRORS)
              .description("records the producer failed")
              .tag("topic", topic)
              .register(registry));
    }
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
   * Hands everything already published to the producer, then closes it, waiting up to 30 s for the
   * broker's acknowledgements. Publishes after this fail.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    closeDeadline = System.currentTimeMillis() + CLOSE_TIMEOUT.toMillis();
    sender.shutdown();
    try {
      if (!sender.awaitTermination(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("raw sink: sender thread did not finish within {}", CLOSE_TIMEOUT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // close() sends what is buffered and waits for the acknowledgements, bounded
    long left = Math.max(1_000, closeDeadline - System.currentTimeMillis());
    producer.close(Duration.ofMillis(left));
    if (pendingRecords.get() > 0) {
      LOG.warn("raw sink closed with {} unacknowledged records", pendingRecords.get());
    }
  }
}
