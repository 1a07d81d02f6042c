package org.atnabridge.streams.alert.notify;

import java.util.Optional;
import java.util.function.Supplier;
import org.atnabridge.schemas.alert.Alert;
import org.atnabridge.streams.alert.rules.AlertRules;
import org.atnabridge.streams.alert.rules.Channel;

/**
 * One attempt to hand an alert to one channel, the channel looked up in the current rules at each
 * attempt (a reload may change its URL or secrets, or remove it).
 */
final class ChannelDispatch {

  /** Reason code of a channel id the current rules file no longer declares. */
  static final String UNKNOWN_CHANNEL = "UNKNOWN_CHANNEL";

  private final Supplier<AlertRules> rules;
  private final WebhookSender webhooks;
  private final EmailSender email;

  ChannelDispatch(Supplier<AlertRules> rules, WebhookSender webhooks, EmailSender email) {
    this.rules = rules;
    this.webhooks = webhooks;
    this.email = email;
  }

  /** The channel as the rules declare it now. */
  Optional<Channel> channel(String id) {
    return rules.get().channel(id);
  }

  /**
   * @param json the alert record's value, posted as it is
   */
  DeliveryOutcome attempt(Alert alert, byte[] json, String channelId) {
    Optional<Channel> found = channel(channelId);
    if (found.isEmpty()) {
      return new DeliveryOutcome.Rejected(
          UNKNOWN_CHANNEL, "the rules declare no channel " + channelId);
    }
    return switch (found.get()) {
      case Channel.Webhook w -> webhooks.send(w, alert.id(), json);
      case Channel.Email e -> email.send(e, alert);
      // the alert is on audit.alerts already: that is the delivery
      case Channel.Kafka k -> DeliveryOutcome.DELIVERED;
    };
  }

  static String type(Channel channel) {
    return switch (channel) {
      case Channel.Webhook w -> "webhook";
      case Channel.Email e -> "email";
      case Channel.Kafka k -> "kafka";
    };
  }
}
