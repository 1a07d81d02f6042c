package org.atnabridge.search;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a whole compacted topic on its own thread, from the beginning and for as long as it runs,
 * handing every record to {@code onRecord} in partition order: the view every API node keeps of a
 * small shared table ({@code audit.subscriptions}, {@code console.saved-searches}). No consumer
 * group, so every node sees every record. {@link #start} waits until the records the topic held at
 * start have been handed over, so a node does not answer from a half-read table; a topic that does
 * not exist yet is looked for again every 5 s.
 */
public final class CompactedTopicReader implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(CompactedTopicReader.class);

  private final String topic;
  private final KafkaConsumer<String, byte[]> consumer;
  private final Consumer<ConsumerRecord<String, byte[]>> onRecord;
  private final Thread thread;
  private final CountDownLatch caughtUp = new CountDownLatch(1);
  private volatile boolean running = true;

  /**
   * @param clientId the consumer's client id, also the reader thread's name
   * @param onRecord called on the reader thread for each record, tombstones included
   */
  public CompactedTopicReader(
      String bootstrapServers,
      String topic,
      String clientId,
      Consumer<ConsumerRecord<String, byte[]>> onRecord) {
    this.topic = topic;
    this.onRecord = onRecord;
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    this.consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
    this.thread = Thread.ofPlatform().name(clientId).daemon().unstarted(this::read);
  }

  /** Starts reading; waits up to {@code catchUp} until what the topic held at start is read. */
  public void start(Duration catchUp) {
    thread.start();
    try {
      if (!caughtUp.await(catchUp.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("{} not read to its end within {}; going on", topic, catchUp);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Whether the topic has been read to the end it had at start. */
  public boolean caughtUp() {
    return caughtUp.getCount() == 0;
  }

  private void read() {
    try {
      List<TopicPartition> partitions = new ArrayList<>();
      while (running && partitions.isEmpty()) {
        for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
          partitions.add(new TopicPartition(topic, info.partition()));
        }
        if (partitions.isEmpty()) {
          LOG.warn("{} does not exist yet; looking again in 5 s", topic);
          for (int i = 0; i < 25 && running; i++) {
            Thread.sleep(200);
          }
        }
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      checkCaughtUp(end);
      while (running) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          onRecord.accept(r);
        }
        if (caughtUp.getCount() > 0) {
          checkCaughtUp(end);
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.error("{} reader stopped: {}", topic, e.toString(), e);
    } finally {
      consumer.close();
    }
  }

  private void checkCaughtUp(Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (consumer.position(e.getKey()) < e.getValue()) {
        return;
      }
    }
    caughtUp.countDown();
  }

  /** Stops reading and waits (up to 10 s) for the reader thread to end. */
  @Override
  public void close() {
    running = false;
    if (thread.getState() == Thread.State.NEW) {
      consumer.close();
      return;
    }
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
