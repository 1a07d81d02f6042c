package org.atnabridge.allinone;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.atnabridge.schemas.Topics;
import org.atnabridge.schemas.chain.Checkpoint;

/** Reads the signed checkpoints of {@code audit.checkpoints}. */
final class CheckpointReader {

  private CheckpointReader() {}

  /**
   * Every checkpoint in {@code audit.checkpoints}, read from the start to the current end
   * (committed only).
   */
  static List<Checkpoint> readAll(String bootstrap, Duration timeout) {
    List<Checkpoint> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c = VerifyKafka.committedReader(bootstrap, timeout)) {
      List<TopicPartition> partitions =
          VerifyKafka.partitions(c, Topics.AUDIT_CHECKPOINTS.name(), timeout);
      if (partitions.isEmpty()) {
        return out;
      }
      c.assign(partitions);
      c.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = c.endOffsets(partitions, timeout);
      long deadline = System.nanoTime() + timeout.toNanos() * 10;
      while (partitions.stream().anyMatch(p -> c.position(p) < end.getOrDefault(p, 0L))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "reading " + Topics.AUDIT_CHECKPOINTS.name() + " timed out");
        }
        c.poll(Duration.ofMillis(200))
            .forEach(
                r -> {
                  try {
                    out.add(Checkpoint.fromJson(r.value()));
                  } catch (IllegalArgumentException e) {
                    // an unreadable record can be no valid checkpoint: report it as a bad signature
                    out.add(new Checkpoint(-1, r.offset(), "", Instant.EPOCH, "unreadable", ""));
                  }
                });
      }
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      throw new IllegalStateException(
          "cannot read "
              + Topics.AUDIT_CHECKPOINTS.name()
              + " from "
              + bootstrap
              + " (use --no-checkpoints to check hashes and links only): "
              + e.getMessage(),
          e);
    }
    return out;
  }
}
