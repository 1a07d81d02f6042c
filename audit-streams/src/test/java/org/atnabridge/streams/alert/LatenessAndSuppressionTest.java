package org.atnabridge.streams.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.atnabridge.streams.alert.FirstSeenAndSilenceTest.count;
import static org.atnabridge.streams.alert.StateRules.match;
import static org.atnabridge.streams.alert.StateRules.rule;
import static org.atnabridge.streams.alert.StateRules.threshold;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Event time with a grace period (default 10 min), windows closed by the wall clock, suppression,
 * and rules removed by a reload.
 */
class LatenessAndSuppressionTest {

  static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  static final Duration FIVE_MIN = Duration.ofMinutes(5);

  @TempDir Path dir;

  @Test
  void lateEventInsideGrace_countsInTheWindowOfItsEventTime() {
    try (AlertStateHarness h =
        new AlertStateHarness(dir, T0, StateRules.of(rule("login", threshold(5, FIVE_MIN))))) {
      String[] ids = new String[6];
      for (int i = 0; i < 4; i++) {
        ids[i] = h.observe("login", "jdoe", T0.plus(Duration.ofMinutes(i)));
      }
      ids[4] = h.observe("login", "jdoe", T0.plus(Duration.ofMinutes(9)));
      assertThat(h.firings).isEmpty();

      ids[5] = h.observe("login", "jdoe", T0.plusSeconds(150));

      assertThat(h.firings).hasSize(1);
      Firing f = h.firings.getFirst();
      assertThat(f.late()).isFalse();
      assertThat(f.windowStart()).isEqualTo(T0);
      assertThat(f.firedAt()).isEqualTo(T0.plusSeconds(150));
      assertThat(f.events()).containsExactly(ids[0], ids[1], ids[2], ids[5], ids[3]);
      assertThat(h.counter(AlertStateMeters.LATE, "login")).isZero();
    }
  }

  @Test
  void eventBeyondGrace_isNotCounted_butAMatchRuleFiresMarkedLate() {
    try (AlertStateHarness h =
        new AlertStateHarness(
            dir, T0, StateRules.of(rule("login", threshold(5, FIVE_MIN)), rule("btg", match())))) {
      for (int i = 0; i < 4; i++) {
        h.observe("login", "jdoe", T0.plus(Duration.ofMinutes(i)));
      }
      h.observe("login", "other", T0.plus(Duration.ofMinutes(15)));

      h.observe("login", "jdoe", T0.plus(Duration.ofMinutes(4)).minusMillis(1));
      h.observe("btg", "jdoe", T0.plus(Duration.ofMinutes(4)));

      assertThat(h.firings).hasSize(1);
      Firing f = h.firings.getFirst();
      assertThat(f.ruleId()).isEqualTo("btg");
      assertThat(f.late()).isTrue();
      assertThat(h.counter(AlertStateMeters.LATE, "login")).isEqualTo(1);
      assertThat(h.counter(AlertStateMeters.LATE, "btg")).isEqualTo(1);

      h.observe("btg", "jdoe", T0.plus(Duration.ofMinutes(5)));
      assertThat(h.firings.get(1).late()).as("exactly watermark - grace is in time").isFalse();
    }
  }

  @Test
  void anEventFromAClockFarAhead_movesTheWatermarkOnlyADayPastTheWallClock() {
    try (AlertStateHarness h =
        new AlertStateHarness(dir, T0, StateRules.of(rule("login", threshold(2, FIVE_MIN))))) {
      h.observe("login", "skewed", Instant.parse("2099-01-01T00:00:00Z"));
      h.observe("login", "jdoe", T0.plus(Duration.ofDays(1)).minus(Duration.ofMinutes(10)));
      h.observe("login", "jdoe", T0.plus(Duration.ofDays(1)).minus(Duration.ofMinutes(9)));
      assertThat(h.firings).extracting(Firing::group).containsExactly("jdoe");

      h.observe("login", "jdoe", T0.plus(Duration.ofDays(1)).minus(Duration.ofMinutes(11)));
      assertThat(h.counter(AlertStateMeters.LATE, "login")).isEqualTo(1);
    }
  }

