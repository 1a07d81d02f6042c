package org.atnabridge.search;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * What the API's Kafka producers share ({@code audit.posted} and {@code accesslog.raw}): a request
 * is answered only after the broker acknowledged its records, so {@code acks=all} and idempotence
 * are forced; short batching and lz4 unless the caller chose otherwise.
 */
public final class AcknowledgedProducerConfig {

  private AcknowledgedProducerConfig() {}

  /**
   * A copy of {@code producerConfig} with the shared settings, for the caller to add its client id
   * and timeouts to.
   *
   * @param producerConfig must contain {@code bootstrap.servers}
   */
  public static Map<String, Object> of(Map<String, Object> producerConfig) {
    if (!producerConfig.containsKey(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG)) {
      throw new IllegalArgumentException(
          "producerConfig needs " + ProducerConfig.BOOTSTRAP_SERVERS_CONFIG);
    }
    Map<String, Object> config = new HashMap<>(producerConfig);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 2);
    config.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    return config;
  }
}
