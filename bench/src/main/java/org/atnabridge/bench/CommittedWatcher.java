package org.atnabridge.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads one topic as a downstream reader would ({@code read_committed}, from the start, no group)
 * and sets, per record whose value carries a message number ({@code pattern} group 1), the wall
 * clock at which it was first read: when it became visible, i.e. its transaction committed.
 */
final class CommittedWatcher implements AutoCloseable {

  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;

  CommittedWatcher(String bootstrap, String topic, Pattern pattern, AtomicLongArray seenWall) {
    KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG,
                20),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    List<org.apache.kafka.common.TopicPartition> partitions =
        consumer.partitionsFor(topic).stream()
            .map(i -> new org.apache.kafka.common.TopicPartition(topic, i.partition()))
            .toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    thread =
        Thread.ofPlatform()
            .name("watch-" + topic)
            .daemon()
            .start(
                () -> {
                  try (consumer) {
                    while (running.get()) {
                      for (ConsumerRecord<byte[], byte[]> r :
                          consumer.poll(Duration.ofMillis(50))) {
                        long now = System.currentTimeMillis();
                        byte[] v = r.value();
                        if (v == null) {
                          continue;
                        }
                        Matcher m = pattern.matcher(new String(v, StandardCharsets.UTF_8));
                        if (m.find()) {
                          int k = Integer.parseInt(m.group(1));
                          if (k < seenWall.length()) {
                            seenWall.compareAndSet(k, 0, now);
                          }
                        }
                      }
                    }
                  }
                });
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    thread.join(5_000);
  }
}
