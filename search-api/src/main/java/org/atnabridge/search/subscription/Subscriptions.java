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
 * the rest-hook delivery of {@code audit.notifications} in its consumer group. Close it after the
 * HTTP server.
 */
public final class Subscriptions implements AutoCloseable {

  private final SubscriptionRegistry registry;
  private final NotificationLog log;
  private final SubscriptionValidator validator;
  private final RestHookSender sender;
  private final @Nullable String patientIdentifierSystem;
  private final Clock clock;
  private @Nullable SubscriptionDelivery delivery;

  private Subscriptions(
      SubscriptionRegistry registry,
      NotificationLog log,
      SubscriptionValidator validator,
      RestHookSender sender,
      @Nullable String patientIdentifierSystem,
      Clock clock) {
    this.registry = registry;
    this.log = log;
    this.validator = validator;
    this.sender = sender;
    this.patientIdentifierSystem = patientIdentifierSystem;
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
    Subscriptions s =
        new Subscriptions(
            registry,
            new NotificationLog(bootstrapServers),
            new SubscriptionValidator(policy),
            sender,
            patientIdentifierSystem,
            clock);
    s.delivery =
        SubscriptionDelivery.start(
            bootstrapServers, registry, sender, settings, new DeliveryMetrics(meters), base, clock);
    return s;
  }

  /** Adds {@code /SubscriptionTopic} and {@code /Subscription} to {@code server}. */
  public void register(RestfulServer server) {
    server.registerProvider(new SubscriptionTopicProvider());
    server.registerProvider(
        new SubscriptionResourceProvider(registry, validator, log, patientIdentifierSystem, clock));
    server.registerInterceptor(new SubscriptionCapabilityInterceptor());
  }

  /** Whether the view of {@code audit.subscriptions} caught up and delivery runs (readiness). */
  public boolean ready() {
    SubscriptionDelivery d = delivery;
    return registry.caughtUp() && d != null && d.running();
  }

  public SubscriptionRegistry registry() {
    return registry;
  }

  @Override
  public void close() {
    SubscriptionDelivery d = delivery;
    delivery = null;
    try {
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
