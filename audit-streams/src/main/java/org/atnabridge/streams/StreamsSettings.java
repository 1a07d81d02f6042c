package org.atnabridge.streams;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.atnabridge.schemas.Topics;

/**
 * Typed settings of one Streams application, turned into {@link Properties} in one place.
 *
 * @param bootstrapServers Kafka bootstrap servers
 * @param stateDir local state directory (one per application id below it)
 * @param replicationFactor replication of internal topics (changelogs, repartition topics), or
 *     {@link #BROKER_DEFAULT_REPLICATION}: the cluster's {@code default.replication.factor}, so
 *     that a 3-broker cluster replicates the state it recovers from as it replicates every topic
 * @param threads stream threads
 * @param commitIntervalMs how often EOS transactions commit; bounds end-to-end latency
 * @param overrides extra Streams/client properties that win over the above
 */
public record StreamsSettings(
    String bootstrapServers,
    Path stateDir,
    int replicationFactor,
    int threads,
    long commitIntervalMs,
    Map<String, String> overrides) {

  public StreamsSettings {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(stateDir, "stateDir");
    if (replicationFactor < 1 && replicationFactor != BROKER_DEFAULT_REPLICATION) {
      throw new IllegalArgumentException("replicationFactor < 1");
    }
    if (threads < 1) {
      throw new IllegalArgumentException("threads < 1");
    }
    if (commitIntervalMs < 1) {
      throw new IllegalArgumentException("commitIntervalMs < 1");
    }
    overrides = Map.copyOf(overrides);
  }

  /** Kafka Streams' {@code replication.factor} -1: the broker's default replication factor. */
  public static final int BROKER_DEFAULT_REPLICATION = -1;

  static final int PRODUCER_BATCH_BYTES = 256 * 1024;
  static final int PRODUCER_LINGER_MS = 5;

  /**
   * One stream thread per core, at most one per {@code atna.raw} partition (a task is the unit of
   * work: more threads than tasks idle); 200 ms commits; internal topics replicated as the cluster
   * replicates by default (1 on the embedded broker).
   */
  public static StreamsSettings defaults(String bootstrapServers, Path stateDir) {
    return new StreamsSettings(
        bootstrapServers,
        stateDir,
        BROKER_DEFAULT_REPLICATION,
        defaultThreads(Runtime.getRuntime().availableProcessors()),
        200,
        Map.of());
  }

  static int defaultThreads(int cores) {
    return Math.clamp(cores, 1, Topics.ATNA_RAW.partitions());
  }

  public Properties toProperties(String applicationId) {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, replicationFactor);
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitIntervalMs);
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    // an ATNA message may approach the 1 MiB converter cap, and its AuditEvent JSON be a few times
    // that: allow every record the topics allow (the processors check sizes before sending)
    p.put(
        StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG),
        Topics.MAX_DLQ_RECORD_BYTES + 64 * 1024);
    // events are 2-4 KB of JSON: the 16 KB default batch meant a produce request per few events,
    // and
    // with at most 5 in flight the producer, not the CPU, set the pace. Every commit flushes
    // anyway,
    // so a short linger costs no latency beyond the commit interval (the Streams default is 100
    // ms).
    p.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), PRODUCER_BATCH_BYTES);
    p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), PRODUCER_LINGER_MS);
    // opt in now to the Kafka 5.0 default (and silence the start-up warning about it)
    p.put("processing.exception.handler.global.enabled", true);
    p.putAll(overrides);
    return p;
  }
}
