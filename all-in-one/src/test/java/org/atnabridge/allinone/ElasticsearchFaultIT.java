package org.atnabridge.allinone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.atnabridge.testing.ElasticsearchCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault: one of three Elasticsearch nodes, the one holding the primary shard of the index events
 * are written to, killed with SIGKILL in the middle of a TCP syslog load. The services are given
 * every node ({@code --elasticsearch-url} with three URLs), the store's default auto-expanding
 * replica (0-1) puts a copy of the shard on a second node, which becomes primary; the node is then
 * started again, and the count holds ({@link FaultRig}: every message once, chain intact, no dead
 * letter).
 */
class ElasticsearchFaultIT {

  private static final int MESSAGES = 3_000;
  private static final String EVENT_INDICES = "fault-*"; // FaultRig's alias is fault-<uuid>

  @TempDir Path dir;

  @Test
  void nodeHoldingThePrimaryKilledDuringTcpLoad_everyMessageOnce_chainIntact_noDeadLetter()
      throws Exception {
    try (ElasticsearchCluster es = ElasticsearchCluster.start(Duration.ofMinutes(5));
        FaultRig rig = FaultRig.start(dir, es.urls(), 2, 2)) {
      // the services installed the write index at start; without a started replica of it on
      // another node, killing the primary's node would lose data, so the store's default must
      // give one on three nodes
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .untilAsserted(
              () -> {
                List<JsonNode> shards = es.shards(EVENT_INDICES);
                assertThat(shards).as(shards.toString()).hasSize(2);
                assertThat(shards)
                    .as(shards.toString())
                    .allMatch(s -> "STARTED".equals(s.path("state").asText()))
                    .anyMatch(s -> "p".equals(s.path("prirep").asText()))
                    .anyMatch(s -> "r".equals(s.path("prirep").asText()));
              });

      Process loggen = rig.send(MESSAGES, 300);
      Thread.sleep(4_000);
      assertThat(loggen.isAlive()).as("loggen still sending when the node dies").isTrue();
      String primary = es.nodeHoldingPrimary(EVENT_INDICES);
      es.kill(primary);
      System.out.printf("ElasticsearchFaultIT: killed %s, which held the primary%n", primary);
      rig.awaitSent(loggen, MESSAGES);
      assertThat(es.nodeHoldingPrimary(EVENT_INDICES))
          .as("the replica on another node became primary")
          .isNotEqualTo(primary);
      es.restart(primary, Duration.ofMinutes(3));
      rig.assertEveryMessageOnce(MESSAGES);
    }
  }
}
