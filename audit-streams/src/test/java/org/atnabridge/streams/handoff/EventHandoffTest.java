package org.atnabridge.streams.handoff;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.hl7.fhir.r5.model.AuditEvent;
import org.junit.jupiter.api.Test;

class EventHandoffTest {

  private static final byte[] JSON = "{\"resourceType\":\"AuditEvent\",\"id\":\"a\"}".getBytes(StandardCharsets.UTF_8);

  /** A clock the test moves. */
  private static final class TestClock extends Clock {
    Instant now = Instant.parse("2026-11-27T10:00:00Z");
    @Override public ZoneId getZone() { return ZoneOffset.UTC; }
    @Override public Clock withZone(ZoneId zone) { return this; }
    @Override public Instant instant() { return now; }
  }

  @Test
  void take_sameBytes_returnsTheOfferedObjectOnce() {
    EventHandoff handoff = new EventHandoff(10, Duration.ofSeconds(60), Clock.systemUTC());
    AuditEvent event = new AuditEvent();
    handoff.offer("a", JSON, event);
    assertThat(handoff.take("a", JSON.clone())).isSameAs(event);
    assertThat(handoff.take("a", JSON)).isNull();
  }

  @Test
  void take_otherBytesOrUnknownId_returnsNullAndForgetsTheEntry() {
    EventHandoff handoff = new EventHandoff(10, Duration.ofSeconds(60), Clock.systemUTC());
    handoff.offer("a", JSON, new AuditEvent());
    assertThat(handoff.take("b", JSON)).isNull();
    byte[] altered = JSON.clone();
    altered[altered.length - 3] = 'b';
    assertThat(handoff.take("a", altered)).isNull();
    assertThat(handoff.size()).isZero();
  }

  @Test
  void offer_sameIdTwice_keepsTheSecond() {
    EventHandoff handoff = new EventHandoff(10, Duration.ofSeconds(60), Clock.systemUTC());
    AuditEvent second = new AuditEvent();
    handoff.offer("a", "first".getBytes(StandardCharsets.UTF_8), new AuditEvent());
    handoff.offer("a", JSON, second);
    assertThat(handoff.take("a", JSON)).isSameAs(second);
  }

  @Test
  void offer_full_refusesNewUntilEntriesAreTakenOrStale() {
    TestClock clock = new TestClock();
    EventHandoff handoff = new EventHandoff(2, Duration.ofSeconds(60), clock);
    handoff.offer("a", JSON, new AuditEvent());
    handoff.offer("b", JSON, new AuditEvent());
    handoff.offer("c", JSON, new AuditEvent());
    assertThat(handoff.take("c", JSON)).as("refused: the older ones are what a lagging reader needs next").isNull();
    assertThat(handoff.take("a", JSON)).isNotNull();
    handoff.offer("c", JSON, new AuditEvent());
    assertThat(handoff.size()).isEqualTo(2);

    clock.now = clock.now.plusSeconds(61); // b and c were never taken: aborted, or read elsewhere
    AuditEvent d = new AuditEvent();
    handoff.offer("d", JSON, d);
    assertThat(handoff.size()).isEqualTo(1);
    assertThat(handoff.take("d", JSON)).isSameAs(d);
  }

  @Test
  void disabled_keepsNothing() {
    EventHandoff handoff = EventHandoff.disabled();
    handoff.offer("a", JSON, new AuditEvent());
    assertThat(handoff.take("a", JSON)).isNull();
  }

  @Test
  void defaultCapacity_aSixteenthOfTheMaxHeapWithinBounds() {
    assertThat(EventHandoff.defaultCapacity(1024L * 1024 * 1024)).isEqualTo(4096);
    assertThat(EventHandoff.defaultCapacity(64L * 1024 * 1024)).isEqualTo(1_000);
    assertThat(EventHandoff.defaultCapacity(64L * 1024 * 1024 * 1024)).isEqualTo(20_000);
  }
}
