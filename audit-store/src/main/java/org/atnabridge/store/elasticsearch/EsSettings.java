package org.atnabridge.store.elasticsearch;

import co.elastic.clients.elasticsearch._types.Refresh;
import java.time.Clock;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The checked settings of one store, as {@link ElasticsearchAuditStore.Builder} accepted them.
 *
 * @param url the cluster, without a trailing slash
 * @param alias the alias searches go through, also the prefix of the monthly indices
 * @param replicas a fixed replica count, or null for the auto-expanding 0-1
 * @param clock the repository's clock: which month is current, which dates are far off
 */
record EsSettings(
    String url,
    String alias,
    Refresh refresh,
    int shards,
    @Nullable Integer replicas,
    String refreshInterval,
    long maxBulkBytes,
    int maxBulkActions,
    long maxInFlightBytes,
    int concurrency,
    int maxRetries,
    Duration retryBackoff,
    Clock clock,
    ElasticsearchCredentials credentials) {}
