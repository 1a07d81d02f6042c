package org.atnabridge.ingest;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.atnabridge.ingest.netty.ListenerMetrics;
import org.atnabridge.kafka.embedded.EmbeddedKafkaBroker;
import org.atnabridge.schemas.RawHeaders;
import org.atnabridge.schemas.Topics;
import org.atnabridge.testing.KafkaBrokerExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Real sockets into a real broker: {@link SyslogListener} on a free port publishing through {@link
 * KafkaRawMessageSink} to {@code atna.raw}, read back with a plain consumer.
 */
@ExtendWith(KafkaBrokerExtension.class)
class SyslogListenerIT {

  /**
   * Relative to the module directory (failsafe's working directory): /work/main/ingest-syslog →
   * /work/shared.
   */
  private static final Path AHDIS_FRAME =
      Path.of("../../shared/test-vectors/syslog-framed/ahdis-iti-47-atna-raw.txt");

  private static final Path LOGGER = Path.of("/usr/bin/logger");
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private static final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private static final List<ConsumerRecord<byte[], byte[]>> received = new CopyOnWriteArrayList<>();
  private static KafkaRawMessageSink sink;
  private static SyslogListener listener;
  private static KafkaConsumer<byte[], byte[]> consumer;

  @BeforeAll
  static void start(EmbeddedKafkaBroker kafka) {
    KafkaBrokerExtension.createTopics(kafka, Topics.ATNA_RAW.partitions(), Topics.ATNA_RAW.name());
    sink =
        new KafkaRawMessageSink(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    listener =
        new SyslogListener(
                new ListenerConfig(
                    "127.0.0.1", 0, ListenerConfig.DEFAULT_MAX_FRAME_LENGTH, Duration.ofMinutes(1)),
                sink,
                registry)
            .start();
    consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    List<TopicPartition> partitions =
        consumer.partitionsFor(Topics.ATNA_RAW.name(), TIMEOUT).stream()
            .map(p -> new TopicPartition(p.topic(), p.partition()))
            .toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
  }

  @AfterAll
  static void stop() {
    if (listener != null) {
      listener.close();
    }
    if (sink != null) {
      sink.close();
    }
    if (consumer != null) {
      consumer.close();
    }
  }

  @Test
  void publish_realAtnaFrame_arrivesByteForByteWithHeaders() throws IOException {
    assertThat(AHDIS_FRAME)
        .as("test vector missing: " + AHDIS_FRAME.toAbsolutePath().normalize())
        .isRegularFile();
    byte[] framed = Files.readAllBytes(AHDIS_FRAME);
    int space = indexOf(framed, (byte) ' ');
    byte[] expected = Arrays.copyOfRange(framed, space + 1, framed.length);
    assertThat(expected)
        .as("vector is one complete octet-counted frame")
        .hasSize(Integer.parseInt(new String(framed, 0, space, UTF_8)));

    send(framed);

    ConsumerRecord<byte[], byte[]> record = awaitRecord(r -> Arrays.equals(r.value(), expected));
    assertThat(new String(record.key(), UTF_8)).as("key = sender address").isEqualTo("127.0.0.1");
    assertThat(RawHeaders.get(record.headers(), RawHeaders.TRANSPORT)).isEqualTo("tcp");
    assertThat(RawHeaders.get(record.headers(), RawHeaders.PEER)).startsWith("127.0.0.1:");
    assertThat(RawHeaders.get(record.headers(), RawHeaders.LISTENER))
        .isEqualTo("syslog-tcp:" + listener.tcpPort());
    assertThat(RawHeaders.get(record.headers(), RawHeaders.FRAMING)).isEqualTo("octet-counting");
    String receivedAt = RawHeaders.get(record.headers(), RawHeaders.RECEIVED_AT);
    assertThat(receivedAt)
        .as("microseconds")
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z");
    assertThat(Instant.parse(receivedAt))
        .isBetween(Instant.now().minus(Duration.ofMinutes(1)), Instant.now());
    assertThat(RawHeaders.get(record.headers(), RawHeaders.PEER_CERT_SUBJECT))
        .as("plain TCP")
        .isNull();
  }

  /**
   * Zipkin's sandwich: valid, poison, valid on a new connection; the second valid one proves
   * recovery.
   */
  @Test
  void listener_badFramingClosesOnlyItsConnection() throws IOException {
    String first = "<85>1 - sandwich - - IHE+RFC-3881 - first-" + UUID.randomUUID();
    String second = "<85>1 - sandwich - - IHE+RFC-3881 - second-" + UUID.randomUUID();
    double badFraming = rejects("bad-framing");

    try (Socket socket = connect()) {
      OutputStream out = socket.getOutputStream();
      out.write(octetCounted(first));
      out.write("12a garbage\n".getBytes(UTF_8));
      out.flush();
      assertThat(socket.getInputStream().read())
          .as("server closes the poisoned connection")
          .isEqualTo(-1);
    }
    try (Socket socket = connect()) {
      socket.getOutputStream().write((second + "\n").getBytes(UTF_8));
    }

    ConsumerRecord<byte[], byte[]> last =
        awaitRecord(r -> new String(r.value(), UTF_8).equals(second));
    assertThat(RawHeaders.get(last.headers(), RawHeaders.FRAMING)).isEqualTo("non-transparent");
    assertThat(received).anyMatch(r -> new String(r.value(), UTF_8).equals(first));
    assertThat(received).noneMatch(r -> new String(r.value(), UTF_8).contains("garbage"));
    assertThat(rejects("bad-framing")).isEqualTo(badFraming + 1);
    assertThat(listener.check()).isTrue();
  }

  @Test
  void listener_acceptsUtilLinuxLoggerOctetCounted() throws Exception {
    assertThat(LOGGER).as("util-linux logger is required for this test").isExecutable();
    String marker = "atnatest";
    Process logger =
        new ProcessBuilder(
                LOGGER.toString(),
                "--tcp",
                "--octet-count",
                "--rfc5424",
                "-n",
                "127.0.0.1",
                "-P",
                Integer.toString(listener.tcpPort()),
                "-t",
                marker,
                "<AuditMessage/>")
            .redirectErrorStream(true)
            .start();
    assertThat(logger.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS))
        .as("logger finished")
        .isTrue();
    String output = new String(logger.getInputStream().readAllBytes(), UTF_8);
    assertThat(logger.exitValue()).as("logger exit code; output: " + output).isZero();

    ConsumerRecord<byte[], byte[]> record =
        awaitRecord(
            r -> {
              String v = new String(r.value(), UTF_8);
              return v.contains(" " + marker + " ") && v.endsWith("<AuditMessage/>");
            });
    assertThat(new String(record.value(), UTF_8)).startsWith("<").contains(">1 ");
    assertThat(RawHeaders.get(record.headers(), RawHeaders.FRAMING)).isEqualTo("octet-counting");
  }

