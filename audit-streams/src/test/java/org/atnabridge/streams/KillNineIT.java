package org.atnabridge.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.atnabridge.kafka.embedded.EmbeddedKafkaBroker;
import org.atnabridge.streams.chain.CheckpointKeys;
import org.atnabridge.testing.KafkaBrokerExtension;
import org.hl7.fhir.r5.model.AuditEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the streams JVM in the middle of a load, then a restart on the same state dir: {@code
 * audit.enriched} holds every input exactly once and the chain verifies.
 */
@ExtendWith(KafkaBrokerExtension.class)
class KillNineIT {

  @TempDir Path stateDir;

  @Test
  void killNineMidLoad_restart_everyInputExactlyOnceAndChainVerifies(EmbeddedKafkaBroker kafka)
      throws Exception {
    AuditStreamsIT.resetTopics(kafka);
    String bootstrap = kafka.bootstrapServers();
    int base = 50_000;
    int total = 4000;
    List<ConsumerRecord<String, AuditEvent>> records = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> raw = TestKafka.rawProducer(bootstrap);
        KafkaConsumer<String, AuditEvent> out = TestKafka.enrichedConsumer(bootstrap)) {
      Set<String> expected = AuditStreamsIT.expectedIds(base, total);
      Process first = startChild(bootstrap);
      try {
        for (int i = 0; i < total; i++) {
          TestKafka.sendRaw(raw, i, Samples.pixFeed(base + i));
        }
        raw.flush();
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> AuditStreamsIT.mine(out, records, expected) >= 200);
      } finally {
        first.destroyForcibly(); // SIGKILL: no close, no commit, open transactions left behind
        first.waitFor(30, TimeUnit.SECONDS);
      }
      assertThat(AuditStreamsIT.mine(out, records, expected)).isLessThan(total); // killed mid-load
      Process second = startChild(bootstrap);
      try {
        await()
            .atMost(Duration.ofSeconds(180))
            .until(() -> AuditStreamsIT.mine(out, records, expected) >= total);
        AuditStreamsIT.assertExactlyOnce(
            records.stream().map(ConsumerRecord::value).toList(), base, total);
        CheckpointKeys keys = CheckpointKeys.loadOrCreate(AuditStreamsIT.KEYS);
        await()
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(
                () ->
                    assertThat(
                            AuditStreamsIT.verify(
                                    TestKafka.enrichedAll(bootstrap),
                                    TestKafka.checkpoints(bootstrap),
                                    keys)
                                .findings())
                        .isEmpty());
      } finally {
        second.destroy();
        second.waitFor(60, TimeUnit.SECONDS);
        second.destroyForcibly();
      }
    }
  }

  private Process startChild(String bootstrap) throws IOException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path log = Files.createTempFile("streams-child-", ".log");
    ProcessBuilder pb =
        new ProcessBuilder(
            java.toString(),
            "-Xmx512m",
            "-cp",
            System.getProperty("java.class.path"),
            StreamsChild.class.getName(),
            bootstrap,
            stateDir.toString(),
            AuditStreamsIT.KEYS.toAbsolutePath().toString());
    pb.redirectErrorStream(true);
    Process p = pb.start();
    CompletableFuture<Void> ready = new CompletableFuture<>();
    Thread.ofVirtual()
        .start(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  Files.writeString(log, line + "\n", StandardOpenOption.APPEND);
                  if (line.contains(StreamsChild.READY)) {
                    ready.complete(null);
                  }
                }
                ready.completeExceptionally(new IllegalStateException("child exited; log " + log));
              } catch (IOException e) {
                ready.completeExceptionally(e);
              }
            });
    await().atMost(Duration.ofSeconds(120)).until(() -> ready.isDone() || !p.isAlive());
    ready.join();
    return p;
  }
}
