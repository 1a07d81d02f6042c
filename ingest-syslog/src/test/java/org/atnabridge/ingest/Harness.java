package org.atnabridge.ingest;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.atnabridge.schemas.RawHeaders;
import org.awaitility.Awaitility;

/**
 * Test plumbing shared by the ITs: a consumer over atna.raw and audit.dlq, and real client
 * processes.
 */
final class Harness implements AutoCloseable {

  static final Duration TIMEOUT = Duration.ofSeconds(60);

  final List<ConsumerRecord<byte[], byte[]>> received = new CopyOnWriteArrayList<>();
  private final KafkaConsumer<byte[], byte[]> consumer;

  Harness(String bootstrap, String... topics) {
    consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                5000),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : topics) {
      consumer
          .partitionsFor(topic, TIMEOUT)
          .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
  }

  void poll() {
    consumer.poll(Duration.ofMillis(200)).forEach(received::add);
  }

  ConsumerRecord<byte[], byte[]> await(Predicate<ConsumerRecord<byte[], byte[]>> match) {
    return awaitCount(match, 1).getFirst();
  }

  List<ConsumerRecord<byte[], byte[]>> awaitCount(
      Predicate<ConsumerRecord<byte[], byte[]>> match, int count) {
    Awaitility.await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              poll();
              return received.stream().filter(match).count() >= count;
            });
    return received.stream().filter(match).toList();
  }

  /**
   * Polls for a while and returns everything matching (for "nothing arrived" and exact-count
   * checks).
   */
  List<ConsumerRecord<byte[], byte[]>> settle(
      Predicate<ConsumerRecord<byte[], byte[]>> match, Duration quiet) {
    long end = System.nanoTime() + quiet.toNanos();
    while (System.nanoTime() < end) {
      poll();
    }
    return received.stream().filter(match).toList();
  }

  static Predicate<ConsumerRecord<byte[], byte[]>> on(String topic, String listener) {
    return r ->
        r.topic().equals(topic)
            && listener.equals(RawHeaders.get(r.headers(), RawHeaders.LISTENER));
  }

  static Predicate<ConsumerRecord<byte[], byte[]>> containing(String text) {
    return r -> new String(r.value(), UTF_8).contains(text);
  }

  static String text(ConsumerRecord<byte[], byte[]> r) {
    return new String(r.value(), UTF_8);
  }

  @Override
  public void close() {
    consumer.close();
  }

  /** Runs a real client to completion; fails the test with its output when it fails or hangs. */
  static String run(Duration timeout, String... command) throws IOException, InterruptedException {
    return run(timeout, null, command);
  }

  static String run(Duration timeout, byte[] stdin, String... command)
      throws IOException, InterruptedException {
    assertThat(Path.of(command[0]))
        .as(command[0] + " is required (bin/test installs it)")
        .isExecutable();
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    if (stdin != null) {
      p.getOutputStream().write(stdin);
    }
    p.getOutputStream().close();
    byte[][] out = new byte[1][];
    Thread reader =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    out[0] = p.getInputStream().readAllBytes();
                  } catch (IOException e) {
                    out[0] = e.toString().getBytes(UTF_8);
                  }
                });
    boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (!done) {
      p.destroyForcibly();
    }
    reader.join(5000);
    String output = out[0] == null ? "" : new String(out[0], UTF_8);
    assertThat(done).as(String.join(" ", command) + " finished; output: " + output).isTrue();
    return output + "\nexit=" + p.exitValue();
  }

  static Path writeLines(Path file, List<String> lines) throws IOException {
    Files.write(file, lines, UTF_8);
    return file;
  }
}
