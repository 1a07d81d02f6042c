package org.atnabridge.allinone;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.atnabridge.testing.ElasticsearchExtension;
import org.atnabridge.testing.ElasticsearchNode;
import org.hl7.fhir.r5.model.Bundle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault: an api instance restarted while a client walks the pages of a search through the HTTP
 * balancer ({@link FaultRig}). Paging is stateless (the {@code next} link carries the cursor, see
 * search-api's CursorPages), so the instance that answers a page need not be the one that answered
 * the one before: each event is seen exactly once over the whole walk.
 */
@ExtendWith(ElasticsearchExtension.class)
class ApiRestartFaultIT {

  private static final int MESSAGES = 2_000;
  private static final int TLS_MESSAGES = 200;
  private static final int PAGE = 50;

  @TempDir Path dir;

  @Test
  void apiInstancesKilledAndRestartedMidWalk_eachEventSeenOnce(ElasticsearchNode es)
      throws Exception {
    int total = MESSAGES + TLS_MESSAGES;
    try (FaultRig rig = FaultRig.start(dir, es.url(), 2, 2)) {
      Process loggen = rig.send(MESSAGES, 500);
      rig.sendTls(MESSAGES, TLS_MESSAGES);
      rig.awaitSent(loggen, MESSAGES);
      rig.assertEveryMessageOnce(total); // stored before the walk starts

      String token = rig.token();
      Map<String, Integer> seen = new HashMap<>();
      String next = rig.fhir() + "/AuditEvent?date=lt2021-01-01&_count=" + PAGE;
      int pages = 0;
      CompletableFuture<Void> firstBack = CompletableFuture.completedFuture(null);
      while (next != null) {
        Bundle page = rig.page(next, token);
        FaultRig.countPatients(page, seen);
        pages++;
        next = FaultRig.nextLink(page);
        assertThat(next == null || next.startsWith(rig.fhir()))
            .as("next link %s names the balancer", next)
            .isTrue();
        if (pages == 10) {
          // api-1 dies mid-walk; the balancer sends the next pages to api-2 while api-1 restarts
          rig.killApi(0);
          firstBack =
              CompletableFuture.runAsync(
                  () -> {
                    try {
                      rig.startApiAgain(0);
                    } catch (Exception e) {
                      throw new IllegalStateException(e);
                    }
                  });
        } else if (pages == 20) {
          // once api-1 is back, api-2 dies: the rest of the walk is served by the restarted api-1
          firstBack.join();
          rig.killApi(1);
        }
      }
      assertThat(pages).as("pages walked").isEqualTo((total + PAGE - 1) / PAGE);
      assertThat(seen).as("every event seen in the walk").hasSize(total);
      assertThat(seen.values()).as("each event seen once").containsOnly(1);
      String restarted = Files.readString(dir.resolve("api-1-restart-1.log"));
      assertThat(restarted).contains(ServeProcess.READY);

      rig.startApiAgain(1);
      rig.assertEveryMessageOnce(total);
    }
  }
}
