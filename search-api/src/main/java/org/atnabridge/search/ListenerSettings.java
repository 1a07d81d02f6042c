package org.atnabridge.search;

import java.time.Duration;

/**
 * Limits of the API's HTTP listener against clients that hold connections open (slowloris), like
 * the syslog listener's; validated when built, messages name the {@code serve} option.
 *
 * @param idleTimeout {@code --http-idle-timeout}: a connection silent this long is closed
 * @param headerTimeout {@code --http-header-timeout}: a connection must complete a request header
 *     within this time of opening, and of its previous response; a client trickling header bytes is
 *     cut however steadily it trickles
 * @param maxConnections {@code --http-max-connections}: open connections in all; beyond it new ones
 *     wait to be accepted
 * @param maxConnectionsPerAddress {@code --http-max-connections-per-address}: open connections per
 *     client IP address; one more is closed as soon as it is accepted (a reverse proxy in front is
 *     one address: raise it there)
 */
public record ListenerSettings(
    Duration idleTimeout,
    Duration headerTimeout,
    int maxConnections,
    int maxConnectionsPerAddress) {

  public static final ListenerSettings DEFAULTS =
      new ListenerSettings(Duration.ofSeconds(30), Duration.ofSeconds(10), 4096, 256);

  public ListenerSettings {
    if (idleTimeout == null
        || idleTimeout.compareTo(Duration.ofSeconds(1)) < 0
        || idleTimeout.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException("--http-idle-timeout must be 1s..1h, got: " + idleTimeout);
    }
    if (headerTimeout == null
        || headerTimeout.compareTo(Duration.ofSeconds(1)) < 0
        || headerTimeout.compareTo(idleTimeout) > 0) {
      throw new IllegalArgumentException(
          "--http-header-timeout must be 1s..--http-idle-timeout ("
              + idleTimeout
              + "), got: "
              + headerTimeout);
    }
    if (maxConnections < 1 || maxConnections > 1_000_000) {
      throw new IllegalArgumentException(
          "--http-max-connections must be 1..1000000, got: " + maxConnections);
    }
    if (maxConnectionsPerAddress < 1 || maxConnectionsPerAddress > maxConnections) {
      throw new IllegalArgumentException(
          "--http-max-connections-per-address must be 1..--http-max-connections ("
              + maxConnections
              + "), got: "
              + maxConnectionsPerAddress);
    }
  }
}
