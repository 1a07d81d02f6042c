package org.atnabridge.streams.alert.notify;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.atnabridge.schemas.alert.Alert;

/** Alerts for the delivery tests. */
final class Alerts {

  static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  static final String OLD_SECRET = "whsec_c2VjcmV0LW9mLWxhc3QteWVhci0xMjM0NTY3OA==";

  private Alerts() {}

  /** A break-glass alert detected {@code age} ago, for the channels given. */
  static Alert alert(String id, Duration age, String... channels) {
    Instant detected = Instant.now().minus(age);
    return new Alert(
        id,
        new Alert.RuleRef("break-glass", "Break-glass access", "match", "high", "BTG used"),
        "http://hospital.example/users|jdoe",
        detected.minusSeconds(3),
        detected,
        null,
        null,
        false,
        1,
        List.of("AuditEvent/ev-1"),
        List.of(new Alert.Party(null, "http://hospital.example/users", "jdoe", "Dr. Jane Doe")),
        List.of(
            new Alert.Party("Patient/p-42", "urn:oid:1.2.3", "MRN-42", "Maximilian Mustermann")),
        "jdoe used break-glass on Patient/p-42",
        List.of(channels),
        "AuditEvent/alert-" + id);
  }
}
