package org.atnabridge.streams.enrich;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Settings of the enrich/label/chain application.
 *
 * @param internalNetworks networks whose addresses are classified {@code internal}; any other IP
 *     literal is {@code external} (env {@code ATNA_INTERNAL_NETWORKS}, comma separated CIDRs)
 * @param checkpointEvery a signed checkpoint after at most this many events per partition
 * @param checkpointInterval and at least this often while the chain moves
 * @param idRetention how long (by record time) the chain remembers an event id, so that the same id
 *     again links to its earlier sequence number ({@code replaces-seq}); bounds the id store
 */
public record EnrichmentConfig(
    List<Cidr> internalNetworks,
    int checkpointEvery,
    Duration checkpointInterval,
    Duration idRetention) {

  /** Redeliveries and replays of recent input fall well within a week; older ids are forgotten. */
  public static final Duration DEFAULT_ID_RETENTION = Duration.ofDays(7);

  /** RFC 1918, loopback, link-local and IPv6 unique-local/loopback. */
  public static final List<String> DEFAULT_INTERNAL =
      List.of(
          "10.0.0.0/8",
          "172.16.0.0/12",
          "192.168.0.0/16",
          "127.0.0.0/8",
          "169.254.0.0/16",
          "fc00::/7",
          "::1/128");

  public EnrichmentConfig {
    internalNetworks = List.copyOf(internalNetworks);
    Objects.requireNonNull(checkpointInterval, "checkpointInterval");
    if (checkpointEvery < 1) {
      throw new IllegalArgumentException("checkpointEvery < 1");
    }
    if (checkpointInterval.isNegative() || checkpointInterval.isZero()) {
      throw new IllegalArgumentException("checkpointInterval <= 0");
    }
    Objects.requireNonNull(idRetention, "idRetention");
    if (idRetention.compareTo(Duration.ofMinutes(1)) < 0) {
      throw new IllegalArgumentException("idRetention < 1 minute");
    }
  }

  /**
   * Default internal networks, a checkpoint every 1000 events or 10 seconds, ids remembered 7 days.
   */
  public static EnrichmentConfig defaults() {
    return new EnrichmentConfig(
        DEFAULT_INTERNAL.stream().map(Cidr::parse).toList(),
        1000,
        Duration.ofSeconds(10),
        DEFAULT_ID_RETENTION);
  }

  /** Parses a comma-separated CIDR list; blank = the defaults. */
  public static List<Cidr> parseNetworks(String csv) {
    if (csv.isBlank()) {
      return DEFAULT_INTERNAL.stream().map(Cidr::parse).toList();
    }
    return Arrays.stream(csv.split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .map(Cidr::parse)
        .toList();
  }

  public EnrichmentConfig withCheckpoints(int every, Duration interval) {
    return new EnrichmentConfig(internalNetworks, every, interval, idRetention);
  }

  public EnrichmentConfig withIdRetention(Duration retention) {
    return new EnrichmentConfig(internalNetworks, checkpointEvery, checkpointInterval, retention);
  }
}
