package org.atnabridge.allinone;

import java.util.Locale;
import org.atnabridge.store.elasticsearch.ElasticsearchAuditStore;
import org.atnabridge.store.elasticsearch.ElasticsearchCredentials;
import org.jspecify.annotations.Nullable;

/**
 * How {@code serve} lays out the monthly Elasticsearch indices on a real cluster, validated at
 * start-up (a bad value names its option). The single-node defaults suit the embedded test node and
 * a small installation; a cluster sets replicas for availability and shards for size. Kept apart
 * from {@link PipelineConfig} so that these settings add no component to that record.
 *
 * @param shards {@code --elasticsearch-shards}: primary shards per monthly index
 * @param replicas {@code --elasticsearch-replicas}: replicas per shard; null = auto-expand 0-1 (no
 *     replica on one node, one as soon as a second node joins)
 * @param refreshInterval {@code --elasticsearch-refresh-interval}: how soon an indexed event is
 *     searchable, at most 1s (the API's visibility promise)
 * @param credentials how the store reaches a cluster with security on ({@code --elasticsearch-ca},
 *     {@code --elasticsearch-api-key}, {@code --elasticsearch-user} and {@code
 *     --elasticsearch-password-file})
 */
public record ElasticsearchLayout(
    int shards,
    @Nullable Integer replicas,
    String refreshInterval,
    ElasticsearchCredentials credentials) {

  public static final ElasticsearchLayout DEFAULTS = new ElasticsearchLayout(1, null, "1s");

  /** A layout for a cluster without security. */
  public ElasticsearchLayout(int shards, @Nullable Integer replicas, String refreshInterval) {
    this(shards, replicas, refreshInterval, ElasticsearchCredentials.NONE);
  }

  /** This layout, reaching the cluster with {@code c}. */
  public ElasticsearchLayout with(ElasticsearchCredentials c) {
    return new ElasticsearchLayout(shards, replicas, refreshInterval, c);
  }

  public ElasticsearchLayout {
    if (shards < 1 || shards > 1024) {
      throw new IllegalArgumentException("--elasticsearch-shards must be 1..1024, got: " + shards);
    }
    if (replicas != null && (replicas < 0 || replicas > 16)) {
      throw new IllegalArgumentException(
          "--elasticsearch-replicas must be auto or 0..16, got: " + replicas);
    }
    if (refreshInterval == null
        || !refreshInterval.matches("\\d{1,4}(ms|s)")
        || millis(refreshInterval) < 1
        || millis(refreshInterval) > 1000) {
      throw new IllegalArgumentException(
          "--elasticsearch-refresh-interval must be 1ms..1s, e.g. 500ms or 1s, got: "
              + refreshInterval);
    }
  }

  /**
   * @param shards a whole number
   * @param replicas {@code auto} or a whole number
   * @param refreshInterval e.g. {@code 1s}, {@code 500ms}, or ISO-8601 {@code PT0.5S} (read by
   *     {@link DurationConverter}, written in Elasticsearch's milliseconds)
   */
  public static ElasticsearchLayout parse(String shards, String replicas, String refreshInterval) {
    String r = replicas == null ? "" : replicas.trim().toLowerCase(Locale.ROOT);
    return new ElasticsearchLayout(
        number("--elasticsearch-shards", shards),
        r.isEmpty() || r.equals("auto") ? null : number("--elasticsearch-replicas", r),
        refreshInterval(refreshInterval));
  }

  /** The builder with this layout applied. */
  public ElasticsearchAuditStore.Builder applyTo(ElasticsearchAuditStore.Builder b) {
    b.shards(shards).refreshInterval(refreshInterval).credentials(credentials);
    if (replicas != null) {
      b.replicas(replicas);
    }
    return b;
  }

  private static String refreshInterval(@Nullable String value) {
    String text = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    if (text.startsWith("p")) {
      return DurationConverter.parse(
                  "--elasticsearch-refresh-interval", text.toUpperCase(Locale.ROOT))
              .toMillis()
          + "ms";
    }
    return text;
  }

  private static int number(String option, String value) {
    try {
      return Integer.parseInt(value == null ? "" : value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " must be a whole number, got: " + value);
    }
  }

  private static long millis(String interval) {
    return interval.endsWith("ms")
        ? Long.parseLong(interval.substring(0, interval.length() - 2))
        : Long.parseLong(interval.substring(0, interval.length() - 1)) * 1000;
  }
}
