package org.atnabridge.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * One tiny run of {@link AlertLatencyBench} (20 messages/s for 2 s on a whole all-in-one): every
 * message came back as a webhook call naming its patient. Asserts that it measured, never how fast.
 */
class AlertLatencyBenchSmokeIT {

  @Test
  void smallRun_everyMessageReachesTheWebhook() throws Exception {
    AlertLatencyBench.Result r = AlertLatencyBench.run(20, 2, 120);

    assertThat(r.sent()).isEqualTo(40);
    assertThat(r.received()).isEqualTo(40);
    assertThat(r.ms()).hasSize(40).allSatisfy(ms -> assertThat(ms).isPositive());
  }
}
