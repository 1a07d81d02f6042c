package org.atnabridge.streams.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.atnabridge.streams.alert.StateRules.distinct;
import static org.atnabridge.streams.alert.StateRules.rule;
import static org.atnabridge.streams.alert.StateRules.sequence;
import static org.atnabridge.streams.alert.StateRules.threshold;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.atnabridge.schemas.alert.Alert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Threshold, distinct and sequence rules fire once, as soon as their condition holds within the
 * window, and not for the near miss.
 */
class WindowedRulesTest {

  static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  static final String JDOE = "urn:oid:1.2|jdoe";
  static final Duration FIVE_MIN = Duration.ofMinutes(5);

  @TempDir Path dir;

  @Test
  void threshold_fourFailuresDoNotFire_theFifthFiresOnceWithItsWindow() {
    try (AlertStateHarness h =
        new AlertStateHarness(dir, T0, StateRules.of(rule("login", threshold(5, FIVE_MIN))))) {
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        ids.add(h.observe("login", JDOE, T0.plus(Duration.ofMinutes(i))));
      }
      assertThat(h.firings).isEmpty();

      ids.add(h.observe("login", JDOE, T0.plus(Duration.ofMinutes(4))));

      assertThat(h.firings).hasSize(1);
      Firing f = h.firings.getFirst();
      assertThat(f.ruleId()).isEqualTo("login");
      assertThat(f.group()).isEqualTo(JDOE);
      assertThat(f.firedAt()).isEqualTo(T0.plus(Duration.ofMinutes(4)));
      assertThat(f.windowStart()).isEqualTo(T0);
      assertThat(f.windowEnd()).isEqualTo(T0.plus(FIVE_MIN));
      assertThat(f.late()).isFalse();
      assertThat(f.eventCount()).isEqualTo(5);
      assertThat(f.events()).containsExactlyElementsOf(ids);
      assertThat(f.agents()).containsExactly(new Alert.Party(null, "urn:oid:1.2", JDOE, null));
      assertThat(f.summary()).isEqualTo("5 events within PT5M for group " + JDOE);
    }
  }

  @Test
  void threshold_spanIsInclusive_oneMillisecondMoreIsANearMiss() {
    try (AlertStateHarness h =
        new AlertStateHarness(dir, T0, StateRules.of(rule("login", threshold(5, FIVE_MIN))))) {
      for (int i = 0; i < 4; i++) {
        h.observe("login", "a", T0.plus(Duration.ofMinutes(i)));
        h.observe("login", "b", T0.plus(Duration.ofMinutes(i)));
      }
      h.observe("login", "a", T0.plus(FIVE_MIN).plusMillis(1));
      assertThat(h.firings).as("a: the fifth is 1 ms outside the first's window").isEmpty();

      h.observe("login", "b", T0.plus(FIVE_MIN));
      assertThat(h.firings).extracting(Firing::group).containsExactly("b");
    }
  }

  @Test
  void threshold_tenFastFailuresFireOnce_twoBurstsInTwoWindowsFireTwice() {
    try (AlertStateHarness h =
        new AlertStateHarness(dir, T0, StateRules.of(rule("login", threshold(5, FIVE_MIN))))) {
      for (int i = 0; i < 10; i++) {
        h.observe("login", "fast", T0.plusSeconds(10 * i));
      }
      assertThat(h.firings).hasSize(1);
      assertThat(h.firings.getFirst().eventCount()).isEqualTo(5);

      for (int i = 0; i < 5; i++) {
        h.observe("login", "slow", T0.plus(Duration.ofMinutes(i)));
      }
      for (int i = 0; i < 5; i++) {
        h.observe("login", "slow", T0.plus(Duration.ofMinutes(6 + i)));
      }
      assertThat(h.firings.stream().filter(f -> f.group().equals("slow")))
          .extracting(Firing::windowStart)
          .containsExactly(T0, T0.plus(Duration.ofMinutes(6)));
    }
  }

  @Test
  void distinct_fiftyDistinctPatientsDoNotFire_theFiftyFirstDoes() {
    Duration hour = Duration.ofHours(1);
    try (AlertStateHarness h =
        new AlertStateHarness(dir, T0, StateRules.of(rule("browse", distinct(51, hour))))) {
      for (int i = 0; i < 50; i++) {
        h.observe("browse", JDOE, T0.plusSeconds(60 * i), List.of("p" + i), List.of());
        h.observe("browse", JDOE, T0.plusSeconds(60 * i + 1), List.of("p" + i), List.of());
      }
      assertThat(h.firings).as("100 accesses, 50 distinct patients").isEmpty();

      h.observe("browse", JDOE, T0.plus(Duration.ofMinutes(59)), List.of("p50"), List.of());

      assertThat(h.firings).hasSize(1);
      Firing f = h.firings.getFirst();
      assertThat(f.summary()).isEqualTo("51 distinct patient within PT1H for group " + JDOE);
      assertThat(f.patients()).hasSize(51);
      assertThat(f.windowStart()).as("p0's latest access").isEqualTo(T0.plusSeconds(1));
    }
  }

  @Test
  void distinct_valuesOutsideOneWindowDoNotAddUp() {
    Duration hour = Duration.ofHours(1);
    try (AlertStateHarness h =
        new AlertStateHarness(dir, T0, StateRules.of(rule("browse", distinct(3, hour))))) {
      h.observe("browse", JDOE, T0, List.of("p1"), List.of());
      h.observe("browse", JDOE, T0.plus(Duration.ofMinutes(50)), List.of("p2"), List.of());
      h.observe("browse", JDOE, T0.plus(Duration.ofMinutes(61)), List.of("p3"), List.of());
      assertThat(h.firings).isEmpty();
      h.observe("browse", JDOE, T0.plus(Duration.ofMinutes(62)), List.of("p1"), List.of());
      assertThat(h.firings).hasSize(1);
    }
  }

  @Test
  void sequence_fiveFailuresThenSuccessFires_successFirstDoesNot() {
    try (AlertStateHarness h =
        new AlertStateHarness(dir, T0, StateRules.of(rule("brute", sequence(FIVE_MIN, 5, 1))))) {
      h.observe("brute", "first-success", T0, List.of(), List.of(1));
      for (int i = 1; i <= 5; i++) {
        h.observe("brute", "first-success", T0.plusSeconds(20 * i), List.of(), List.of(0));
      }
      assertThat(h.firings).as("success, then failures").isEmpty();

      for (int i = 0; i < 4; i++) {
        h.observe("brute", "four", T0.plusSeconds(20 * i), List.of(), List.of(0));
      }
      h.observe("brute", "four", T0.plus(Duration.ofMinutes(2)), List.of(), List.of(1));
      assertThat(h.firings).as("4 failures, then success").isEmpty();

      for (int i = 0; i < 7; i++) {
        h.observe("brute", JDOE, T0.plusSeconds(20 * i), List.of(), List.of(0));
      }
      String success =
          h.observe("brute", JDOE, T0.plus(Duration.ofMinutes(3)), List.of(), List.of(1));
      assertThat(h.firings).hasSize(1);
      Firing f = h.firings.getFirst();
      assertThat(f.group()).isEqualTo(JDOE);
      assertThat(f.eventCount()).isEqualTo(6);
      assertThat(f.events()).endsWith(success);
      assertThat(f.summary())
          .isEqualTo("sequence of 5 then 1 events within PT5M for group " + JDOE);

      h.observe("brute", JDOE, T0.plus(Duration.ofMinutes(4)), List.of(), List.of(1));
      assertThat(h.firings).as("a second success in the fired window").hasSize(1);
    }
  }

  @Test
  void sequence_successAfterTheWindowOfTheFirstFailureDoesNotFire() {
    try (AlertStateHarness h =
        new AlertStateHarness(dir, T0, StateRules.of(rule("brute", sequence(FIVE_MIN, 5, 1))))) {
      for (int i = 0; i < 5; i++) {
        h.observe("brute", JDOE, T0.plus(Duration.ofMinutes(i)), List.of(), List.of(0));
      }
      h.observe("brute", JDOE, T0.plus(FIVE_MIN).plusSeconds(1), List.of(), List.of(1));
      assertThat(h.firings).isEmpty();
    }
  }
}
