package org.atnabridge.allinone;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.atnabridge.testing.ElasticsearchExtension;
import org.atnabridge.testing.ElasticsearchNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault: one of three Kafka brokers killed with SIGKILL in the middle of a syslog load (TCP, and
 * mutual TLS during the outage, both through the balancer), then brought back ({@link FaultRig}:
 * every message once, chain intact, no dead letter).
 */
@ExtendWith(ElasticsearchExtension.class)
class BrokerFaultIT {

  private static final int MESSAGES = 3_000;
  private static final int TLS_MESSAGES = 300;

  @TempDir Path dir;

  @Test
  void oneBrokerKilledDuringTcpLoad_everyMessageOnce_chainIntact_noDeadLetter(ElasticsearchNode es)
      throws Exception {
    try (FaultRig rig = FaultRig.start(dir, es.url(), 1, 1)) {
      Process loggen = rig.send(MESSAGES, 300);
      Thread.sleep(3_000);
      assertThat(loggen.isAlive()).as("loggen still sending when the broker dies").isTrue();
      rig.kafka.kill(1);
      rig.sendTls(MESSAGES, TLS_MESSAGES); // mutual TLS through the balancer, during the fault
      rig.awaitSent(loggen, MESSAGES);
      rig.kafka.restart(1, Duration.ofSeconds(120));
      rig.assertEveryMessageOnce(MESSAGES + TLS_MESSAGES);
    }
  }
}
