package org.atnabridge.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * One tiny run of {@link AlertLatencyBench} (20 messages/s for 2 s on a whole all-in-one, after 1 s
 * of warm-up messages, the default pack enabled, one message in 4 alerting): every alerting message
 * came back as one webhook call naming its patient, and no other did; the warm-up's alerts are not
 * counted; each measured alert was split at {@code audit.enriched} and {@code audit.alerts}.
 * Asserts that it measured, never how fast.
 */
class AlertLatencyBenchSmokeIT {

  @Test
  void smallRun_everyAlertingMessageReachesTheWebhook_andNoOther() throws Exception {
    AlertLatencyBench.Result r = AlertLatencyBench.run(20, 2, 120, 4, true, 1);

    assertThat(r.sent()).isEqualTo(40);
    assertThat(r.expected()).isEqualTo(10);
    assertThat(r.received()).isEqualTo(10);
    assertThat(r.ms()).hasSize(10).allSatisfy(ms -> assertThat(ms).isPositive());
    assertThat(r.toEnrichedMs()).hasSize(10);
    assertThat(r.detectedToCommittedMs()).hasSize(10);
  }
}
