package org.atnabridge.streams.alert;

import java.time.Duration;

/**
 * Durations for people in ISO 8601, in days when whole days ({@code P90D}, not {@code PT2160H}).
 */
final class Durations {

  private Durations() {}

  static String text(Duration d) {
    return !d.isZero() && d.toSeconds() % 86_400 == 0 && d.getNano() == 0
        ? "P" + d.toDays() + "D"
        : d.toString();
  }
}
