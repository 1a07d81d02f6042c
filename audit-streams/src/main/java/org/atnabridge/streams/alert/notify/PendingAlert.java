package org.atnabridge.streams.alert.notify;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.atnabridge.schemas.alert.Alert;
import org.atnabridge.schemas.alert.AlertJson;
import org.jspecify.annotations.Nullable;

/**
 * One record of {@code audit.alerts} being delivered: the channels still to take it, each with its
 * failures so far and when it is tried next. Done when none is left; only then is its offset
 * committed.
 */
final class PendingAlert {

  /** A channel that has not taken the alert yet. */
  static final class ChannelState {
    int failures;
    Instant nextAttempt;

    ChannelState(Instant nextAttempt) {
      this.nextAttempt = nextAttempt;
    }
  }

  final ConsumerRecord<String, byte[]> record;
  final @Nullable Alert alert;

  /** Why the record is no alert, or null when it is one. */
  final @Nullable String invalid;

  final Map<String, ChannelState> remaining = new LinkedHashMap<>();

  private PendingAlert(
      ConsumerRecord<String, byte[]> record, @Nullable Alert alert, @Nullable String invalid) {
    this.record = record;
    this.alert = alert;
    this.invalid = invalid;
    if (alert != null) {
      alert.channels().forEach(c -> remaining.putIfAbsent(c, new ChannelState(Instant.MIN)));
    }
  }

  static PendingAlert of(ConsumerRecord<String, byte[]> record) {
    if (record.value() == null) {
      return new PendingAlert(record, null, "no value");
    }
    try {
      return new PendingAlert(record, AlertJson.read(record.value()), null);
    } catch (IllegalArgumentException | NullPointerException e) {
      return new PendingAlert(record, null, String.valueOf(e.getMessage()));
    }
  }

  /**
   * The earliest time a channel of it is due; {@link Instant#MIN} (now) when none is left, as for
   * an alert whose rule notifies no channel: it is done and its offset is committed at once.
   */
  Instant nextDue() {
    if (invalid != null || remaining.isEmpty()) {
      return Instant.MIN;
    }
    Instant next = Instant.MAX;
    for (ChannelState s : remaining.values()) {
      if (s.nextAttempt.isBefore(next)) {
        next = s.nextAttempt;
      }
    }
    return next;
  }
}
