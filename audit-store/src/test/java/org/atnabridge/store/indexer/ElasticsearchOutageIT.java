package org.atnabridge.store.indexer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.atnabridge.store.indexer.FaultTests.*;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.atnabridge.kafka.embedded.EmbeddedKafkaBroker;
import org.atnabridge.store.AuditQuery;
import org.atnabridge.store.AuditStore;
import org.atnabridge.store.StoreUnavailableException;
import org.atnabridge.store.elasticsearch.ElasticsearchAuditStore;
import org.atnabridge.testing.ElasticsearchExtension;
import org.atnabridge.testing.KafkaBrokerExtension;
import org.atnabridge.testing.RestartableElasticsearchNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

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
            indexer(bootstrap, group, topic, store, Duration.ofSeconds(1), "audit.dlq")) {
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

  /**
   * The outage as an operator lives it, with the indexer's defaults (pause at most 5 s, the store's
   * health asked every second while paused): every event searchable once after the node is back,
   * three log lines for the outage (start, end, backlog drained), and searches during it failing as
   * unavailable with one WARN line, however many were tried. Prints the time from the node being
   * healthy again to the last event searchable: a measurement, not an assertion.
   */
  @Test
  void elasticsearchStoppedMidLoad_defaults_resumeSoonAfterRecovery_logTheOutageOnce(
      EmbeddedKafkaBroker kafka) throws Exception {
    String topic = "es-outage-defaults";
    String group = "es-outage-defaults-group";
    String bootstrap = kafka.bootstrapServers();
    KafkaBrokerExtension.createTopics(kafka, 1, topic, "audit.dlq.defaults");
    produce(bootstrap, topic, 0, 2_000);
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    Logger indexerLog = (Logger) LoggerFactory.getLogger(AuditIndexer.class);
    Logger storeLog = (Logger) LoggerFactory.getLogger(ElasticsearchAuditStore.class);
    indexerLog.addAppender(lines);
    storeLog.addAppender(lines);

    try (RestartableElasticsearchNode es = ElasticsearchExtension.startDedicated(START);
        ElasticsearchAuditStore store =
            ElasticsearchAuditStore.builder(es.url())
                .index("audit-outage-defaults")
                .waitForRefresh(false)
                .retries(2, Duration.ofMillis(50))
                .build()
                .start();
        AuditIndexer indexer =
            indexer(
                bootstrap,
                group,
                topic,
                store,
                Duration.ofSeconds(AuditIndexer.DEFAULT_MAX_BACKOFF_SECONDS),
                "audit.dlq.defaults")) {
      indexer.start();
      await().atMost(Duration.ofSeconds(60)).until(() -> committed(bootstrap, group, topic) >= 600);

      es.stop();
      produce(bootstrap, topic, 2_000, 5_000);
      await().atMost(Duration.ofSeconds(60)).until(indexer::isPaused);
      for (int i = 0; i < 5; i++) {
        assertThatThrownBy(() -> store.search().search(AuditQuery.builder().build()))
            .isInstanceOf(StoreUnavailableException.class);
      }
      Thread.sleep(12_000); // several capped pauses: the backoff reaches its 5 s ceiling

      es.restart(START);
      long healthy = System.nanoTime();
      await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                try {
                  store.refresh();
                  return store.search().search(AuditQuery.builder().limit(0).build()).total()
                      == 5_000;
                } catch (RuntimeException stillStarting) {
                  return false;
                }
              });
      long searchableMs = (System.nanoTime() - healthy) / 1_000_000;
      System.out.printf(
          "time-to-searchable after the node was healthy again: %d ms (5,000 events, max pause"
              + " %d s)%n",
          searchableMs, AuditIndexer.DEFAULT_MAX_BACKOFF_SECONDS);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> committed(bootstrap, group, topic) == 5_000);
      assertThat(storedIds(store)).isEqualTo(ids(0, 5_000));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> messages(lines, Level.INFO, "caught up").size() == 1);

      assertThat(messages(lines, Level.WARN, "indexing from " + topic + " stopped")).hasSize(1);
      assertThat(messages(lines, Level.INFO, "indexing from " + topic + " resumed")).hasSize(1);
      assertThat(messages(lines, Level.INFO, "caught up").get(0)).contains("backlog of");
      assertThat(messages(lines, Level.WARN, "searches answer 503")).hasSize(1);
      assertThat(messages(lines, Level.INFO, "answers searches again"))
          .singleElement()
          .asString()
          .contains("reads failed meanwhile");
      assertThat(lines.list)
          .as("no stack trace in the outage's lines")
          .allSatisfy(
              e ->
                  assertThat(
                          e.getLevel().isGreaterOrEqual(Level.WARN)
                              && e.getThrowableProxy() != null)
                      .isFalse());
    } finally {
      indexerLog.detachAppender(lines);
      storeLog.detachAppender(lines);
    }
  }

  private static List<String> messages(
      ListAppender<ILoggingEvent> lines, Level level, String part) {
    synchronized (lines.list) {
      return lines.list.stream()
          .filter(e -> e.getLevel() == level)
          .map(ILoggingEvent::getFormattedMessage)
          .filter(m -> m.contains(part))
          .toList();
    }
  }

  /**
   * An indexer of {@code topic} polling 300 records at a time, waiting at most {@code maxBackoff}
   * between retries of a failing store.
   */
  private static AuditIndexer indexer(
      String bootstrap,
      String group,
      String topic,
      AuditStore store,
      Duration maxBackoff,
      String deadLetters) {
    return new AuditIndexer(
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
        maxBackoff,
        Duration.ofMillis(200),
        deadLetters);
  }
}
