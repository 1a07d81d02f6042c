package org.atnabridge.store.indexer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.atnabridge.store.indexer.FaultTests.*;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.atnabridge.kafka.embedded.EmbeddedKafkaBroker;
import org.atnabridge.store.AuditStore;
import org.atnabridge.store.AuditStores;
import org.atnabridge.testing.KafkaBrokerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a JVM indexing into Lucene, mid-load: the index reopens at its last commit, every
 * event below the committed offset is in it, and a new indexer on the same group completes the
 * topic with no loss and no duplicate.
 */
@ExtendWith(KafkaBrokerExtension.class)
class LuceneKillIT {

  private static final int N = 8_000;

  @Test
  void killMinus9MidLoad_reopenAndResume_noLossNoDuplicates(
      EmbeddedKafkaBroker kafka, @TempDir Path dir) throws Exception {
    String topic = "lucene-kill";
    String group = "kill-group";
    KafkaBrokerExtension.createTopics(kafka, 1, topic, "audit.dlq");
    produce(kafka.bootstrapServers(), topic, 0, N);

    Path index = dir.resolve("index");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child =
        new ProcessBuilder(
                List.of(
                    java,
                    "-Xmx256m",
                    "-cp",
                    System.getProperty("java.class.path"),
                    LuceneIndexerProcess.class.getName(),
                    kafka.bootstrapServers(),
                    topic,
                    group,
                    index.toString()))
            .redirectErrorStream(true)
            .redirectOutput(new File("target/lucene-kill-child.log"))
            .start();
    long killedAt;
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(20))
          .until(
              () -> committed(kafka.bootstrapServers(), group, topic) >= 1_500 || !child.isAlive());
      assertThat(child.isAlive())
          .as("child indexer alive; see target/lucene-kill-child.log")
          .isTrue();
      child.destroyForcibly(); // SIGKILL: no shutdown hook, no Lucene close, no final commit
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      killedAt = committed(kafka.bootstrapServers(), group, topic);
    } finally {
      child.destroyForcibly();
    }
    assertThat(killedAt).as("killed mid-load").isBetween(1_500L, (long) N - 1);

    try (AuditStore store = AuditStores.lucene(index)) {
      // no loss: everything acknowledged to Kafka survived the crash
      assertThat(storedIds(store)).containsAll(ids(0, (int) killedAt));

      try (AuditIndexer again =
          new AuditIndexer(
                  Map.of(
                      ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                      kafka.bootstrapServers(),
                      ConsumerConfig.GROUP_ID_CONFIG,
                      group),
                  topic,
                  store,
                  null,
                  Duration.ofSeconds(1),
                  Duration.ofMillis(100),
                  "audit.dlq")
              .start()) {
        await()
            .atMost(Duration.ofSeconds(90))
            .until(() -> committed(kafka.bootstrapServers(), group, topic) == N);
      }
      // no loss, no duplicate (storedIds fails on a duplicate)
      assertThat(storedIds(store)).isEqualTo(ids(0, N));
      assertThat(
              store
                  .search()
                  .search(org.atnabridge.store.AuditQuery.builder().limit(0).build())
                  .total())
          .isEqualTo(N);
    }
  }
}
