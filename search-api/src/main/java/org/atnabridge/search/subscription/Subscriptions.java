package org.atnabridge.search.subscription;

import ca.uhn.fhir.rest.server.RestfulServer;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * FHIR R5 topic-based Subscriptions in one API node: the view and writer of {@code
 * audit.subscriptions}, the SubscriptionTopic and Subscription providers ({@link #register}), and
 * the rest-hook delivery of {@code audit.notifications} in its consumer group, and the websocket
 * channel ({@link #socketServlet()}). Close it after the HTTP server.
 */
public final class Subscriptions implements AutoCloseable {

  private final SubscriptionRegistry registry;
  private final NotificationLog log;
  private final SubscriptionValidator validator;
  private final RestHookSender sender;
  private final @Nullable String patientIdentifierSystem;
  private final BindingTokens tokens;
  private final Clock clock;
  private @Nullable SubscriptionDelivery delivery;
  private @Nullable SubscriptionSockets sockets;

  private Subscriptions(
      SubscriptionRegistry registry,
      NotificationLog log,
      SubscriptionValidator validator,
      RestHookSender sender,
      @Nullable String patientIdentifierSystem,
      BindingTokens tokens,
      Clock clock) {
    this.registry = registry;
    this.log = log;
    this.validator = validator;
    this.sender = sender;
    this.patientIdentifierSystem = patientIdentifierSystem;
    this.tokens = tokens;
    this.clock = clock;
  }

  /**
   * Reads {@code audit.subscriptions} (up to 30 s to catch up) and starts delivering.
   *
   * @param bootstrapServers the Kafka cluster holding {@code audit.subscriptions} and {@code
   *     audit.notifications}
   * @param patientIdentifierSystem {@code --patient-identifier-system}, or null
   * @param base the public FHIR base URL, asked at each notification (the server's port is known
   *     only once it started)
   */
  public static Subscriptions start(
      String bootstrapServers,
      SubscriptionSettings settings,
      @Nullable String patientIdentifierSystem,
      MeterRegistry meters,
      Supplier<String> base,
      Clock clock) {
    SubscriptionRegistry registry =
        new SubscriptionRegistry(bootstrapServers).start(Duration.ofSeconds(30));
    EndpointPolicy policy = new EndpointPolicy(settings);
    RestHookSender sender = new RestHookSender(policy, settings.defaultTimeout());
    NotificationLog log = new NotificationLog(bootstrapServers);
    BindingTokens tokens = new BindingTokens(settings.wsTokenTtl(), clock);
    Subscriptions s =
        new Subscriptions(
            registry,
            log,
            new SubscriptionValidator(policy),
            sender,
            patientIdentifierSystem,
            tokens,
            clock);
    s.sockets =
        new SubscriptionSockets(
                bootstrapServers, registry, log, tokens, base, settings.wsPingPeriod(), clock)
            .start();
    s.delivery =
        SubscriptionDelivery.start(
            bootstrapServers, registry, sender, settings, new DeliveryMetrics(meters), base, clock);
    return s;
  }

  /** Adds {@code /SubscriptionTopic} and {@code /Subscription} to {@code server}. */
  public void register(RestfulServer server) {
    server.registerProvider(new SubscriptionTopicProvider());
    server.registerProvider(
        new SubscriptionResourceProvider(
            registry, validator, log, patientIdentifierSystem, tokens, clock));
    server.registerInterceptor(new SubscriptionCapabilityInterceptor());
  }

  /**
   * The websocket channel, to mount at {@link SubscriptionSockets#PATH} ({@code
   * SearchServer#subscriptionSockets}).
   */
  public jakarta.servlet.http.HttpServlet socketServlet() {
    SubscriptionSockets s = sockets;
    if (s == null) {
      throw new IllegalStateException("subscriptions are closed");
    }
    return s.servlet();
  }

  /**
   * Whether the view of {@code audit.subscriptions} caught up and delivery (rest-hook and
   * websocket) runs (readiness).
   */
  public boolean ready() {
    SubscriptionDelivery d = delivery;
    SubscriptionSockets w = sockets;
    return registry.caughtUp() && d != null && d.running() && w != null && w.running();
  }

  public SubscriptionRegistry registry() {
    return registry;
  }

  @Override
  public void close() {
    SubscriptionDelivery d = delivery;
    SubscriptionSockets w = sockets;
    delivery = null;
    sockets = null;
    try {
      if (w != null) {
        w.close();
      }
      if (d != null) {
        d.close();
      }
    } finally {
      try {
        sender.close();
      } finally {
        registry.close();
      }
    }
  }
}
