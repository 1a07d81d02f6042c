package org.atnabridge.store.indexer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.atnabridge.store.lucene.LuceneAuditStore;

/**
 * The indexer over a Lucene store in a JVM of its own, for {@link LuceneKillIT} to kill with
 * SIGKILL. The store's own commit schedule is an hour, so what is durable is exactly what the
 * indexer flushed before committing offsets. Args: bootstrap, topic, group, index dir.
 */
public final class LuceneIndexerProcess {

  private LuceneIndexerProcess() {}

  public static void main(String[] args) throws Exception {
    LuceneAuditStore store =
        LuceneAuditStore.builder(Path.of(args[3])).commitInterval(Duration.ofHours(1)).build();
    AuditIndexer indexer =
        new AuditIndexer(
                Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    args[0],
                    ConsumerConfig.GROUP_ID_CONFIG,
                    args[2],
                    ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                    200),
                args[1],
                store,
                null,
                Duration.ofSeconds(1),
                Duration.ofMillis(100),
                "audit.dlq")
            .start();
    System.out.println("INDEXER-STARTED");
    Thread.sleep(Long.MAX_VALUE); // until killed
    indexer.close();
  }
}
