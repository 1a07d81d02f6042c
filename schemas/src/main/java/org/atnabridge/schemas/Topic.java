package org.atnabridge.schemas;

import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;

/**
 * A Kafka topic with its key and value serdes, so that no producer, consumer or Streams topology
 * relies on default serdes.
 *
 * @param name the topic name, e.g. {@code atna.raw}
 * @param keySerde serde of record keys
 * @param valueSerde serde of record values
 * @param partitions partitions created when the topic does not exist yet
 * @param config topic-level configuration applied on creation (e.g. compaction)
 */
public record Topic<K, V>(
    String name,
    Serde<K> keySerde,
    Serde<V> valueSerde,
    int partitions,
    Map<String, String> config) {

  public Topic {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(keySerde, "keySerde");
    Objects.requireNonNull(valueSerde, "valueSerde");
    if (partitions <= 0) {
      throw new IllegalArgumentException("partitions <= 0 for topic " + name);
    }
    config = Map.copyOf(config);
  }
}
