package org.atnabridge.ingest;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.atnabridge.ingest.netty.ListenerMetrics;
import org.atnabridge.kafka.embedded.EmbeddedKafkaBroker;
import org.atnabridge.schemas.Topics;
import org.atnabridge.testing.FreePorts;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka stopped in the middle of a TCP load from {@code loggen} and started again on the same port
 * and data directory: afterwards every line loggen sent is in {@code atna.raw} exactly once, byte
 * for byte. While the broker is down the sink saturates and the listener stops reading
 * (back-pressure), so loggen is slowed down instead of anything being dropped.
 */
class KafkaRestartIT {

  private static final int LINES = 40_000;
  private static final int RATE = 4_000;

  @TempDir Path tmp;

  @Test
  void brokerRestartDuringLoad_everyMessageExactlyOnce() throws Exception {
    int kafkaPort = freePort();
    Path kafkaDir = tmp.resolve("kafka");
    List<String> lines = new ArrayList<>(LINES);
    String pad = "p".repeat(200);
    for (int i = 0; i < LINES; i++) {
      lines.add(
          String.format(
              "<85>1 2025-04-18T09:04:00.603Z restart atna - IHE+RFC-3881 - <AuditMessage n=\"%06d\">%s"
                  + "</AuditMessage>",
              i, pad));
    }
    Path file = Harness.writeLines(tmp.resolve("load.txt"), lines);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();

    EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(kafkaDir, kafkaPort, Map.of()).start();
    EmbeddedKafkaBroker restarted = null;
    String bootstrap = broker.bootstrapServers();
    broker.createTopics(Topics.newTopics((short) 1));
    KafkaRawMessageSink sink =
        new KafkaRawMessageSink(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), registry);
    SyslogListener listener =
        new SyslogListener(
                new ListenerConfig(
                    "127.0.0.1", 0, ListenerConfig.DEFAULT_MAX_FRAME_LENGTH, Duration.ofMinutes(5)),
                sink,
                registry)
            .start();
    try {
      Process loggen =
          new ProcessBuilder(
                  "/usr/bin/loggen",
                  "-S",
                  "-d",
                  "-I",
                  "600",
                  "-R",
                  file.toString(),
                  "-r",
                  Integer.toString(RATE),
                  "127.0.0.1",
                  Integer.toString(listener.port()))
              .redirectErrorStream(true)
              .redirectOutput(tmp.resolve("loggen.out").toFile())
              .start();
      Thread.sleep(2_500);
      assertThat(loggen.isAlive()).as("loggen still sending when Kafka stops").isTrue();
      broker.close();
      Thread.sleep(8_000);
      restarted = new EmbeddedKafkaBroker(kafkaDir, kafkaPort, Map.of()).start();
      assertThat(loggen.waitFor(180, TimeUnit.SECONDS)).as("loggen finished").isTrue();
      String out = java.nio.file.Files.readString(tmp.resolve("loggen.out"));
      assertThat(out).as(out).contains("count=" + LINES);

      try (Harness kafka = new Harness(bootstrap, Topics.ATNA_RAW.name())) {
        kafka.awaitCount(r -> true, LINES);
        List<ConsumerRecord<byte[], byte[]>> all = kafka.settle(r -> true, Duration.ofSeconds(3));
        Map<String, Integer> seen = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : all) {
          seen.merge(new String(r.value(), UTF_8), 1, Integer::sum);
        }
        assertThat(all).as("records in atna.raw").hasSize(LINES);
        for (String line : lines) {
          assertThat(seen.get(line)).as("copies of line " + line.substring(0, 80)).isEqualTo(1);
        }
      }
      assertThat(registry.get(ListenerMetrics.PAUSES).counter().count())
          .as("back-pressure while Kafka was down")
          .isPositive();
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> sink.pending() == 0);
    } finally {
      listener.close();
      sink.close();
      if (restarted != null) {
        restarted.close();
      }
      broker.close();
    }
  }

  private static int freePort() {
    return FreePorts.next();
  }
}
