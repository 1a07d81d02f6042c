package org.atnabridge.allinone;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.atnabridge.testing.ElasticsearchExtension;
import org.atnabridge.testing.ElasticsearchNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults of the services: with two streams instances and two indexers sharing the work, one of them
 * is killed with SIGKILL in the middle of a syslog load (TCP, and mutual TLS after the kill, both
 * through the balancer). The other takes its partitions over (streams from its exactly-once
 * transactions, the indexer from the last committed offsets), and the count holds ({@link
 * FaultRig}: every message once, chain intact, no dead letter).
 */
@ExtendWith(ElasticsearchExtension.class)
class ServiceFaultIT {

  private static final int MESSAGES = 3_000;
  private static final int TLS_MESSAGES = 300;

  @TempDir Path dir;

  @Test
  void oneOfTwoStreamsInstancesKilled_itsPartitionsMove_exactlyOnceHolds(ElasticsearchNode es)
      throws Exception {
    try (FaultRig rig = FaultRig.start(dir, es.url(), 2, 1)) {
      Process loggen = rig.send(MESSAGES, 300);
      Thread.sleep(4_000);
      assertThat(loggen.isAlive()).as("loggen still sending when streams dies").isTrue();
      rig.streams.get(1).kill();
      rig.sendTls(MESSAGES, TLS_MESSAGES); // mutual TLS through the balancer, during the fault
      rig.awaitSent(loggen, MESSAGES);
      rig.assertEveryMessageOnce(MESSAGES + TLS_MESSAGES);
    }
  }

  @Test
  void oneOfTwoIndexersKilled_theOtherTakesOverFromTheCommittedOffsets(ElasticsearchNode es)
      throws Exception {
    try (FaultRig rig = FaultRig.start(dir, es.url(), 1, 2)) {
      Process loggen = rig.send(MESSAGES, 300);
      Thread.sleep(4_000);
      assertThat(loggen.isAlive()).as("loggen still sending when the indexer dies").isTrue();
      rig.indexers.get(0).kill();
      rig.sendTls(MESSAGES, TLS_MESSAGES); // mutual TLS through the balancer, during the fault
      rig.awaitSent(loggen, MESSAGES);
      rig.assertEveryMessageOnce(MESSAGES + TLS_MESSAGES);
    }
  }
}
