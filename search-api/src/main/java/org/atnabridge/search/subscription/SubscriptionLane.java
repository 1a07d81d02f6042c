package org.atnabridge.search.subscription;

import java.time.Instant;
import java.util.ArrayDeque;
import org.apache.kafka.common.TopicPartition;
import org.atnabridge.schemas.subscription.SubscriptionNotification;
import org.jspecify.annotations.Nullable;

/**
 * One subscription's delivery state on the node that holds its partition, touched only by the
 * delivery thread: the notifications read and not yet delivered (in event-number order, at most the
 * backlog), the last event number queued (a record met again after a seek back is skipped), where
 * its records stopped being buffered when the backlog was full, the retry schedule, and when
 * something was last sent (heartbeats).
 */
final class SubscriptionLane {

  /** A notification read from the topic, with its offset (what the partition may commit). */
  record Pending(long offset, SubscriptionNotification notification) {}

  final String id;
  final TopicPartition partition;
  final ArrayDeque<Pending> queue = new ArrayDeque<>();

  /** Highest event number queued or delivered; a record at or below it is a repeat. */
  long lastQueued;

  /** Highest event number the endpoint took (0: none on this node yet). */
  long lastDelivered;

  /** Offset of the first record not buffered because the backlog was full; -1 when none. */
  long overflowFrom = -1;

  /** Whether a POST is under way (at most one per subscription: order). */
  boolean inFlight;

  /** How many events the POST under way carries (0 for a handshake or heartbeat). */
  int inFlightEvents;

  /** No attempt before this (backoff). */
  Instant nextDue = Instant.EPOCH;

  /** Consecutive failed attempts. */
  int failures;

  /** When the current run of failures began; null after a success. */
  @Nullable Instant failingSince;

  /** When a bundle was last taken by the endpoint (heartbeats count from it). */
  @Nullable Instant lastSent;

  /** Whether a handshake must succeed before events are sent (set while requested). */
  boolean handshakeNeeded;

  SubscriptionLane(String id, TopicPartition partition) {
    this.id = id;
    this.partition = partition;
  }

  /** The lowest offset this lane still needs: its head, or where it stopped buffering. */
  long firstUndelivered() {
    long first = Long.MAX_VALUE;
    Pending head = queue.peek();
    if (head != null) {
      first = head.offset();
    }
    if (overflowFrom >= 0) {
      first = Math.min(first, overflowFrom);
    }
    return first;
  }
}
