package org.atnabridge.allinone;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.atnabridge.ingest.ListenerConfig;
import org.atnabridge.ingest.TlsConfig;
import org.jspecify.annotations.Nullable;

/**
 * The checks of {@link PipelineConfig.Ingest}: syslog listener limits and TLS material, each
 * message naming the {@code serve} option.
 */
final class IngestChecks {

  private IngestChecks() {}

  static void limits(
      int maxFrameLength,
      Duration idleTimeout,
      int maxConnections,
      int maxConnectionsPerPeer,
      int udpReceiveBuffer) {
    range(
        "--syslog-max-frame",
        maxFrameLength,
        ListenerConfig.MIN_FRAME_LENGTH,
        ListenerConfig.MAX_FRAME_LENGTH);
    Objects.requireNonNull(idleTimeout, "--syslog-idle-timeout");
    if (idleTimeout.isZero() || idleTimeout.isNegative()) {
      throw new IllegalArgumentException(
          "--syslog-idle-timeout must be > 0 seconds, got: " + idleTimeout.toSeconds());
    }
    range("--syslog-max-connections", maxConnections, 1, 1_000_000);
    range("--syslog-max-connections-per-peer", maxConnectionsPerPeer, 1, 1_000_000);
    range("--syslog-udp-buffer", udpReceiveBuffer, 65_536, Integer.MAX_VALUE);
  }

  static void tls(
      @Nullable Path tlsCert,
      @Nullable Path tlsKey,
      @Nullable Path tlsTrust,
      List<String> tlsProtocols,
      String tlsClientAuth) {
    int given = (tlsCert == null ? 0 : 1) + (tlsKey == null ? 0 : 1) + (tlsTrust == null ? 0 : 1);
    if (given != 0 && given != 3) {
      throw new IllegalArgumentException(
          "--tls-cert, --tls-key and --tls-trust must be given together (missing: "
              + (tlsCert == null ? "--tls-cert " : "")
              + (tlsKey == null ? "--tls-key " : "")
              + (tlsTrust == null ? "--tls-trust" : "").trim()
              + ")");
    }
    if (tlsCert != null && !Files.isReadable(tlsCert)) {
      throw new IllegalArgumentException("--tls-cert is not a readable file: " + tlsCert);
    }
    if (tlsKey != null && !Files.isReadable(tlsKey)) {
      throw new IllegalArgumentException("--tls-key is not a readable file: " + tlsKey);
    }
    if (tlsTrust != null && !Files.isReadable(tlsTrust)) {
      throw new IllegalArgumentException(
          "--tls-trust is not a readable file or directory: " + tlsTrust);
    }
    for (String p : tlsProtocols) {
      if (!p.equals("TLSv1.2") && !p.equals("TLSv1.3")) {
        throw new IllegalArgumentException("--tls-protocols allows TLSv1.2 and TLSv1.3, got: " + p);
      }
    }
    if (tlsProtocols.isEmpty()) {
      throw new IllegalArgumentException("--tls-protocols is empty");
    }
    clientAuth(tlsClientAuth);
  }

  static TlsConfig.ClientAuth clientAuth(String value) {
    try {
      return TlsConfig.ClientAuth.valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException(
          "--tls-client-auth must be require, optional or none, got: " + value);
    }
  }

  private static void range(String option, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          option + " must be " + min + ".." + max + ", got: " + value);
    }
  }
}
