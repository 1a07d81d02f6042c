package org.atnabridge.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.atnabridge.schemas.vocab.CodeSystems;
import org.hl7.fhir.r5.model.AuditEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduler applies the policy to a real Lucene store: old events go, held and recent ones
 * stay.
 */
class RetentionSchedulerTest {

  private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

  @Test
  void scheduledRuns_deleteExpiredEvents_keepLegalHoldAndRecent(@TempDir Path dir) {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    try (AuditStore store = AuditStores.lucene(dir)) {
      AuditEvent held = TestEvents.event("old-held", NOW.minus(Duration.ofDays(400)));
      held.getMeta().addTag(CodeSystems.RETENTION, CodeSystems.LEGAL_HOLD, null);
      store
          .writer()
          .write(
              List.of(
                  TestEvents.event("old", NOW.minus(Duration.ofDays(400))),
                  held,
                  TestEvents.event("recent", NOW.minus(Duration.ofDays(10)))));

      try (RetentionScheduler scheduler =
          new RetentionScheduler(
                  store,
                  RetentionPolicy.maxAge(Duration.ofDays(365)),
                  Duration.ofSeconds(1),
                  Clock.fixed(NOW, ZoneOffset.UTC),
                  meters)
              .start()) {
        await().atMost(Duration.ofSeconds(30)).until(() -> scheduler.runs() >= 2);
        assertThat(scheduler.deleted()).isEqualTo(1);
        assertThat(scheduler.failures()).isZero();
      }

      assertThat(store.search().read("old")).isEmpty();
      assertThat(store.search().read("old-held")).isPresent();
      assertThat(store.search().read("recent")).isPresent();
      assertThat(meters.get("audit.retention.deleted").counter().count()).isEqualTo(1.0);
    }
  }

  @Test
  void aFailingRun_isCountedAndTheScheduleGoesOn(@TempDir Path dir) {
    AuditStore store = AuditStores.lucene(dir);
    store.close(); // every run fails: the store is closed
    try (RetentionScheduler scheduler =
        new RetentionScheduler(
                store,
                RetentionPolicy.maxAge(Duration.ofDays(1)),
                Duration.ofSeconds(1),
                Clock.systemUTC(),
                null)
            .start()) {
      await().atMost(Duration.ofSeconds(30)).until(() -> scheduler.failures() >= 2);
    }
  }

  @Test
  void offPolicyOrTooShortInterval_isRefused(@TempDir Path dir) {
    try (AuditStore store = AuditStores.lucene(dir)) {
      assertThatThrownBy(
              () ->
                  new RetentionScheduler(
                      store, RetentionPolicy.OFF, Duration.ofHours(1), Clock.systemUTC(), null))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("off");
      assertThatThrownBy(
              () ->
                  new RetentionScheduler(
                      store,
                      RetentionPolicy.maxAge(Duration.ofDays(1)),
                      Duration.ofMillis(10),
                      Clock.systemUTC(),
                      null))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("checkInterval");
    }
  }
}
