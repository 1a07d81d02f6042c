package org.atnabridge.ingest.netty;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;

/**
 * The counters of one listener, all tagged {@code listener} and {@code transport}. Instead of
 * per-message logging, these are what to alert on: {@value #REJECTS} or {@value #PUBLISH_FAILURES}
 * growing means audit records are being lost; {@value #PAUSES} growing means the sink cannot keep
 * up and senders are being slowed down.
 */
public final class ListenerMetrics {

  /** Frames handed to the sink; tag {@code framing}. */
  public static final String FRAMES = "atna.ingest.frames";
  /** Payload octets handed to the sink. */
  public static final String BYTES = "atna.ingest.bytes";
  /** Input not published; tag {@code reason}, see {@link RejectReason}. */
  public static final String REJECTS = "atna.ingest.rejects";
  /** Publishes the sink reported as failed. */
  public static final String PUBLISH_FAILURES = "atna.ingest.publish.failures";
  /** Connections accepted. */
  public static final String CONNECTIONS = "atna.ingest.connections";
  /** Connections closed because the peer was silent for the idle timeout. */
  public static final String IDLE_CLOSES = "atna.ingest.idle.closes";
  /** Times a connection stopped reading because the sink was saturated. */
  public static final String PAUSES = "atna.ingest.backpressure.pauses";
  /** Non-transparent frames ended by the connection closing instead of a trailer (still published). */
  public static final String UNTERMINATED = "atna.ingest.frames.unterminated";
  /** Connections closed after an unexpected (non-framing, non-I/O) error. */
  public static final String ERRORS = "atna.ingest.errors";

  /** Why input was not published; the {@code reason} tag of {@value #REJECTS}. */
  public enum RejectReason {
    /** The frame began with neither a digit nor {@code <}, or MSG-LEN was malformed; connection closed. */
    BAD_PREFIX("bad-prefix"),
    /** The frame exceeded maxFrameLength; connection closed. */
    TOO_LONG("too-long"),
    /** The peer closed before an octet-counted frame was complete; the partial frame is dropped. */
    TRUNCATED("truncated");

    private final String tag;

    RejectReason(String tag) {
      this.tag = tag;
    }

    public String tag() {
      return tag;
    }
  }

  private final Map<SyslogFraming, Counter> frames = new EnumMap<>(SyslogFraming.class);
  private final Map<RejectReason, Counter> rejects = new EnumMap<>(RejectReason.class);
  private final Counter bytes;
  private final Counter publishFailures;
  private final Counter connections;
  private final Counter idleCloses;
  private final Counter pauses;
  private final Counter unterminated;
  private final Counter errors;

  public ListenerMetrics(MeterRegistry registry, String listenerId, String transport) {
    for (SyslogFraming framing : SyslogFraming.values()) {
      frames.put(framing, Counter.builder(FRAMES).description("syslog frames published")
          .tag("listener", listenerId).tag("transport", transport).tag("framing", framing.headerValue())
          .register(registry));
    }
    for (RejectReason reason : RejectReason.values()) {
      rejects.put(reason, Counter.builder(REJECTS).description("syslog input rejected")
          .tag("listener", listenerId).tag("transport", transport).tag("reason", reason.tag())
          .register(registry));
    }
    bytes = counter(registry, BYTES, "payload octets published", listenerId, transport);
    publishFailures = counter(registry, PUBLISH_FAILURES, "publishes the sink failed", listenerId, transport);
    connections = counter(registry, CONNECTIONS, "connections accepted", listenerId, transport);
    idleCloses = counter(registry, IDLE_CLOSES, "idle connections closed", listenerId, transport);
    pauses = counter(registry, PAUSES, "reads paused for back-pressure", listenerId, transport);
    unterminated = counter(registry, UNTERMINATED, "frames ended by connection close", listenerId, transport);
    errors = counter(registry, ERRORS, "connections closed after unexpected errors", listenerId, transport);
  }

  private static Counter counter(MeterRegistry registry, String name, String description, String listenerId,
      String transport) {
    return Counter.builder(name).description(description).tag("listener", listenerId).tag("transport", transport)
        .register(registry);
  }

  void published(SyslogFraming framing, int octets) {
    frames.get(framing).increment();
    bytes.increment(octets);
  }

  void rejected(RejectReason reason) {
    rejects.get(reason).increment();
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

  void error() {
    errors.increment();
  }
}
