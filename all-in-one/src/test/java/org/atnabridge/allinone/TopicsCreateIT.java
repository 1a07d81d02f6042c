package org.atnabridge.allinone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.atnabridge.kafka.embedded.EmbeddedKafkaBroker;
import org.atnabridge.schemas.Topic;
import org.atnabridge.schemas.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code topics create} on a real KRaft broker of its own (no topic yet, broker auto-creation off):
 * every product topic is created with its partitions (the partitioned ones from {@code
 * --partitions}) and configuration; a second run says {@code exists} and exits 0; a topic with
 * other partitions or config is reported and exit 3, {@code --fix-config} sets the config; the data
 * dir's recorded broker is found without {@code --kafka-bootstrap}.
 */
class TopicsCreateIT {

  @TempDir Path dir;

  @Test
  void createsEveryTopicOnce_reportsAndFixesDifferences() throws Exception {
    try (EmbeddedKafkaBroker broker =
            new EmbeddedKafkaBroker(dir.resolve("kafka"), 0, Map.of()).start();
        Admin admin = VerifyKafka.admin(broker.bootstrapServers(), Duration.ofSeconds(30))) {
      String bootstrap = broker.bootstrapServers();
      assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).isEmpty();

      String[] first =
          run(
              "topics",
              "create",
              "--kafka-bootstrap",
              bootstrap,
              "--replication-factor",
              "1",
              "--partitions",
              "4",
              "--min-insync-replicas",
              "1");
      assertThat(first[0]).as(first[1]).isEqualTo("0");
      assertThat(first[1].lines().filter(l -> l.startsWith("created "))).hasSize(Topics.ALL.size());
      // the broker's metadata follows the controller's a moment later
      Map<String, TopicDescription> described =
          await()
              .atMost(Duration.ofSeconds(30))
              .ignoreExceptions()
              .until(
                  () ->
                      admin
                          .describeTopics(Topics.ALL.stream().map(Topic::name).toList())
                          .allTopicNames()
                          .get(30, TimeUnit.SECONDS),
                  m -> m.size() == Topics.ALL.size());
      for (Topic<?, ?> t : Topics.ALL) {
        assertThat(described.get(t.name()).partitions())
            .as(t.name())
            .hasSize(t.partitions() > 1 ? 4 : 1);
      }
      assertThat(config(admin, Topics.ATNA_RAW.name(), "retention.ms"))
          .isEqualTo(Topics.ATNA_RAW.config().get("retention.ms"));
      assertThat(config(admin, Topics.REFERENCE_PEOPLE.name(), "cleanup.policy"))
          .isEqualTo("compact");
      assertThat(config(admin, Topics.AUDIT_DLQ.name(), "min.insync.replicas")).isEqualTo("1");

      String[] again =
          run(
              "topics",
              "create",
              "--kafka-bootstrap",
              bootstrap,
              "--partitions",
              "4",
              "--min-insync-replicas",
              "1");
      assertThat(again[0]).as(again[1]).isEqualTo("0");
      assertThat(again[1].lines().filter(l -> l.startsWith("exists  "))).hasSize(Topics.ALL.size());

      // more partitions asked than the topics have: reported per partitioned topic, never changed
      String[] more = run("topics", "create", "--kafka-bootstrap", bootstrap, "--partitions", "6");
      assertThat(more[0]).as(more[1]).isEqualTo("3");
      assertThat(more[1])
          .contains("DIFFERS atna.raw: has 4 partitions, planned 6")
          .contains("exists  audit.dlq");
      assertThat(
              admin
                  .describeTopics(List.of(Topics.ATNA_RAW.name()))
                  .allTopicNames()
                  .get(30, TimeUnit.SECONDS)
                  .get(Topics.ATNA_RAW.name())
                  .partitions())
          .hasSize(4);

      // someone changed a config: reported; --fix-config sets the planned value back
      ConfigResource raw = new ConfigResource(ConfigResource.Type.TOPIC, Topics.ATNA_RAW.name());
      admin
          .incrementalAlterConfigs(
              Map.of(
                  raw,
                  List.of(
                      new AlterConfigOp(
                          new ConfigEntry("retention.ms", "3600000"), AlterConfigOp.OpType.SET))))
          .all()
          .get(30, TimeUnit.SECONDS);
      String[] changed =
          run("topics", "create", "--kafka-bootstrap", bootstrap, "--partitions", "4");
      assertThat(changed[0]).as(changed[1]).isEqualTo("3");
      assertThat(changed[1])
          .contains(
              "DIFFERS atna.raw: config retention.ms=3600000, planned "
                  + Topics.ATNA_RAW.config().get("retention.ms"));
      String[] fixed =
          run(
              "topics",
              "create",
              "--kafka-bootstrap",
              bootstrap,
              "--partitions",
              "4",
              "--fix-config");
      assertThat(fixed[0]).as(fixed[1]).isEqualTo("0");
      assertThat(fixed[1]).contains("fixed   atna.raw");
      assertThat(config(admin, Topics.ATNA_RAW.name(), "retention.ms"))
          .isEqualTo(Topics.ATNA_RAW.config().get("retention.ms"));

      // the all-in-one's data dir: its recorded broker, no --kafka-bootstrap
      Path data = dir.resolve("data");
      Files.createDirectories(data);
      BrokerRecord.write(data, bootstrap, Duration.ofSeconds(10));
      String[] local = run("topics", "create", "--data-dir", data.toString(), "--partitions", "4");
      assertThat(local[0]).as(local[1]).isEqualTo("0");
      assertThat(local[1].lines().filter(l -> l.startsWith("exists  "))).hasSize(Topics.ALL.size());

      // a replication factor this one broker cannot give: Kafka's refusal, exit 1
      admin.deleteTopics(List.of(Topics.AUDIT_ALERTS_DLQ.name())).all().get(30, TimeUnit.SECONDS);
      String[] three =
          run(
              "topics",
              "create",
              "--kafka-bootstrap",
              bootstrap,
              "--partitions",
              "4",
              "--replication-factor",
              "3");
      assertThat(three[0]).as(three[1]).isEqualTo("1");
      assertThat(three[1])
          .contains("cannot create topic audit.alerts.dlq")
          .contains("replication factor of 3 cannot be reached");
    }
  }

  @Test
  void badArguments_exit2() {
    assertThat(run("topics", "create", "--kafka-bootstrap", "127.0.0.1:1", "--partitions", "0")[0])
        .isEqualTo("2");
    assertThat(
            run(
                "topics",
                "create",
                "--kafka-bootstrap",
                "127.0.0.1:1",
                "--replication-factor",
                "3",
                "--min-insync-replicas",
                "4")[0])
        .isEqualTo("2");
    assertThat(run("topics", "create", "--kafka-bootstrap", "no port")[0]).isEqualTo("2");
  }

  private static String config(Admin admin, String topic, String name) throws Exception {
    ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    return admin
        .describeConfigs(List.of(r))
        .all()
        .get(30, TimeUnit.SECONDS)
        .get(r)
        .get(name)
        .value();
  }

  /** The command in-process, as {@code atna-bridge ARGS}: {exit code, stdout + stderr}. */
  static String[] run(String... args) {
    StringWriter sw = new StringWriter();
    CommandLine cli = AtnaBridgeCommand.commandLine();
    cli.setOut(new PrintWriter(sw, true));
    cli.setErr(new PrintWriter(sw, true));
    int code = cli.execute(args);
    return new String[] {Integer.toString(code), sw.toString()};
  }
}
