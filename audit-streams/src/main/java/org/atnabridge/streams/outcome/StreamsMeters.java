package org.atnabridge.streams.outcome;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The audit-streams meters (Micrometer; {@code /metrics} of {@code serve}). Counted as records are
 * processed: a transaction that aborts (crash, lost partition) and is processed again counts its
 * records again, so these are processing counts, not exactly-once output counts.
 */
public final class StreamsMeters {

  /** Counter of dropped later receipts, tag {@code transport}. */
  public static final String DUPLICATES = "atna.streams.duplicates";

  /**
   * Transport tag values; anything else (a header from another producer) counts as {@code unknown}.
   */
  private static final java.util.Set<String> TRANSPORTS =
      java.util.Set.of("udp", "tcp", "tls", "http", "feed");

  private final MeterRegistry registry;
  private final Counter converted;
  private final Counter posted;
  private final Counter chained;
  private final Counter replacements;
  private final Counter checkpoints;

  public StreamsMeters(MeterRegistry registry) {
    this.registry = registry;
    this.converted =
        Counter.builder("atna.streams.converted")
            .description("AuditEvents converted from atna.raw records")
            .register(registry);
    this.posted =
        Counter.builder("atna.streams.posted")
            .description("AuditEvents read from audit.posted (feed, self-audit, security alerts)")
            .register(registry);
    this.chained =
        Counter.builder("atna.streams.chained")
            .description("AuditEvents enriched, labelled and chained into audit.enriched")
            .register(registry);
    this.replacements =
        Counter.builder("atna.streams.chained.replacements")
            .description("chained AuditEvents whose id was chained before (replaces-seq set)")
            .register(registry);
    this.checkpoints =
        Counter.builder("atna.streams.checkpoints")
            .description("signed chain checkpoints written to audit.checkpoints")
            .register(registry);
  }

  /** Meters nobody reads (tests, tools). */
  public static StreamsMeters unregistered() {
    return new StreamsMeters(new SimpleMeterRegistry());
  }

  public MeterRegistry registry() {
    return registry;
  }

  public void converted() {
    converted.increment();
  }

  public void posted() {
    posted.increment();
  }

  public void chained(boolean replaces) {
    chained.increment();
    if (replaces) {
      replacements.increment();
    }
  }

  /**
   * A later receipt of an event chained before (a retry, a replay, a duplicate POST), dropped: by
   * the {@code transport} it came over ({@code udp}, {@code tcp}, {@code tls}, {@code feed}, …).
   */
  public void duplicate(String transport) {
    Counter.builder(DUPLICATES)
        .description("later receipts of an audit event already recorded, dropped")
        .tag("transport", TRANSPORTS.contains(transport) ? transport : "unknown")
        .register(registry)
        .increment();
  }

  public void checkpoint() {
    checkpoints.increment();
  }

  /**
   * A record sent to {@code audit.dlq}, by stage ({@code audit-convert}, {@code audit-enrich}) and
   * typed reason.
   */
  public void deadLetter(String stage, String reason) {
    Counter.builder("atna.streams.dead.letters")
        .description("records sent to audit.dlq")
        .tag("stage", stage)
        .tag("reason", reason)
        .register(registry)
        .increment();
  }
}
