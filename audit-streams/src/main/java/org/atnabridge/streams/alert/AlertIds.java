package org.atnabridge.streams.alert;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * Deterministic ids, so that a firing processed again (a transaction aborted, a restart, a replay)
 * writes the same alert and the same AuditEvent, which notification receivers and the chain's
 * first-receipt rule then deduplicate. Domain strings keep them apart from every other id the
 * product derives.
 */
final class AlertIds {

  static final String ALERT_DOMAIN = "atna-bridge:alert:v1";
  static final String EVENT_DOMAIN = "atna-bridge:alert-event:v1";

  private AlertIds() {}

  /**
   * The alert id: lowercase hex SHA-256 over the rule id, the group, the window start (empty for
   * none), the first and last listed event ids and the count, NUL-separated.
   */
  static String alert(Firing f) {
    List<String> events = f.events();
    return hex(
        64,
        ALERT_DOMAIN,
        f.ruleId(),
        f.group(),
        f.windowStart() == null ? "" : f.windowStart().toString(),
        events.isEmpty() ? "" : events.get(0),
        events.isEmpty() ? "" : events.get(events.size() - 1),
        Integer.toString(f.eventCount()));
  }

  /**
   * The id of the alert's Security Alert AuditEvent: 40 hex digits (the length of the other event
   * ids) of SHA-256 over the alert id. Not over the event's content, which holds the wall-clock
   * {@code recorded}: that differs when the firing is processed again.
   */
  static String event(String alertId) {
    return hex(40, EVENT_DOMAIN, alertId);
  }

  private static String hex(int digits, String... parts) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (int i = 0; i < parts.length; i++) {
        if (i > 0) {
          sha.update((byte) 0);
        }
        sha.update(parts[i].getBytes(StandardCharsets.UTF_8));
      }
      return java.util.HexFormat.of().formatHex(sha.digest(), 0, digits / 2);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }
}