  @Test
  void start_portInUse_throwsNamingThePort() {
    int port = listener.tcpPort();
    SyslogListener second =
        new SyslogListener(
            new ListenerConfig(
                "127.0.0.1", port, ListenerConfig.DEFAULT_MAX_FRAME_LENGTH, Duration.ofMinutes(1)),
            sink,
            registry);

    assertThatThrownBy(second::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(":" + port);
    second.close();
    assertThat(listener.check()).isTrue();
  }

  @Test
  void close_publishesFrameInProgressStopsListeningAndIsIdempotent() throws IOException {
    SyslogListener other = new SyslogListener(ListenerConfig.defaults(0), sink, registry).start();
    int port = other.tcpPort();
    assertThat(other.check()).isTrue();
    String complete = "<85>1 - closing - - - - complete-" + UUID.randomUUID();
    String unterminated = "<85>1 - closing - - - - unterminated-" + UUID.randomUUID();
    Socket open = new Socket("127.0.0.1", port);
    open.setSoTimeout((int) TIMEOUT.toMillis());
    open.getOutputStream().write((complete + "\n" + unterminated).getBytes(UTF_8));
    // once the complete frame is in Kafka the server has read the whole (single-segment) write
    awaitRecord(r -> new String(r.value(), UTF_8).equals(complete));

    other.close();
    other.close();

    assertThat(other.check()).isFalse();
    assertThat(open.getInputStream().read()).as("open connection closed by close()").isEqualTo(-1);
    open.close();
    assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(IOException.class);
    ConsumerRecord<byte[], byte[]> last =
        awaitRecord(r -> new String(r.value(), UTF_8).equals(unterminated));
    assertThat(RawHeaders.get(last.headers(), RawHeaders.FRAMING)).isEqualTo("non-transparent");
    assertThat(
            registry
                .get(ListenerMetrics.UNTERMINATED)
                .tag("listener", "syslog-tcp:" + port)
                .counter()
                .count())
        .isEqualTo(1);
  }

  private static double rejects(String reason) {
    return registry.get(ListenerMetrics.REJECTS).tag("reason", reason).counter().count();
  }

  private static Socket connect() throws IOException {
    Socket socket = new Socket("127.0.0.1", listener.tcpPort());
    socket.setSoTimeout((int) TIMEOUT.toMillis());
    return socket;
  }

  private static void send(byte[] bytes) throws IOException {
    try (Socket socket = connect()) {
      socket.getOutputStream().write(bytes);
    }
  }

  private static byte[] octetCounted(String message) {
    byte[] body = message.getBytes(UTF_8);
    byte[] prefix = (body.length + " ").getBytes(UTF_8);
    byte[] frame = Arrays.copyOf(prefix, prefix.length + body.length);
    System.arraycopy(body, 0, frame, prefix.length, body.length);
    return frame;
  }

  private static ConsumerRecord<byte[], byte[]> awaitRecord(
      Predicate<ConsumerRecord<byte[], byte[]>> match) {
    await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              consumer.poll(Duration.ofMillis(200)).forEach(received::add);
              return received.stream().anyMatch(match);
            });
    return received.stream().filter(match).findFirst().orElseThrow();
  }

  private static int indexOf(byte[] bytes, byte b) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    throw new AssertionError("no SP in the octet-counted frame");
  }
}
