package org.atnabridge.streams.alert.notify;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.atnabridge.schemas.alert.Alert;
import org.atnabridge.streams.alert.rules.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a {@link PendingAlert} on: tries each channel that is due; a success or a permanent failure
 * (dead-lettered) ends that channel, any other failure schedules the next attempt after a {@link
 * Backoff} — until the channel's deadline, counted from the alert's {@code detectedAt} (so a
 * restart neither resets nor extends it). A failure at or after the deadline dead-letters with
 * {@code DEADLINE_PASSED}. A record that is no alert is dead-lettered with {@code NOT_AN_ALERT}.
 */
final class AlertAttempts {

  private static final Logger LOG = LoggerFactory.getLogger(AlertAttempts.class);

  private final ChannelDispatch dispatch;
  private final AlertDeadLetters deadLetters;
  private final NotificationMetrics metrics;
  private final Backoff backoff;
  private final Clock clock;
  private final RandomGenerator random;

  AlertAttempts(
      ChannelDispatch dispatch,
      AlertDeadLetters deadLetters,
      NotificationMetrics metrics,
      Backoff backoff,
      Clock clock,
      RandomGenerator random) {
    this.dispatch = dispatch;
    this.deadLetters = deadLetters;
    this.metrics = metrics;
    this.backoff = backoff;
    this.clock = clock;
    this.random = random;
  }

  /**
   * Tries what is due.
   *
   * @return whether the record is done (every channel took it or it was dead-lettered)
   * @throws AlertDeadLetters.DeadLetterFailed when a dead letter was not acknowledged (the record
   *     must not be committed; it is tried again)
   */
  boolean advance(PendingAlert p) {
    Instant now = clock.instant();
    Alert alert = p.alert;
    if (alert == null) {
      String reason = p.invalid == null ? "not an alert" : p.invalid;
      deadLetters.send(p.record, null, AlertDeadLetters.NOT_AN_ALERT, reason, now);
      metrics.deadLettered("", AlertDeadLetters.NOT_AN_ALERT);
      LOG.warn(
          "audit.alerts partition {} offset {} is no alert ({}): dead-lettered",
          p.record.partition(),
          p.record.offset(),
          reason);
      return true;
    }
    Iterator<Map.Entry<String, PendingAlert.ChannelState>> it = p.remaining.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<String, PendingAlert.ChannelState> e = it.next();
      PendingAlert.ChannelState state = e.getValue();
      if (state.nextAttempt.isAfter(now)) {
        continue;
      }
      if (attempt(p, alert, e.getKey(), state)) {
        it.remove();
      }
      now = clock.instant();
    }
    return p.remaining.isEmpty();
  }

  /** One attempt; whether the channel is finished with (delivered or dead-lettered). */
  private boolean attempt(
      PendingAlert p, Alert alert, String channelId, PendingAlert.ChannelState state) {
    DeliveryOutcome outcome = dispatch.attempt(alert, p.record.value(), channelId);
    Instant now = clock.instant();
    Optional<Channel> channel = dispatch.channel(channelId);
    return switch (outcome) {
      case DeliveryOutcome.Delivered d -> {
        metrics.delivered(
            channelId,
            channel.map(ChannelDispatch::type).orElse("unknown"),
            Duration.between(alert.detectedAt(), now));
        LOG.debug("alert {} delivered to channel {}", alert.id(), channelId);
        yield true;
      }
      case DeliveryOutcome.Rejected r -> {
        deadLetter(p, alert, channelId, r.code(), r.detail(), now);
        yield true;
      }
      case DeliveryOutcome.Retry r -> failed(p, alert, channelId, state, channel, r, now);
    };
  }

  /** A failure to retry: schedule the next attempt, or dead-letter when the deadline is reached. */
  private boolean failed(
      PendingAlert p,
      Alert alert,
      String channelId,
      PendingAlert.ChannelState state,
      Optional<Channel> channel,
      DeliveryOutcome.Retry r,
      Instant now) {
    state.failures++;
    Instant deadline = alert.detectedAt().plus(deadline(channel));
    if (!now.isBefore(deadline)) {
      deadLetter(
          p,
          alert,
          channelId,
          AlertDeadLetters.DEADLINE_PASSED,
          "no delivery before "
              + deadline
              + " after "
              + state.failures
              + " attempts; last: "
              + r.reason(),
          now);
      return true;
    }
    Instant next = now.plus(backoff.delay(state.failures, random));
    // one last attempt at the deadline itself
    state.nextAttempt = next.isAfter(deadline) ? deadline : next;
    metrics.retry(channelId);
    LOG.info(
        "alert {} to channel {} failed ({}), attempt {}; next at {}",
        alert.id(),
        channelId,
        r.reason(),
        state.failures,
        state.nextAttempt);
    return false;
  }

  private static Duration deadline(Optional<Channel> channel) {
    return switch (channel.orElse(null)) {
      case Channel.Webhook w -> w.deadline();
      case Channel.Email e -> e.deadline();
      case null, default -> Duration.ZERO;
    };
  }

  private void deadLetter(
      PendingAlert p, Alert alert, String channelId, String code, String detail, Instant now) {
    deadLetters.send(p.record, channelId, code, detail, now);
    metrics.deadLettered(channelId, code);
    LOG.warn(
        "alert {} to channel {} dead-lettered to audit.alerts.dlq: {} ({})",
        alert.id(),
        channelId,
        code,
        detail);
  }
}
