package org.atnabridge.streams.alert.notify;

/** What one delivery attempt of an alert to one channel came to. */
public sealed interface DeliveryOutcome {

  /** The channel took the alert. */
  record Delivered() implements DeliveryOutcome {}

  /**
   * A failure that may pass (receiver down, timeout, 5xx): try again after a backoff, until the
   * channel's deadline.
   *
   * @param reason why, for the log and the dead letter; never a secret
   */
  record Retry(String reason) implements DeliveryOutcome {}

  /**
   * A failure that will not pass by retrying: dead-letter at once.
   *
   * @param code a stable reason code for {@code dlq.reason}
   * @param detail for people; never a secret
   */
  record Rejected(String code, String detail) implements DeliveryOutcome {}

  DeliveryOutcome DELIVERED = new Delivered();
}
