package org.atnabridge.streams.alert.rules;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A loaded rules file: its channels, its rules (disabled ones included: they are listed by {@code
 * rules check} but never evaluated) and the grace period of event-time windows.
 *
 * @param grace how late (in event time) an event may arrive and still count in its window; default
 *     {@link #DEFAULT_GRACE}
 */
public record AlertRules(List<Channel> channels, List<AlertRule> rules, Duration grace) {

  public static final Duration DEFAULT_GRACE = Duration.ofMinutes(10);

  /** No channels and no rules: what runs when no rules file is given. */
  public static final AlertRules NONE = new AlertRules(List.of(), List.of(), DEFAULT_GRACE);

  public AlertRules {
    channels = List.copyOf(channels);
    rules = List.copyOf(rules);
    Objects.requireNonNull(grace, "grace");
  }

  /** The rules that are evaluated. */
  public List<AlertRule> enabled() {
    return rules.stream().filter(AlertRule::enabled).toList();
  }

  public Optional<AlertRule> rule(String id) {
    return rules.stream().filter(r -> r.id().equals(id)).findFirst();
  }

  public Optional<Channel> channel(String id) {
    return channels.stream().filter(c -> c.id().equals(id)).findFirst();
  }
}
