package org.atnabridge.allinone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.atnabridge.kafka.embedded.EmbeddedKafkaBroker;
import org.atnabridge.schemas.RawHeaders;
import org.atnabridge.schemas.Topics;
import org.atnabridge.streams.chain.CheckpointKeys;
import org.atnabridge.testing.KafkaBrokerExtension;
import org.atnabridge.testing.TestVectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code verify} pointed at the wrong place, with the packaged jar as processes: {@code serve}
 * records its broker and cluster id in the data dir; {@code verify --data-dir} without {@code
 * --kafka-bootstrap} finds that broker; a {@code --kafka-bootstrap} of another cluster (here the
 * test's shared broker, as another instance on another port) is refused with exit 2 naming both
 * clusters and the options; checkpoints signed by another instance's key are named so, exit 2.
 * Never a {@code BAD_SIGNATURE}.
 */
@ExtendWith(KafkaBrokerExtension.class)
class VerifyBrokerIT {

  @TempDir Path dir;
  private ServeProcess serve;

  @AfterEach
  void kill() throws InterruptedException {
    if (serve != null) {
      serve.close();
    }
  }

  @Test
  void verifyTakesTheDataDirsBroker_refusesAnotherClusterOrKey(EmbeddedKafkaBroker other)
      throws Exception {
    int http = ServeProcess.freePort();
    int kafka = ServeProcess.freePort();
    Path data = dir.resolve("data");
    serve =
        ServeProcess.start(
                dir.resolve("serve.log"),
                "serve",
                "--data-dir",
                data.toString(),
                "--http-port",
                String.valueOf(http),
                "--syslog-port",
                String.valueOf(ServeProcess.freePort()),
                "--kafka-port",
                String.valueOf(kafka))
            .awaitReady(Duration.ofSeconds(90));
    String own = "127.0.0.1:" + kafka;

    BrokerRecord recorded = BrokerRecord.read(data).orElseThrow();
    assertThat(recorded.bootstrap()).isEqualTo(own);
    assertThat(recorded.clusterId()).isEqualTo(BrokerRecord.clusterId(own, Duration.ofSeconds(10)));
    String otherId = BrokerRecord.clusterId(other.bootstrapServers(), Duration.ofSeconds(10));
    assertThat(otherId).isNotEqualTo(recorded.clusterId());

    // one event, chained and checkpointed by this serve
    try (KafkaProducer<byte[], byte[]> raw =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, own),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      ProducerRecord<byte[], byte[]> r =
          new ProducerRecord<>(
              Topics.ATNA_RAW.name(),
              "10.0.0.1".getBytes(StandardCharsets.UTF_8),
              TestVectors.bytes("dicom-audit-xml/ipf-pixfeed.xml"));
      RawHeaders.put(r.headers(), RawHeaders.TRANSPORT, "tcp");
      raw.send(r).get(30, TimeUnit.SECONDS);
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> !VerifyCommand.readCheckpoints(own, Duration.ofSeconds(10)).isEmpty());

    // no --kafka-bootstrap: the broker recorded in the data dir, with its checkpoints
    String url = "http://127.0.0.1:" + http;
    String[] found = new String[1];
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () -> {
              found[0] = verify("--url", url, "--data-dir", data.toString());
              return found[0].startsWith("0|");
            });
    assertThat(found[0]).contains("INTACT").doesNotContain("BAD_SIGNATURE");
    Matcher checked = Pattern.compile("(\\d+) checkpoints checked").matcher(found[0]);
    assertThat(checked.find()).as(found[0]).isTrue();
    assertThat(Long.parseLong(checked.group(1))).isPositive();

    // another cluster: refused, naming both clusters and the options; nothing reported as tampering
    String wrong =
        verify(
            "--url",
            url,
            "--data-dir",
            data.toString(),
            "--kafka-bootstrap",
            other.bootstrapServers());
    assertThat(wrong)
        .startsWith("2|")
        .contains("--kafka-bootstrap " + other.bootstrapServers())
        .contains("cluster " + otherId)
        .contains("cluster " + recorded.clusterId())
        .contains("--data-dir " + data)
        .doesNotContain("BAD_SIGNATURE")
        .doesNotContain("NOT INTACT");

    // the right cluster, but the key of another instance: named so, not tampering
    Path otherKeys = dir.resolve("other-keys");
    CheckpointKeys.loadOrCreate(otherKeys);
    String foreign =
        verify(
            "--url",
            url,
            "--data-dir",
            data.toString(),
            "--kafka-bootstrap",
            own,
            "--public-key",
            otherKeys.resolve(CheckpointKeys.PUBLIC_FILE).toString());
    assertThat(foreign)
        .startsWith("2|")
        .contains("signed by another instance's key")
        .doesNotContain("BAD_SIGNATURE")
        .doesNotContain("NOT INTACT");
  }

  /**
   * {@code java -jar atna-bridge.jar verify ARGS}, without the ATNA_ variables of this environment;
   * {@code exit|output}.
   */
  private static String verify(String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(ServeProcess.java(), "-jar", ServeProcess.JAR.toString(), "verify"));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("ATNA_"));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return p.exitValue() + "|" + out;
  }
}
