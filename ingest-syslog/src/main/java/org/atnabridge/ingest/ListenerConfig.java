package org.atnabridge.ingest;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of one syslog listener.
 *
 * @param bindHost address to bind, e.g. {@code 0.0.0.0} or {@code 127.0.0.1}
 * @param tcpPort TCP port; {@code 0} picks a free port (see {@link SyslogListener#tcpPort()})
 * @param maxFrameLength largest accepted frame in octets, without the octet-count prefix or the
 *     trailer. At least {@value #MIN_FRAME_LENGTH} (the size every RFC 5424 §6.1 receiver must
 *     accept) and at most {@value #MAX_FRAME_LENGTH}, the largest {@code MSG-LEN} of seven digits
 *     (RFC 6587 §3.4.1 leaves MSG-LEN unbounded; a cap keeps a peer from making us buffer forever)
 * @param idleTimeout a connection that sends nothing for this long is closed (not while the
 *     listener itself has paused reading for back-pressure)
 */
public record ListenerConfig(String bindHost, int tcpPort, int maxFrameLength, Duration idleTimeout) {

  /** RFC 5424 §6.1: receivers must accept messages of up to 480 octets. */
  public static final int MIN_FRAME_LENGTH = 480;
  /** Seven decimal digits, the longest MSG-LEN {@code SyslogFrameDecoder} accepts. */
  public static final int MAX_FRAME_LENGTH = 9_999_999;
  /** 256 KiB: far above the 32 KB ATNA messages reported in practice (standards.md §1.6). */
  public static final int DEFAULT_MAX_FRAME_LENGTH = 256 * 1024;
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(5);

  public ListenerConfig {
    Objects.requireNonNull(bindHost, "bindHost");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    if (bindHost.isBlank()) {
      throw new IllegalArgumentException("bindHost is blank");
    }
    if (tcpPort < 0 || tcpPort > 65_535) {
      throw new IllegalArgumentException("tcpPort out of range 0..65535: " + tcpPort);
    }
    if (maxFrameLength < MIN_FRAME_LENGTH || maxFrameLength > MAX_FRAME_LENGTH) {
      throw new IllegalArgumentException(
          "maxFrameLength out of range " + MIN_FRAME_LENGTH + ".." + MAX_FRAME_LENGTH + ": " + maxFrameLength);
    }
    if (idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException("idleTimeout <= 0: " + idleTimeout);
    }
  }

  /** All interfaces, 256 KiB frames, 5 minutes idle timeout. */
  public static ListenerConfig defaults(int tcpPort) {
    return new ListenerConfig("0.0.0.0", tcpPort, DEFAULT_MAX_FRAME_LENGTH, DEFAULT_IDLE_TIMEOUT);
  }
}
