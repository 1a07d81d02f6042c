package org.atnabridge.streams;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.atnabridge.streams.subscription.SubscriptionTopology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Subscription matcher as one start/close unit: the {@code KafkaStreams} application {@value
 * SubscriptionTopology#APPLICATION_ID} ({@link SubscriptionTopology}: {@code audit.subscriptions} +
 * {@code audit.enriched} → numbered notifications on {@code audit.notifications}), exactly-once v2,
 * beside the enrich application with its own offsets, state and threads.
 */
public final class SubscriptionStreams implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SubscriptionStreams.class);

  private final StreamsService streams;

  private SubscriptionStreams(StreamsService streams) {
    this.streams = streams;
  }

  /**
   * Starts the application and returns once it is RUNNING (every stored subscription loaded).
   *
   * @param registry the matcher's meters and Kafka Streams' own (tag {@code application})
   * @throws IllegalStateException when it is not RUNNING within 90 s
   */
  public static SubscriptionStreams start(StreamsSettings settings, MeterRegistry registry) {
    return start(settings, Clock.systemUTC(), registry);
  }

  /** As {@link #start(StreamsSettings, MeterRegistry)} with the given wall clock. */
  public static SubscriptionStreams start(
      StreamsSettings settings, Clock clock, MeterRegistry registry) {
    StreamsService streams =
        new StreamsService(
            SubscriptionTopology.APPLICATION_ID,
            SubscriptionTopology.build(clock, registry),
            settings,
            registry);
    streams.start(AuditStreams.START_TIMEOUT);
    LOG.info("subscription matcher running");
    return new SubscriptionStreams(streams);
  }

  /** True while the application runs (or rebalances). */
  public boolean check() {
    return streams.check();
  }

  /** Stops the application, committing what it processed and leaving its group. */
  @Override
  public void close() {
    streams.close();
  }
}
