package org.atnabridge.streams.alert;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import org.atnabridge.streams.alert.rules.KindSpec;

/** The calendar of a {@code schedule} rule. */
final class Calendars {

  private Calendars() {}

  /**
   * Whether {@code at} is outside the calendar: on a day not listed, or before {@code from} or at
   * or after {@code to}, on the wall clock of the rule's zone (so daylight saving time moves with
   * the office hours).
   */
  static boolean outside(KindSpec.Schedule s, Instant at) {
    ZonedDateTime t = at.atZone(s.zone());
    LocalTime time = t.toLocalTime();
    boolean inside =
        s.days().contains(t.getDayOfWeek()) && !time.isBefore(s.from()) && time.isBefore(s.to());
    return !inside;
  }
}
