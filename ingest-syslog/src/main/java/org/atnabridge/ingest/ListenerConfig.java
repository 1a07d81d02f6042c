package org.atnabridge.ingest;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Settings of one syslog listener. Every limit is checked here, so a bad value fails at start-up
 * with a message naming the setting.
 *
 * @param bindHost address to bind, e.g. {@code 0.0.0.0} or {@code 127.0.0.1}
 * @param port TCP, TLS or UDP port; {@code 0} picks a free port (see {@link IntakeListener#port()})
 * @param maxFrameLength largest accepted frame in octets, without the octet-count prefix or the
 *     trailer. At least {@value #MIN_FRAME_LENGTH} (the size every RFC 5424 §6.1 receiver must
 *     accept) and at most {@value #MAX_FRAME_LENGTH}, the largest {@code MSG-LEN} of seven digits
 *     (RFC 6587 §3.4.1 leaves MSG-LEN unbounded; a cap keeps a peer from making us buffer forever).
 *     Longer frames are cut: their first {@code maxFrameLength} octets go to {@code audit.dlq} with
 *     reason {@code FRAME_TOO_LARGE}
 * @param idleTimeout a connection that sends nothing for this long is closed (not while the
 *     listener itself has paused reading for back-pressure); ignored by UDP
 * @param maxConnections open connections of this listener above which new ones are closed at once
 * @param maxConnectionsPerPeer open connections from one IP address above which new ones from it
 *     are closed at once
 * @param udpReceiveBuffer UDP only: {@code SO_RCVBUF} in octets; the kernel may cap it at {@code
 *     net.core.rmem_max}. Datagrams arriving while it is full are dropped by the kernel and counted
 *     ({@code atna.ingest.udp.drops})
 * @param tls TLS settings (RFC 5425) for a TLS listener, null for plain TCP and UDP
 */
public record ListenerConfig(
    String bindHost,
    int port,
    int maxFrameLength,
    Duration idleTimeout,
    int maxConnections,
    int maxConnectionsPerPeer,
    int udpReceiveBuffer,
    @Nullable TlsConfig tls) {

  /** RFC 5424 §6.1: receivers must accept messages of up to 480 octets. */
  public static final int MIN_FRAME_LENGTH = 480;

  /** Seven decimal digits, the longest MSG-LEN {@code SyslogFrameDecoder} accepts. */
  public static final int MAX_FRAME_LENGTH = 9_999_999;

  /** 256 KiB: far above the 32 KB ATNA messages reported in practice (ITI-20 sets no maximum). */
  public static final int DEFAULT_MAX_FRAME_LENGTH = 256 * 1024;

  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(5);
  public static final int DEFAULT_MAX_CONNECTIONS = 4096;
  public static final int DEFAULT_MAX_CONNECTIONS_PER_PEER = 512;

  /** 4 MiB: about four seconds of a 1,000 msg/s sender at 1 KiB while Kafka is slow. */
  public static final int DEFAULT_UDP_RECEIVE_BUFFER = 4 * 1024 * 1024;

  public ListenerConfig {
    Objects.requireNonNull(bindHost, "bindHost");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    if (bindHost.isBlank()) {
      throw new IllegalArgumentException("bindHost is blank");
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port out of range 0..65535: " + port);
    }
    if (maxFrameLength < MIN_FRAME_LENGTH || maxFrameLength > MAX_FRAME_LENGTH) {
      throw new IllegalArgumentException(
          "maxFrameLength out of range "
              + MIN_FRAME_LENGTH
              + ".."
              + MAX_FRAME_LENGTH
              + ": "
              + maxFrameLength);
    }
    if (idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException("idleTimeout <= 0: " + idleTimeout);
    }
    if (maxConnections <= 0) {
      throw new IllegalArgumentException("maxConnections <= 0: " + maxConnections);
    }
    if (maxConnectionsPerPeer <= 0) {
      throw new IllegalArgumentException("maxConnectionsPerPeer <= 0: " + maxConnectionsPerPeer);
    }
    if (udpReceiveBuffer < 65_536) {
      throw new IllegalArgumentException(
          "udpReceiveBuffer < 65536 (one maximal datagram): " + udpReceiveBuffer);
    }
  }

  /** Plain TCP with the default limits. */
  public ListenerConfig(String bindHost, int port, int maxFrameLength, Duration idleTimeout) {
    this(
        bindHost,
        port,
        maxFrameLength,
        idleTimeout,
        DEFAULT_MAX_CONNECTIONS,
        DEFAULT_MAX_CONNECTIONS_PER_PEER,
        DEFAULT_UDP_RECEIVE_BUFFER,
        null);
  }

  /** All interfaces, 256 KiB frames, 5 minutes idle timeout, default connection limits, no TLS. */
  public static ListenerConfig defaults(int port) {
    return new ListenerConfig("0.0.0.0", port, DEFAULT_MAX_FRAME_LENGTH, DEFAULT_IDLE_TIMEOUT);
  }

  public ListenerConfig withPort(int newPort) {
    return new ListenerConfig(
        bindHost,
        newPort,
        maxFrameLength,
        idleTimeout,
        maxConnections,
        maxConnectionsPerPeer,
        udpReceiveBuffer,
        tls);
  }

  public ListenerConfig withTls(@Nullable TlsConfig newTls) {
    return new ListenerConfig(
        bindHost,
        port,
        maxFrameLength,
        idleTimeout,
        maxConnections,
        maxConnectionsPerPeer,
        udpReceiveBuffer,
        newTls);
  }

  public ListenerConfig withConnectionLimits(int newMaxConnections, int newMaxConnectionsPerPeer) {
    return new ListenerConfig(
        bindHost,
        port,
        maxFrameLength,
        idleTimeout,
        newMaxConnections,
        newMaxConnectionsPerPeer,
        udpReceiveBuffer,
        tls);
  }

  public ListenerConfig withUdpReceiveBuffer(int octets) {
    return new ListenerConfig(
        bindHost,
        port,
        maxFrameLength,
        idleTimeout,
        maxConnections,
        maxConnectionsPerPeer,
        octets,
        tls);
  }
}
