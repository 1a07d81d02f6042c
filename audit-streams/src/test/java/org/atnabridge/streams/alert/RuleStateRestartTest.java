package org.atnabridge.streams.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.atnabridge.streams.alert.StateRules.rule;
import static org.atnabridge.streams.alert.StateRules.silence;
import static org.atnabridge.streams.alert.StateRules.threshold;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restart in the middle of a window, on the state the last commit left: nothing lost (the events
 * before the restart still count) and nothing repeated (a fired window, a fired silence and the
 * watermark are remembered).
 */
class RuleStateRestartTest {

  static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  @TempDir Path dir;

  @Test
  void restartMidWindow_firesOnce_withTheEventsFromBeforeTheRestart() {
    try (AlertStateHarness h =
        new AlertStateHarness(
            dir,
            T0,
            StateRules.of(
                rule("login", threshold(5, Duration.ofMinutes(5))),
                rule("quiet", silence(Duration.ofMinutes(15)))))) {
      h.observe("quiet", "node-a", T0);
      for (int i = 0; i < 3; i++) {
        h.observe("login", "jdoe", T0.plus(Duration.ofMinutes(i)));
      }
      h.restart();
      h.observe("login", "jdoe", T0.plus(Duration.ofMinutes(3)));
      h.observe("login", "jdoe", T0.plus(Duration.ofMinutes(4)));
      assertThat(h.firings).hasSize(1);
      assertThat(h.firings.getFirst().eventCount()).isEqualTo(5);

      h.restart();
      h.observe("login", "jdoe", T0.plusSeconds(270));
      h.advance(Duration.ofMinutes(16));
      assertThat(h.firings).extracting(Firing::ruleId).containsExactly("login", "quiet");

      h.restart();
      h.advance(Duration.ofMinutes(16));
      assertThat(h.firings).as("neither fires again").hasSize(2);
    }
  }

  @Test
  void restart_keepsTheWatermark_soAnEventLateBeforeIsLateAfter() {
    try (AlertStateHarness h =
        new AlertStateHarness(
            dir, T0, StateRules.of(rule("login", threshold(1, Duration.ofMinutes(5)))))) {
      h.observe("login", "a", T0.plus(Duration.ofHours(1)));
      h.restart();
      h.observe("login", "b", T0);
      assertThat(h.firings).extracting(Firing::group).containsExactly("a");
      assertThat(h.counter(AlertStateMeters.LATE, "login")).isEqualTo(1);
    }
  }
}
