package org.atnabridge.store.indexer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.atnabridge.store.indexer.FaultTests.*;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.atnabridge.kafka.embedded.EmbeddedKafkaBroker;
import org.atnabridge.store.AuditQuery;
import org.atnabridge.store.elasticsearch.ElasticsearchAuditStore;
import org.atnabridge.testing.ElasticsearchExtension;
import org.atnabridge.testing.KafkaBrokerExtension;
import org.atnabridge.testing.RestartableElasticsearchNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A real Elasticsearch node stopped mid-load and started again: the indexer pauses, commits nothing
 * while it is down, resumes when it is back, and the store ends with every event once. Uses a
 * dedicated node (not the shared fixture) because it stops it.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ElasticsearchOutageIT {

  private static final Duration START = Duration.ofSeconds(180);

  @Test
  void elasticsearchStoppedMidLoad_pausesCommitsNothing_resumesWithoutLossOrDuplicates(
      EmbeddedKafkaBroker kafka) throws Exception {
    String topic = "es-outage";
    String group = "es-outage-group";
    String bootstrap = kafka.bootstrapServers();
    KafkaBrokerExtension.createTopics(kafka, 1, topic, "audit.dlq");
    produce(bootstrap, topic, 0, 3_000);

    try (RestartableElasticsearchNode es = ElasticsearchExtension.startDedicated(START);
        ElasticsearchAuditStore store =
            ElasticsearchAuditStore.builder(es.url())
                .index("audit-outage")
                .waitForRefresh(false)
                .retries(2, Duration.ofMillis(50))
                .build();
        AuditIndexer indexer =
            new AuditIndexer(
                Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    bootstrap,
                    ConsumerConfig.GROUP_ID_CONFIG,
                    group,
                    ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                    300),
                topic,
                store,
                null,
                Duration.ofSeconds(1),
                Duration.ofMillis(200),
                "audit.dlq")) {
      indexer.start();
      await().atMost(Duration.ofSeconds(60)).until(() -> committed(bootstrap, group, topic) >= 600);

      es.stop();
      produce(bootstrap, topic, 3_000, 6_000); // keeps arriving during the outage
      await().atMost(Duration.ofSeconds(60)).until(indexer::isPaused);
      assertThat(indexer.check().ok()).isFalse();
      long whileDown = committed(bootstrap, group, topic);
      Thread.sleep(2_000);
      assertThat(committed(bootstrap, group, topic))
          .as("commits nothing while down")
          .isEqualTo(whileDown);
      assertThat(whileDown).isLessThan(6_000);

      es.restart(START);
      await()
          .atMost(Duration.ofSeconds(120))
          .until(() -> committed(bootstrap, group, topic) == 6_000);
      assertThat(indexer.check().ok()).isTrue();
      store.refresh();
      assertThat(store.search().search(AuditQuery.builder().limit(0).build()).total())
          .isEqualTo(6_000);
      assertThat(storedIds(store)).isEqualTo(ids(0, 6_000));
      assertThat(indexer.writeFailureCount()).isPositive();
    }
  }
}
