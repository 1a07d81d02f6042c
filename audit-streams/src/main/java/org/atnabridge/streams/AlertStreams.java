package org.atnabridge.streams;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.function.Supplier;
import org.atnabridge.streams.alert.AlertTopology;
import org.atnabridge.streams.alert.rules.AlertRules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alert engine as one start/close unit: the {@code KafkaStreams} application {@value
 * AlertTopology#APPLICATION_ID} ({@link AlertTopology}: {@code audit.enriched} → rules → {@code
 * audit.alerts} + Security Alert AuditEvents on {@code audit.posted}), exactly-once v2 like the
 * enrich application, beside which it runs with its own offsets, state and threads.
 */
public final class AlertStreams implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(AlertStreams.class);

  private final StreamsService streams;

  private AlertStreams(StreamsService streams) {
    this.streams = streams;
  }

  /**
   * Starts the application and returns once it is RUNNING.
   *
   * @param rules the rules as they are now; a reload swaps what it returns, without a restart
   * @param registry the engine's meters and Kafka Streams' own (tag {@code application})
   * @throws IllegalStateException when it is not RUNNING within 90 s
   */
  public static AlertStreams start(
      StreamsSettings settings, Supplier<AlertRules> rules, MeterRegistry registry) {
    return start(settings, rules, Clock.systemUTC(), registry);
  }

  /** As {@link #start(StreamsSettings, Supplier, MeterRegistry)} with the given wall clock. */
  public static AlertStreams start(
      StreamsSettings settings, Supplier<AlertRules> rules, Clock clock, MeterRegistry registry) {
    StreamsService streams =
        new StreamsService(
            AlertTopology.APPLICATION_ID,
            AlertTopology.build(rules, clock, registry),
            settings,
            registry);
    streams.start(AuditStreams.START_TIMEOUT);
    LOG.info("alert engine running with {} enabled rule(s)", rules.get().enabled().size());
    return new AlertStreams(streams);
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
