package org.atnabridge.streams.subscription;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;
import org.atnabridge.schemas.Topics;

/**
 * The Subscription matcher as one Kafka Streams application ({@value #APPLICATION_ID}), apart from
 * the enrich and alert applications (its own offsets, state and threads), exactly-once v2:
 *
 * <pre>
 * audit.subscriptions ─▶ global store + {@link SubscriptionIndex} (every instance, every subscription)
 * audit.enriched ─▶ match (stage 1) ─▶ subscription-matches (repartition by subscription id)
 *   ─▶ number (stage 2, store subscription-numbers) ─▶ audit.notifications
 * </pre>
 *
 * Matches of one subscription from every partition of {@code audit.enriched} meet in one task of
 * stage 2, which alone numbers that subscription ({@link NumberingProcessor}).
 */
public final class SubscriptionTopology {

  /** Application id: a constant (changing it resets the offsets and the event numbers). */
  public static final String APPLICATION_ID = "audit-subscriptions";

  /** The global store of {@code audit.subscriptions}. */
  public static final String SUBSCRIPTIONS_STORE = "subscriptions";

  /** The persistent store of {@code subscription id → last eventNumber}. */
  public static final String NUMBERS_STORE = "subscription-numbers";

  /** The repartition topic's name (prefixed by Kafka Streams with the application id). */
  public static final String MATCHES = "subscription-matches";

  /** Partitions of the repartition topic: those of {@code audit.notifications}. */
  public static final int MATCH_PARTITIONS = Topics.AUDIT_NOTIFICATIONS.partitions();

  public static final String MATCH = "subscription-match";
  public static final String NUMBER = "subscription-number";

  private SubscriptionTopology() {}

  /**
   * @param clock the wall clock: {@code Subscription.end} and {@code matchedAt}
   * @param registry where the matcher counts what it does ({@link SubscriptionMeters})
   */
  public static Topology build(Clock clock, MeterRegistry registry) {
    SubscriptionIndex index = new SubscriptionIndex();
    SubscriptionMeters meters = new SubscriptionMeters(registry, index);
    StreamsBuilder builder = new StreamsBuilder();
    builder.addGlobalStore(
        Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(SUBSCRIPTIONS_STORE),
                Serdes.String(),
                Serdes.ByteArray())
            .withLoggingDisabled(), // a global store's changelog is its source topic
        Topics.AUDIT_SUBSCRIPTIONS.name(),
        Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("audit-subscriptions-source"),
        () -> new SubscriptionsProcessor(index, SUBSCRIPTIONS_STORE));
    builder.addStateStore(NumberingProcessor.storeBuilder(NUMBERS_STORE));
    builder.stream(
            Topics.AUDIT_ENRICHED.name(),
            Consumed.with(Topics.AUDIT_ENRICHED.keySerde(), Serdes.ByteArray())
                .withName("audit-enriched-source"))
        .process(() -> new MatchProcessor(index, clock, meters), Named.as(MATCH))
        .repartition(
            Repartitioned.<String, Match>as(MATCHES)
                .withKeySerde(Serdes.String())
                .withValueSerde(new MatchSerde())
                .withNumberOfPartitions(MATCH_PARTITIONS))
        .process(
            () -> new NumberingProcessor(index, NUMBERS_STORE, clock, meters),
            Named.as(NUMBER),
            NUMBERS_STORE)
        .to(
            Topics.AUDIT_NOTIFICATIONS.name(),
            Produced.with(
                    Topics.AUDIT_NOTIFICATIONS.keySerde(), Topics.AUDIT_NOTIFICATIONS.valueSerde())
                .withName("audit-notifications-sink"));
    return builder.build();
  }
}
