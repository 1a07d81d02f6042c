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

  /** Counter of access log lines converted to AuditEvents, tag {@code source}. */
  public static final String ACCESS_LOG_CONVERTED = "atna.accesslog.converted";

  /**
   * Counter of access log lines dropped by their source's rules, tags {@code source}, {@code
   * reason}.
   */
  public static final String ACCESS_LOG_DROPPED = "atna.accesslog.dropped";

  /**
   * Counter of access log lines that could not be read (dead-lettered), tags {@code source}, {@code
   * reason}.
   */
  public static final String ACCESS_LOG_FAILED = "atna.accesslog.failed";

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

  /**
   * An access log line converted (to one event, or one per patient), by source name (a name from
   * the sources file or {@code default}, never a header's value).
   */
  public void accessLogConverted(String source) {
    Counter.builder(ACCESS_LOG_CONVERTED)
        .description("access log lines converted to AuditEvents (accesslog.raw)")
        .tag("source", source)
        .register(registry)
        .increment();
  }

  /** An access log line that is no FHIR / REST interaction, dropped by its source's rules. */
  public void accessLogDropped(String source, String reason) {
    Counter.builder(ACCESS_LOG_DROPPED)
        .description("access log lines dropped by their source's rules (not dead-lettered)")
        .tag("source", source)
        .tag("reason", reason)
        .register(registry)
        .increment();
  }

  /** An access log line that could not be read; it goes to {@code audit.dlq} with the reason. */
  public void accessLogFailed(String source, String reason) {
    Counter.builder(ACCESS_LOG_FAILED)
        .description("access log lines that could not be read, sent to audit.dlq")
        .tag("source", source)
        .tag("reason", reason)
        .register(registry)
        .increment();
  }
}
