package org.atnabridge.streams.alert.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackoffTest {

  private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5));

  @Test
  void ceiling_doublesFromBase_upToCap_withoutOverflow() {
    assertThat(backoff.ceiling(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(backoff.ceiling(2)).isEqualTo(Duration.ofSeconds(2));
    assertThat(backoff.ceiling(5)).isEqualTo(Duration.ofSeconds(16));
    assertThat(backoff.ceiling(9)).isEqualTo(Duration.ofSeconds(256));
    assertThat(backoff.ceiling(10)).isEqualTo(Duration.ofMinutes(5));
    assertThat(backoff.ceiling(10_000)).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void delay_fullJitter_spreadsOverZeroToCeiling() {
    Random random = new Random(17);
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < 2000; i++) {
      Duration d = backoff.delay(4, random);
      assertThat(d).isBetween(Duration.ZERO, Duration.ofSeconds(8));
      seen.add(Math.min(7, d.toMillis() / 1000));
    }
    // full jitter: every second of [0, 8) is drawn, not only values near the ceiling
    assertThat(seen).containsExactlyInAnyOrder(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
  }
}
