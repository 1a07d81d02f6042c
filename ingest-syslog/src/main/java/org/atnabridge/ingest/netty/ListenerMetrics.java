package org.atnabridge.ingest.netty;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToDoubleFunction;

/**
 * The meters of one listener, all tagged {@code listener} and {@code transport}. Instead of
 * per-message logging, these are what to alert on: {@value #REJECTS} or {@value #PUBLISH_FAILURES}
 * growing means input is not reaching {@code atna.raw}; {@value #PAUSES} growing means the sink
 * cannot keep up and senders are being slowed down; {@value #UDP_DROPS} growing means UDP datagrams
 * were lost before we could read them. Prometheus exposes counters with a {@code _total} suffix and
 * dots as underscores ({@code atna_ingest_received_total}).
 */
public final class ListenerMetrics {

  /** Frames (datagrams) received, whatever became of them; tag {@code framing}. */
  public static final String RECEIVED = "atna.ingest.received";

  /** Frames handed to the sink for {@code atna.raw}; tag {@code framing}. */
  public static final String ACCEPTED = "atna.ingest.accepted";

  /** Payload octets handed to the sink for {@code atna.raw}. */
  public static final String BYTES = "atna.ingest.bytes";

  /** Input or connections not accepted; tag {@code reason}, see {@link RejectReason}. */
  public static final String REJECTS = "atna.ingest.rejects";

  /** Publishes the sink reported as failed. */
  public static final String PUBLISH_FAILURES = "atna.ingest.publish.failures";

  /** Connections accepted. */
  public static final String CONNECTIONS = "atna.ingest.connections";

  /** Connections open now (gauge). */
  public static final String OPEN_CONNECTIONS = "atna.ingest.connections.open";

  /** Connections closed because the peer was silent for the idle timeout. */
  public static final String IDLE_CLOSES = "atna.ingest.idle.closes";

  /** Times a connection stopped reading because the sink was saturated. */
  public static final String PAUSES = "atna.ingest.backpressure.pauses";

  /**
   * Non-transparent frames ended by the connection closing instead of a trailer (still published).
   */
  public static final String UNTERMINATED = "atna.ingest.frames.unterminated";

  /** TLS handshakes that failed, e.g. a client without a trusted certificate. */
  public static final String TLS_HANDSHAKE_FAILURES = "atna.ingest.tls.handshake.failures";

  /** UDP datagrams the kernel dropped on this listener's socket (full receive buffer). */
  public static final String UDP_DROPS = "atna.ingest.udp.drops";

  /** Connections closed after an unexpected (non-framing, non-I/O) error. */
  public static final String ERRORS = "atna.ingest.errors";

  /** Why input was not accepted as it was; the {@code reason} tag of {@value #REJECTS}. */
  public enum RejectReason {
    /**
     * The frame began with neither a digit nor {@code <}, or MSG-LEN was malformed; connection
     * closed.
     */
    BAD_FRAMING("bad-framing"),
    /**
     * The frame exceeded maxFrameLength; its prefix went to {@code audit.dlq}, the connection
     * stays.
     */
    FRAME_TOO_LARGE("frame-too-large"),
    /** The peer closed inside an octet-counted frame; what arrived went to {@code audit.dlq}. */
    FRAME_INCOMPLETE("frame-incomplete"),
    /** The listener already had maxConnections open; the new connection was closed. */
    TOO_MANY_CONNECTIONS("too-many-connections"),
    /** The peer already had maxConnectionsPerPeer open; the new connection was closed. */
    TOO_MANY_FROM_PEER("too-many-from-peer");

    private final String tag;

    RejectReason(String tag) {
      this.tag = tag;
    }

    public String tag() {
      return tag;
    }
  }

  private final Map<SyslogFraming, Counter> received = new EnumMap<>(SyslogFraming.class);
  private final Map<SyslogFraming, Counter> accepted = new EnumMap<>(SyslogFraming.class);
  private final Map<RejectReason, Counter> rejects = new EnumMap<>(RejectReason.class);
  private final Counter bytes;
  private final Counter publishFailures;
  private final Counter connections;
  private final Counter idleCloses;
  private final Counter pauses;
  private final Counter unterminated;
  private final Counter handshakeFailures;
  private final Counter errors;
  private final MeterRegistry registry;
  private final String listenerId;
  private final String transport;

  public ListenerMetrics(MeterRegistry registry, String listenerId, String transport) {
    this.registry = registry;
    this.listenerId = listenerId;
    this.transport = transport;
    for (SyslogFraming framing : SyslogFraming.values()) {
      received.put(
          framing,
          Counter.builder(RECEIVED)
              .description("syslog frames received")
              .tag("listener", listenerId)
              .tag("transport", transport)
              .tag("framing", framing.headerValue())
              .register(registry));
      accepted.put(
          framing,
          Counter.builder(ACCEPTED)
              .description("syslog frames handed to Kafka")
              .tag("listener", listenerId)
              .tag("transport", transport)
              .tag("framing", framing.headerValue())
              .register(registry));
    }
    for (RejectReason reason : RejectReason.values()) {
      rejects.put(
          reason,
          Counter.builder(REJECTS)
              .description("syslog input or connections rejected")
              .tag("listener", listenerId)
              .tag("transport", transport)
              .tag("reason", reason.tag())
              .register(registry));
    }
    bytes = counter(BYTES, "payload octets handed to Kafka");
    publishFailures = counter(PUBLISH_FAILURES, "publishes the sink failed");
    connections = counter(CONNECTIONS, "connections accepted");
    idleCloses = counter(IDLE_CLOSES, "idle connections closed");
    pauses = counter(PAUSES, "reads paused for back-pressure");
    unterminated = counter(UNTERMINATED, "frames ended by connection close");
    handshakeFailures = counter(TLS_HANDSHAKE_FAILURES, "TLS handshakes failed");
    errors = counter(ERRORS, "connections closed after unexpected errors");
  }

  private Counter counter(String name, String description) {
    return Counter.builder(name)
        .description(description)
        .tag("listener", listenerId)
        .tag("transport", transport)
        .register(registry);
  }

  /** Registers the open-connections gauge over {@code open}. */
  public void openConnections(AtomicInteger open) {
    Gauge.builder(OPEN_CONNECTIONS, open, AtomicInteger::get)
        .description("connections open")
        .tag("listener", listenerId)
        .tag("transport", transport)
        .strongReference(true)
        .register(registry);
  }

  /** Registers the UDP kernel-drop counter, read from {@code source} at each scrape. */
  public <T> void udpDrops(T source, ToDoubleFunction<T> drops) {
    FunctionCounter.builder(UDP_DROPS, source, drops)
        .description("datagrams dropped by the kernel")
        .tag("listener", listenerId)
        .tag("transport", transport)
        .register(registry);
  }

  void received(SyslogFraming framing) {
    counter(received, framing).increment();
  }

  void published(SyslogFraming framing, int octets) {
    counter(accepted, framing).increment();
    bytes.increment(octets);
  }

  void rejected(RejectReason reason) {
    counter(rejects, reason).increment();
  }

  void publishFailed() {
    publishFailures.increment();
  }

  void connectionAccepted() {
    connections.increment();
  }

  void idleClosed() {
    idleCloses.increment();
  }

  void paused() {
    pauses.increment();
  }

  void unterminated() {
    unterminated.increment();
  }

  void handshakeFailed() {
    handshakeFailures.increment();
  }

  void error() {
    errors.increment();
  }

  /** The constructor registers a counter for every constant. */
  private static <K> Counter counter(Map<K, Counter> counters, K key) {
    return Objects.requireNonNull(counters.get(key));
  }
}
