package org.atnabridge.allinone;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * Which {@code audit.dlq} records {@code dlq list} and {@code dlq redrive} take: by offset range,
 * reason and time (the dead-letter record's time, which is the rejected record's); all criteria
 * given must hold.
 */
final class DlqSelection {

  @Option(names = "--partition", description = "Only this partition of audit.dlq.")
  @Nullable Integer partition;

  @Option(names = "--from-offset", description = "Only offsets at or after N.")
  @Nullable Long fromOffset;

  @Option(names = "--to-offset", description = "Only offsets at or before N (inclusive).")
  @Nullable Long toOffset;

  @Option(
      names = "--reason",
      split = ",",
      description = "Only these reasons (dlq.reason, e.g. NOT_XML; repeatable or comma-separated).")
  List<String> reasons = new ArrayList<>();

  @Option(
      names = "--from",
      description =
          "Only records with a time at or after T (ISO-8601 instant, or a date: 00:00 UTC).")
  @Nullable String from;

  @Option(names = "--to", description = "Only records with a time before T (instant or date).")
  @Nullable String to;

  /** Whether any criterion is given. */
  boolean any() {
    return partition != null
        || fromOffset != null
        || toOffset != null
        || !reasons.isEmpty()
        || from != null
        || to != null;
  }

  /**
   * Checks the values.
   *
   * @throws IllegalArgumentException naming the option
   */
  void validate() {
    instant("--from", from);
    instant("--to", to);
    if (fromOffset != null && toOffset != null && fromOffset > toOffset) {
      throw new IllegalArgumentException(
          "--from-offset " + fromOffset + " is after --to-offset " + toOffset);
    }
  }

  boolean matches(DeadLetter d) {
    Instant f = instant("--from", from);
    Instant t = instant("--to", to);
    return (partition == null || d.partition() == partition)
        && (fromOffset == null || d.offset() >= fromOffset)
        && (toOffset == null || d.offset() <= toOffset)
        && (reasons.isEmpty() || reasons.contains(d.reason()))
        && (f == null || !d.time().isBefore(f))
        && (t == null || d.time().isBefore(t));
  }

  /** An ISO-8601 instant or date (00:00 UTC), or null when not given. */
  static @Nullable Instant instant(String option, @Nullable String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(value.trim());
    } catch (DateTimeParseException e) {
      try {
        return LocalDate.parse(value.trim()).atStartOfDay(ZoneOffset.UTC).toInstant();
      } catch (DateTimeParseException e2) {
        throw new IllegalArgumentException(
            option + " must be an ISO-8601 instant or date, got: " + value);
      }
    }
  }
}
