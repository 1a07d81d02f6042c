package org.atnabridge.allinone;

import java.time.Duration;
import org.atnabridge.search.subscription.SubscriptionSettings;
import picocli.CommandLine.Option;

/**
 * FHIR R5 Subscriptions of the API: endpoint policy, retries and websocket binding tokens; {@code
 * serve} and {@code api}.
 */
final class SubscriptionOptions {

  @Option(
      names = "--subscription-allow-http",
      defaultValue = "${env:ATNA_SUBSCRIPTION_ALLOW_HTTP:-false}",
      description =
          "Accept http rest-hook endpoints as well as https (env ATNA_SUBSCRIPTION_ALLOW_HTTP; "
              + "default ${DEFAULT-VALUE}).")
  boolean allowHttp;

  @Option(
      names = "--subscription-endpoints",
      defaultValue = "${env:ATNA_SUBSCRIPTION_ENDPOINTS:-}",
      description =
          "URL prefixes, comma-separated: only rest-hook endpoints under one of them are accepted, "
              + "and a listed prefix may name a private or loopback host; unset, any public https "
              + "endpoint is accepted and one resolving to a loopback, link-local, private or other "
              + "special address is refused (env ATNA_SUBSCRIPTION_ENDPOINTS).")
  String endpoints;

  @Option(
      names = "--subscription-retry-deadline",
      converter = DurationConverter.class,
      defaultValue = "${env:ATNA_SUBSCRIPTION_RETRY_DEADLINE:-24h}",
      description =
          "How long a notification is retried (exponential backoff from 1 s to "
              + "--subscription-retry-max-backoff) before it is "
              + "given up (env ATNA_SUBSCRIPTION_RETRY_DEADLINE; default ${DEFAULT-VALUE}).")
  Duration retryDeadline;

  @Option(
      names = "--subscription-retry-max-backoff",
      converter = DurationConverter.class,
      defaultValue = "${env:ATNA_SUBSCRIPTION_RETRY_MAX_BACKOFF:-5m}",
      description =
          "The longest wait between two delivery attempts to a failing endpoint, 1s..1h: the "
              + "backoff starts at 1 s and doubles up to it, so an endpoint that comes back is "
              + "delivered to at most this long later (env ATNA_SUBSCRIPTION_RETRY_MAX_BACKOFF; "
              + "default ${DEFAULT-VALUE}).")
  Duration retryMaxBackoff;

  @Option(
      names = "--subscription-ws-token-ttl",
      converter = DurationConverter.class,
      defaultValue = "${env:ATNA_SUBSCRIPTION_WS_TOKEN_TTL:-5m}",
      description =
          "How long a token of Subscription/{id}/$get-ws-binding-token may be used to bind a "
              + "websocket, 1s..1h (env ATNA_SUBSCRIPTION_WS_TOKEN_TTL; default ${DEFAULT-VALUE}).")
  Duration wsTokenTtl;

  SubscriptionSettings settings() {
    return SubscriptionSettings.DEFAULTS
        .withAllowHttp(allowHttp)
        .withEndpoints(Options.list(endpoints))
        .withRetryDeadline(retryDeadline)
        .withMaxBackoff(retryMaxBackoff)
        .withWsTokenTtl(wsTokenTtl);
  }

  PipelineConfig.Builder applyTo(PipelineConfig.Builder config) {
    return config.subscriptions(settings());
  }
}
