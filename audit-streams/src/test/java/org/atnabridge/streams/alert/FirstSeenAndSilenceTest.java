package org.atnabridge.streams.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.atnabridge.streams.alert.StateRules.firstSeen;
import static org.atnabridge.streams.alert.StateRules.rule;
import static org.atnabridge.streams.alert.StateRules.silence;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** First-seen fires once per new tuple and again after the look-back; silence once per silence. */
class FirstSeenAndSilenceTest {

  static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  static final String PAIR_1 = "urn:oid:1.2|jdoe" + Observation.TUPLE_SEPARATOR + "Patient/1";
  static final String PAIR_2 = "urn:oid:1.2|jdoe" + Observation.TUPLE_SEPARATOR + "Patient/2";

  @TempDir Path dir;

  @Test
  void firstSeen_firesOncePerNewTuple_andAgainAfterTheLookBack() {
    Duration lookBack = Duration.ofDays(90);
    try (AlertStateHarness h =
        new AlertStateHarness(dir, T0, StateRules.of(rule("pair", firstSeen(lookBack))))) {
      h.observe("pair", "", T0, List.of(PAIR_1), List.of());
      assertThat(h.firings).as("the very first tuple fires").hasSize(1);
      assertThat(h.firings.getFirst().summary())
          .isEqualTo("first urn:oid:1.2|jdoe/Patient/1 within P90D");

      h.observe("pair", "", T0.plus(Duration.ofDays(1)), List.of(PAIR_1), List.of());
      h.observe("pair", "", T0.plus(Duration.ofDays(1)), List.of(PAIR_2, PAIR_1), List.of());
      assertThat(h.firings).hasSize(2);

      h.observe("pair", "", T0.plus(Duration.ofDays(91)), List.of(PAIR_1), List.of());
      assertThat(h.firings).as("seen on day 1, within 90 days").hasSize(2);

      h.observe("pair", "", T0.plus(Duration.ofDays(182)), List.of(PAIR_1), List.of());
      assertThat(h.firings).as("not seen for 91 days").hasSize(3);
      assertThat(h.firings.get(2).windowStart())
          .isEqualTo(T0.plus(Duration.ofDays(182)).minus(lookBack));
    }
  }

  @Test
  void firstSeen_tuplesExpireAfterTheLookBack_soTheStoreStaysBounded() {
    Duration lookBack = Duration.ofDays(1);
    try (AlertStateHarness h =
        new AlertStateHarness(dir, T0, StateRules.of(rule("pair", firstSeen(lookBack))))) {
      h.observe("pair", "", T0, List.of(PAIR_1, PAIR_2), List.of());
      assertThat(count(h, AlertStateStores.FIRST_SEEN)).isEqualTo(2);
      h.advance(Duration.ofHours(23));
      assertThat(count(h, AlertStateStores.FIRST_SEEN)).isEqualTo(2);
      h.advance(Duration.ofHours(2));
      assertThat(count(h, AlertStateStores.FIRST_SEEN)).isZero();
    }
  }

  @Test
  void silence_firesAfterTheWallClockPassesAfter_once_andAgainOnlyAfterBeingHeardFrom() {
    Duration after = Duration.ofMinutes(15);
    try (AlertStateHarness h =
        new AlertStateHarness(dir, T0, StateRules.of(rule("quiet", silence(after))))) {
      h.observe("quiet", "node-a", T0);
      h.observe("quiet", "node-b", T0);
      h.advance(Duration.ofMinutes(10));
      h.observe("quiet", "node-b", T0.plus(Duration.ofMinutes(10)));
      h.advance(Duration.ofMinutes(5));
      assertThat(h.firings).as("exactly 15 min is not yet longer than 15 min").isEmpty();

      h.advance(Duration.ofSeconds(10));
      assertThat(h.firings).hasSize(1);
      Firing f = h.firings.getFirst();
      assertThat(f.group()).isEqualTo("node-a");
      assertThat(f.windowStart()).isEqualTo(T0);
      assertThat(f.firedAt()).isEqualTo(T0.plus(after));
      assertThat(f.summary())
          .isEqualTo("silent since 2026-12-01T10:00:00Z (longer than PT15M) for group node-a");

      h.advance(Duration.ofMinutes(30));
      assertThat(h.firings).extracting(Firing::group).containsExactly("node-a", "node-b");

      h.observe("quiet", "node-a", T0.plus(Duration.ofMinutes(45)));
      h.advance(Duration.ofMinutes(10));
      assertThat(h.firings).hasSize(2);
      h.advance(Duration.ofMinutes(10));
      assertThat(h.firings).extracting(Firing::group).containsExactly("node-a", "node-b", "node-a");
    }
  }

  static long count(AlertStateHarness h, String store) {
    long n = 0;
    try (var it = h.store(store).all()) {
      while (it.hasNext()) {
        it.next();
        n++;
      }
    }
    return n;
  }
}