  @Test
  void backlogFromAnHourAgo_readOnItsOwnEventTimes_isNotLate_andFires() {
    // the wall clock is an hour past these events (the pipeline catching up after an outage): the
    // watermark follows the events read, not the wall clock, while they keep coming
    try (AlertStateHarness h =
        new AlertStateHarness(
            dir,
            T0.plus(Duration.ofHours(1)),
            StateRules.of(rule("login", threshold(5, FIVE_MIN))))) {
      for (int i = 0; i < 5; i++) {
        h.observe("login", "jdoe", T0.plus(Duration.ofMinutes(i)));
        h.advance(Duration.ofSeconds(5));
      }
      assertThat(h.counter(AlertStateMeters.LATE, "login")).isZero();
      assertThat(h.firings).singleElement().satisfies(f -> assertThat(f.eventCount()).isEqualTo(5));
    }
  }

  @Test
  void idlePartition_wallClockClosesTheWindow_andLaterDataIsLate() {
    try (AlertStateHarness h =
        new AlertStateHarness(dir, T0, StateRules.of(rule("login", threshold(5, FIVE_MIN))))) {
      for (int i = 0; i < 4; i++) {
        h.observe("login", "jdoe", T0.plus(Duration.ofMinutes(i)));
      }
      assertThat(count(h, AlertStateStores.WINDOWS)).isEqualTo(1);

      h.advance(Duration.ofMinutes(20));
      assertThat(count(h, AlertStateStores.WINDOWS)).as("purged by the wall clock").isZero();

      h.observe("login", "jdoe", T0.plus(Duration.ofMinutes(4)));
      assertThat(h.firings).isEmpty();
      assertThat(h.counter(AlertStateMeters.LATE, "login")).isEqualTo(1);
    }
  }

  @Test
  void suppression_oneAlertPerGroupPerPeriod_ofEventTime_counted() {
    Duration thirty = Duration.ofMinutes(30);
    try (AlertStateHarness h =
        new AlertStateHarness(
            dir,
            T0,
            StateRules.of(
                rule("login", threshold(5, FIVE_MIN), thirty, true),
                rule("btg", match(), Duration.ofMinutes(10), true)))) {
      for (int burst : new int[] {0, 10, 35}) {
        for (int i = 0; i < 5; i++) {
          h.observe("login", "jdoe", T0.plus(Duration.ofMinutes(burst + i)));
        }
      }
      assertThat(h.firings)
          .extracting(Firing::firedAt)
          .containsExactly(T0.plus(Duration.ofMinutes(4)), T0.plus(Duration.ofMinutes(39)));
      assertThat(h.counter(AlertStateMeters.SUPPRESSED, "login")).isEqualTo(1);

      h.firings.clear();
      h.observe("btg", "jdoe", T0.plus(Duration.ofMinutes(40)));
      h.observe("btg", "jdoe", T0.plus(Duration.ofMinutes(45)));
      h.observe("btg", "other", T0.plus(Duration.ofMinutes(45)));
      h.observe("btg", "jdoe", T0.plus(Duration.ofMinutes(50)));
      assertThat(h.firings)
          .extracting(f -> f.group() + "@" + f.firedAt())
          .containsExactly(
              "jdoe@" + T0.plus(Duration.ofMinutes(40)),
              "other@" + T0.plus(Duration.ofMinutes(45)),
              "jdoe@" + T0.plus(Duration.ofMinutes(50)));
      assertThat(h.counter(AlertStateMeters.SUPPRESSED, "btg")).isEqualTo(1);
    }
  }

  @Test
  void ruleRemovedOrDisabledByAReload_observationsIgnored_stateExpires() {
    try (AlertStateHarness h =
        new AlertStateHarness(dir, T0, StateRules.of(rule("login", threshold(5, FIVE_MIN))))) {
      for (int i = 0; i < 4; i++) {
        h.observe("login", "jdoe", T0.plus(Duration.ofMinutes(i)));
      }
      h.rules.set(StateRules.of(rule("login", threshold(5, FIVE_MIN), null, false)));
      h.observe("login", "jdoe", T0.plus(Duration.ofMinutes(4)));
      assertThat(h.firings).as("disabled").isEmpty();

      h.rules.set(StateRules.of());
      h.advance(Duration.ofSeconds(10));
      assertThat(count(h, AlertStateStores.WINDOWS)).as("removed: state swept").isZero();

      h.rules.set(StateRules.of(rule("login", threshold(5, FIVE_MIN))));
      h.observe("login", "jdoe", T0.plus(Duration.ofMinutes(4)));
      assertThat(h.firings).as("the old events are gone").isEmpty();
      assertThat(count(h, AlertStateStores.WINDOWS)).isEqualTo(1);
      assertThat(h.firings).isEqualTo(List.of());
    }
  }
}
