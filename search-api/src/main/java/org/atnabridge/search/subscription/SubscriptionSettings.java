package org.atnabridge.search.subscription;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How Subscriptions may be created and are delivered, validated when built.
 *
 * @param allowHttp {@code --subscription-allow-http}: accept {@code http} endpoints as well as
 *     {@code https}
 * @param endpoints {@code --subscription-endpoints}: URL prefixes; when not empty only endpoints
 *     under one of them are accepted, and such a prefix may name a private or loopback host on
 *     purpose
 * @param retryDeadline {@code --subscription-retry-deadline}: how long a notification is retried
 *     before it is given up (default 24 h)
 * @param initialBackoff the wait after a first failed delivery, doubled after each failure
 * @param maxBackoff {@code --subscription-retry-max-backoff}: the longest wait between two attempts
 *     (default 5 min, 1 s..1 h), so an endpoint that comes back is delivered to at most this long
 *     later
 * @param maxBacklog notifications held in memory per subscription; beyond it the subscription's
 *     records are read again from the topic later rather than buffered
 * @param defaultTimeout the HTTP timeout of a delivery when the Subscription gives no {@code
 *     timeout}
 * @param errorAfter consecutive failed deliveries after which the subscription's status becomes
 *     {@code error}
 * @param wsTokenTtl {@code --subscription-ws-token-ttl}: how long a token of {@code
 *     $get-ws-binding-token} may be used to bind a websocket (default 5 min, at most 1 h)
 * @param wsPingPeriod how often every websocket is pinged (default 30 s)
 */
public record SubscriptionSettings(
    boolean allowHttp,
    List<String> endpoints,
    Duration retryDeadline,
    Duration initialBackoff,
    Duration maxBackoff,
    int maxBacklog,
    Duration defaultTimeout,
    int errorAfter,
    Duration wsTokenTtl,
    Duration wsPingPeriod) {

  public static final Duration DEFAULT_WS_TOKEN_TTL = Duration.ofMinutes(5);

  public static final Duration DEFAULT_RETRY_DEADLINE = Duration.ofHours(24);

  /** https only, any public endpoint, 24 h of retries from 1 s doubling to 5 min. */
  public static final SubscriptionSettings DEFAULTS =
      new SubscriptionSettings(
          false,
          List.of(),
          DEFAULT_RETRY_DEADLINE,
          Duration.ofSeconds(1),
          Duration.ofMinutes(5),
          1000,
          Duration.ofSeconds(10),
          3,
          DEFAULT_WS_TOKEN_TTL,
          Duration.ofSeconds(30));

  public SubscriptionSettings {
    endpoints = List.copyOf(endpoints);
    for (String prefix : endpoints) {
      checkPrefix(prefix);
    }
    Objects.requireNonNull(retryDeadline, "retryDeadline");
    if (retryDeadline.isNegative() || retryDeadline.isZero()) {
      throw new IllegalArgumentException(
          "--subscription-retry-deadline must be positive, got: " + retryDeadline);
    }
    if (initialBackoff.isNegative()
        || initialBackoff.isZero()
        || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "subscription backoff must be positive and at most its maximum");
    }
    if (maxBacklog < 1) {
      throw new IllegalArgumentException("maxBacklog must be positive: " + maxBacklog);
    }
    if (defaultTimeout.isNegative() || defaultTimeout.isZero()) {
      throw new IllegalArgumentException("defaultTimeout must be positive");
    }
    if (errorAfter < 1) {
      throw new IllegalArgumentException("errorAfter must be positive");
    }
    Objects.requireNonNull(wsTokenTtl, "wsTokenTtl");
    if (wsTokenTtl.compareTo(Duration.ofSeconds(1)) < 0
        || wsTokenTtl.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException(
          "--subscription-ws-token-ttl must be 1s..1h, got: " + wsTokenTtl);
    }
    if (wsPingPeriod.isNegative() || wsPingPeriod.isZero()) {
      throw new IllegalArgumentException("wsPingPeriod must be positive");
    }
  }

  public SubscriptionSettings withWsPingPeriod(Duration v) {
    return new SubscriptionSettings(
        allowHttp,
        endpoints,
        retryDeadline,
        initialBackoff,
        maxBackoff,
        maxBacklog,
        defaultTimeout,
        errorAfter,
        wsTokenTtl,
        v);
  }

  public SubscriptionSettings withWsTokenTtl(Duration v) {
    return new SubscriptionSettings(
        allowHttp,
        endpoints,
        retryDeadline,
        initialBackoff,
        maxBackoff,
        maxBacklog,
        defaultTimeout,
        errorAfter,
        v,
        wsPingPeriod);
  }

  public SubscriptionSettings withAllowHttp(boolean v) {
    return new SubscriptionSettings(
        v,
        endpoints,
        retryDeadline,
        initialBackoff,
        maxBackoff,
        maxBacklog,
        defaultTimeout,
        errorAfter,
        wsTokenTtl,
        wsPingPeriod);
  }

  public SubscriptionSettings withEndpoints(List<String> v) {
    return new SubscriptionSettings(
        allowHttp,
        v,
        retryDeadline,
        initialBackoff,
        maxBackoff,
        maxBacklog,
        defaultTimeout,
        errorAfter,
        wsTokenTtl,
        wsPingPeriod);
  }

  public SubscriptionSettings withRetryDeadline(Duration v) {
    return new SubscriptionSettings(
        allowHttp,
        endpoints,
        v,
        initialBackoff,
        maxBackoff,
        maxBacklog,
        defaultTimeout,
        errorAfter,
        wsTokenTtl,
        wsPingPeriod);
  }

  /** The backoff cap an operator sets; the first wait stays 1 s. */
  public SubscriptionSettings withMaxBackoff(Duration max) {
    Objects.requireNonNull(max, "maxBackoff");
    if (max.compareTo(Duration.ofSeconds(1)) < 0 || max.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException(
          "--subscription-retry-max-backoff must be 1s..1h, got: " + max);
    }
    return withBackoff(initialBackoff, max);
  }

  public SubscriptionSettings withBackoff(Duration initial, Duration max) {
    return new SubscriptionSettings(
        allowHttp,
        endpoints,
        retryDeadline,
        initial,
        max,
        maxBacklog,
        defaultTimeout,
        errorAfter,
        wsTokenTtl,
        wsPingPeriod);
  }

  public SubscriptionSettings withMaxBacklog(int v) {
    return new SubscriptionSettings(
        allowHttp,
        endpoints,
        retryDeadline,
        initialBackoff,
        maxBackoff,
        v,
        defaultTimeout,
        errorAfter,
        wsTokenTtl,
        wsPingPeriod);
  }

  /** A prefix must be an absolute http(s) URL without user info, query or fragment. */
  private static void checkPrefix(String prefix) {
    try {
      URI u = new URI(prefix);
      String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("https") || scheme.equals("http"))
          || u.getHost() == null
          || u.getRawUserInfo() != null
          || u.getRawQuery() != null
          || u.getRawFragment() != null) {
        throw new IllegalArgumentException(
            "--subscription-endpoints: not an http(s) URL prefix without user info, query or"
                + " fragment: "
                + prefix);
      }
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("--subscription-endpoints: not a URL: " + prefix, e);
    }
  }
}
