package org.atnabridge.ingest;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.atnabridge.ingest.Harness.containing;
import static org.atnabridge.ingest.Harness.on;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.atnabridge.ingest.netty.ListenerMetrics;
import org.atnabridge.kafka.embedded.EmbeddedKafkaBroker;
import org.atnabridge.schemas.DeadLetterHeaders;
import org.atnabridge.schemas.RawHeaders;
import org.atnabridge.schemas.Topics;
import org.atnabridge.testing.KafkaBrokerExtension;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hostile and broken senders over real sockets: garbage, a lying MSG-LEN, a frame over the limit,
 * half a frame then silence, a thousand idle connections, connection caps. Every test ends with a
 * well-behaved sender (util-linux {@code logger}) being served: the sandwich pattern.
 */
@ExtendWith(KafkaBrokerExtension.class)
class FaultsIT {

  private static final String LOGGER = "/usr/bin/logger";
  private static final int MAX_FRAME = 4096;
  private static final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private static KafkaRawMessageSink sink;
  private static SyslogListener listener;
  private static SyslogListener capped;
  private static Harness kafka;

  @BeforeAll
  static void start(EmbeddedKafkaBroker broker) {
    KafkaBrokerExtension.createTopics(broker, Topics.newTopics((short) 1));
    sink =
        new KafkaRawMessageSink(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()), registry);
    listener =
        new SyslogListener(
                new ListenerConfig("127.0.0.1", 0, MAX_FRAME, Duration.ofSeconds(2))
                    .withConnectionLimits(2000, 1500),
                sink,
                registry)
            .start();
    capped =
        new SyslogListener(
                new ListenerConfig("127.0.0.1", 0, MAX_FRAME, Duration.ofMinutes(1))
                    .withConnectionLimits(5, 2),
                sink,
                registry)
            .start();
    kafka = new Harness(broker.bootstrapServers(), Topics.ATNA_RAW.name(), Topics.AUDIT_DLQ.name());
  }

  @AfterAll
  static void stop() {
    if (listener != null) {
      listener.close();
    }
    if (capped != null) {
      capped.close();
    }
    if (sink != null) {
      sink.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void garbage_closesOnlyThatConnection() throws Exception {
    double before = rejects(listener, "bad-framing");
    try (Socket s = connect(listener)) {
      s.getOutputStream().write(new byte[] {(byte) 0xff, 0x00, 0x13, 'G', 'E', 'T', ' ', '/'});
      assertThat(s.getInputStream().read()).as("closed by the server").isEqualTo(-1);
    }
    assertThat(rejects(listener, "bad-framing")).isEqualTo(before + 1);
    assertServed(listener);
  }

  @Test
  void lyingLength_swallowsFollowingBytesThenDeadLettersWhatArrivedAtClose() throws Exception {
    String marker = "liar-" + UUID.randomUUID();
    try (Socket s = connect(listener)) {
      // announces 500 octets, sends far fewer, then hangs up
      s.getOutputStream().write(("500 <85>1 - liar - - - - " + marker).getBytes(UTF_8));
    }
    ConsumerRecord<byte[], byte[]> dlq =
        kafka.await(on(Topics.AUDIT_DLQ.name(), listener.id()).and(containing(marker)));
    assertThat(RawHeaders.get(dlq.headers(), DeadLetterHeaders.REASON))
        .isEqualTo(DeadLetterHeaders.FRAME_INCOMPLETE);
    assertThat(RawHeaders.get(dlq.headers(), DeadLetterHeaders.STAGE)).isEqualTo("ingest-syslog");
    assertServed(listener);
  }

  @Test
  void overLimit_prefixToDlqAndSameConnectionKeepsWorking() throws Exception {
    String marker = "big-" + UUID.randomUUID();
    String after = "after-" + UUID.randomUUID();
    String big = "<85>1 - big - - - - " + marker + "x".repeat(10_000);
    byte[] bigBytes = big.getBytes(UTF_8);
    try (Socket s = connect(listener)) {
      OutputStream out = s.getOutputStream();
      out.write((bigBytes.length + " " + big).getBytes(UTF_8));
      out.write(octetCounted("<85>1 - big - - - - " + after));
      // and the same over newline framing
      out.write(("<85>1 - big - - - - nt-" + marker + "y".repeat(10_000) + "\n").getBytes(UTF_8));
      out.write(("<85>1 - big - - - - nt-" + after + "\n").getBytes(UTF_8));
      out.flush();
      kafka.await(on(Topics.ATNA_RAW.name(), listener.id()).and(containing("nt-" + after)));
      kafka.await(on(Topics.ATNA_RAW.name(), listener.id()).and(containing(after)));
      assertThat(s.isClosed()).isFalse();
    }
    ConsumerRecord<byte[], byte[]> octet =
        kafka.await(
            on(Topics.AUDIT_DLQ.name(), listener.id())
                .and(r -> Harness.text(r).startsWith("<85>1 - big - - - - " + marker)));
    assertThat(octet.value()).hasSize(MAX_FRAME);
    assertThat(RawHeaders.get(octet.headers(), DeadLetterHeaders.REASON))
        .isEqualTo("FRAME_TOO_LARGE");
    assertThat(RawHeaders.get(octet.headers(), DeadLetterHeaders.ORIGINAL_SIZE))
        .isEqualTo(Integer.toString(bigBytes.length));
    assertThat(RawHeaders.get(octet.headers(), RawHeaders.PEER)).startsWith("127.0.0.1:");
    ConsumerRecord<byte[], byte[]> nt =
        kafka.await(on(Topics.AUDIT_DLQ.name(), listener.id()).and(containing("nt-" + marker)));
    assertThat(nt.value()).hasSize(MAX_FRAME);
    assertThat(
            kafka.settle(
                on(Topics.ATNA_RAW.name(), listener.id()).and(containing(marker)),
                Duration.ofSeconds(1)))
        .as("no oversize frame in atna.raw")
        .isEmpty();
  }

  @Test
  void halfFrameThenIdle_closedAfterIdleTimeoutAndPartDeadLettered() throws Exception {
    String marker = "half-" + UUID.randomUUID();
    double idleBefore =
        registry.get(ListenerMetrics.IDLE_CLOSES).tag("listener", listener.id()).counter().count();
    try (Socket s = connect(listener)) {
      s.getOutputStream().write(("300 <85>1 - half - - - - " + marker).getBytes(UTF_8));
      s.setSoTimeout(20_000);
      long t0 = System.nanoTime();
      assertThat(s.getInputStream().read()).as("closed by the server when idle").isEqualTo(-1);
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThan(Duration.ofMillis(1500));
    }
    assertThat(
            registry
                .get(ListenerMetrics.IDLE_CLOSES)
                .tag("listener", listener.id())
                .counter()
                .count())
        .isGreaterThan(idleBefore);
    ConsumerRecord<byte[], byte[]> dlq =
        kafka.await(on(Topics.AUDIT_DLQ.name(), listener.id()).and(containing(marker)));
    assertThat(RawHeaders.get(dlq.headers(), DeadLetterHeaders.REASON))
        .isEqualTo("FRAME_INCOMPLETE");
  }

  @Test
  void thousandIdleConnections_othersStillServed() throws Exception {
    List<Socket> idle = new ArrayList<>();
    try {
      for (int i = 0; i < 1000; i++) {
        idle.add(new Socket("127.0.0.1", listener.port()));
      }
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> openConnections(listener) >= 1000);
      assertServed(listener);
    } finally {
      for (Socket s : idle) {
        s.close();
      }
    }
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> openConnections(listener) == 0);
  }

  @Test
  void connectionCaps_perPeerAndTotal() throws Exception {
    double before = rejects(capped, "too-many-from-peer");
    try (Socket a = connect(capped);
        Socket b = connect(capped);
        Socket c = connect(capped)) {
      // three from 127.0.0.1 against maxConnectionsPerPeer 2: one is closed right after accept.
      // Which one is not fixed: each is admitted when its event loop registers it, and the
      // three loops may run in any order.
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> rejects(capped, "too-many-from-peer") == before + 1);
      List<Socket> open = new ArrayList<>();
      for (Socket s : List.of(a, b, c)) {
        if (!isClosedByServer(s)) {
          open.add(s);
        }
      }
      assertThat(open).hasSize(2);
      // the cap is per address: 127.0.0.2 is another peer
      try (Socket other =
          new Socket("127.0.0.1", capped.port(), java.net.InetAddress.getByName("127.0.0.2"), 0)) {
        other.getOutputStream().write(octetCounted("<85>1 - caps - - - - other-peer"));
      }
      kafka.await(on(Topics.ATNA_RAW.name(), capped.id()).and(containing("other-peer")));
      open.get(0).getOutputStream().write(octetCounted("<85>1 - caps - - - - kept"));
      kafka.await(on(Topics.ATNA_RAW.name(), capped.id()).and(containing("kept")));
      assertThat(rejects(capped, "too-many-from-peer")).isEqualTo(before + 1);
    } catch (SocketException e) {
      throw new AssertionError(e);
    }
  }

  /** True when the server closed the socket (end of stream), false when it is open and silent. */
  private static boolean isClosedByServer(Socket s) throws IOException {
    int timeout = s.getSoTimeout();
    s.setSoTimeout(2_000);
    try {
      return s.getInputStream().read() == -1;
    } catch (java.net.SocketTimeoutException stillOpen) {
      return false;
    } finally {
      s.setSoTimeout(timeout);
    }
  }

  /** The sandwich's last slice: a real client's message arrives. */
  private static void assertServed(SyslogListener l) throws Exception {
    String marker = "served-" + UUID.randomUUID();
    assertThat(
            Harness.run(
                Duration.ofSeconds(60),
                LOGGER,
                "--tcp",
                "--octet-count",
                "--rfc5424",
                "-n",
                "127.0.0.1",
                "-P",
                Integer.toString(l.port()),
                "-t",
                "atna",
                marker))
        .endsWith("exit=0");
    kafka.await(on(Topics.ATNA_RAW.name(), l.id()).and(containing(marker)));
    assertThat(l.check()).isTrue();
  }

  private static double rejects(SyslogListener l, String reason) {
    return registry
        .get(ListenerMetrics.REJECTS)
        .tag("listener", l.id())
        .tag("reason", reason)
        .counter()
        .count();
  }

  private static double openConnections(SyslogListener l) {
    return registry.get(ListenerMetrics.OPEN_CONNECTIONS).tag("listener", l.id()).gauge().value();
  }

  private static Socket connect(SyslogListener l) throws IOException {
    Socket s = new Socket("127.0.0.1", l.port());
    s.setSoTimeout(30_000);
    return s;
  }

  private static byte[] octetCounted(String message) {
    byte[] body = message.getBytes(UTF_8);
    return (body.length + " " + message).getBytes(UTF_8);
  }
}
