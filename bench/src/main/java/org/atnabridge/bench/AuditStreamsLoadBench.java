package org.atnabridge.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.atnabridge.atna.AtnaConverter;
import org.atnabridge.kafka.embedded.EmbeddedKafkaBroker;
import org.atnabridge.schemas.RawHeaders;
import org.atnabridge.schemas.Topics;
import org.atnabridge.streams.AuditStreams;
import org.atnabridge.streams.AuditTopology;
import org.atnabridge.streams.StreamsService;
import org.atnabridge.streams.StreamsSettings;
import org.atnabridge.streams.enrich.EnrichmentConfig;
import org.atnabridge.streams.reference.ReferenceFile;
import org.atnabridge.streams.reference.ReferenceLoader;
import org.atnabridge.testing.TestVectors;

/**
 * Load benchmark of the audit-streams stage (bench/README.md, "Streams"): the embedded KRaft broker
 * and {@link AuditStreams} (convert + enrich + label + chain, exactly-once v2) in this JVM, as
 * {@code serve} runs them, with {@code atna.raw}, {@code audit.events} and {@code audit.enriched}
 * at 3 partitions. Sends N distinct ATNA messages (ipf-pixfeed, made unique) to {@code atna.raw} at
 * a target rate (0 = as fast as possible) and reads {@code audit.enriched} (read_committed).
 *
 * <p>Reports: throughput (N / time from the first send to the last enriched record read),
 * end-to-end latency p50/p99/max = the time an enriched record is read minus its {@code atna.raw}
 * append time (CreateTime set by the producer, which Streams carries through), heap used after a
 * GC, and the process RSS (broker included).
 *
 * <p>{@code java -cp ... org.atnabridge.bench.AuditStreamsLoadBench [events=200000] [rate=0]
 * [threads] [commit-ms] [warmup=0] [streams-property=value,...]}; {@code -Dbench.floor=true}
 * measures {@link KafkaFloorTopology} instead (threads per application and commit interval default
 * to {@link StreamsSettings#defaults}).
 */
public final class AuditStreamsLoadBench {

  /**
   * {@code -Dbench.floor=true}: run {@link KafkaFloorTopology} (the same Kafka work, none of the
   * audit work) instead of the application, to measure what Kafka alone costs per event.
   */
  static final String FLOOR_PROPERTY = "bench.floor";

  /** The reference rows loaded before a run: the practitioner, patient and node of the message. */
  static final String REFERENCE_CSV =
      """
      kind,id,system,value,display,confidentiality,flags
      practitioner,pkl,,PKL|SAP-ISH,Dr. Petra Keller,,
      patient,pat-7627199,urn:oid:2.16.840.1.113883.3.37.4.1.1.2.411.1,7627199,Hans Zimmermann,R,VIP
      device,mpi,,MPI,Master Patient Index,,
      """;

  private AuditStreamsLoadBench() {}

  /** The measured numbers. */
  public record Result(
      int events,
      double seconds,
      double eventsPerSecond,
      double p50Ms,
      double p99Ms,
      double maxMs,
      long heapUsedMb,
      long rssMb,
      double cpuMicrosPerEvent,
      Map<String, Double> cpuMicrosPerEventByPart,
      double loadAverage) {
    @Override
    public String toString() {
      StringBuilder parts = new StringBuilder();
      cpuMicrosPerEventByPart.forEach(
          (k, v) -> parts.append(String.format(Locale.ROOT, " %s=%.0f", k, v)));
      return String.format(
          Locale.ROOT,
          "events=%d time=%.1fs throughput=%.0f/s latency p50=%.0fms p99=%.0fms max=%.0fms"
              + " heap-after-gc=%dMB rss=%dMB cpu=%.0fus/event [%s ] load-average=%.2f",
          events,
          seconds,
          eventsPerSecond,
          p50Ms,
          p99Ms,
          maxMs,
          heapUsedMb,
          rssMb,
          cpuMicrosPerEvent,
          parts,
          loadAverage);
    }
  }

  /**
   * CPU time of the live threads by part of the system: the thread names say which part a thread
   * belongs to; what the process used beyond all Java threads is GC and JIT ({@code jvm}).
   */
  static Map<String, Long> cpuByPart() {
    java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    Map<String, Long> out = new java.util.TreeMap<>();
    long threads = 0;
    for (long id : mx.getAllThreadIds()) {
      java.lang.management.ThreadInfo info = mx.getThreadInfo(id);
      long cpu = mx.getThreadCpuTime(id);
      if (info == null || cpu < 0) {
        continue;
      }
      threads += cpu;
      out.merge(part(info.getThreadName()), cpu, Long::sum);
    }
    out.put("jvm", processCpuNanos() - threads);
    return out;
  }

  private static String part(String thread) {
    if (thread.startsWith(AuditTopology.APPLICATION_ID)
        || thread.contains("| " + AuditTopology.APPLICATION_ID)) {
      return "streams";
    }
    if (thread.startsWith("bench")
        || thread.equals("main")
        || thread.contains("| producer-")
        || thread.contains("| bench-")) {
      return "bench";
    }
    return "broker";
  }

  public static void main(String[] args) throws Exception {
    int events = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    int rate = args.length > 1 ? Integer.parseInt(args[1]) : 0;
    int threads =
        args.length > 2
            ? Integer.parseInt(args[2])
            : StreamsSettings.defaults("-", Path.of(".")).threads();
    long commitMs =
        args.length > 3
            ? Long.parseLong(args[3])
            : StreamsSettings.defaults("-", Path.of(".")).commitIntervalMs();
    int warmup = args.length > 4 ? Integer.parseInt(args[4]) : 0;
    Map<String, String> overrides = new java.util.HashMap<>();
    if (args.length > 5) {
      for (String kv : args[5].split(",")) {
        overrides.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
      }
    }
    boolean floor = Boolean.getBoolean(FLOOR_PROPERTY);
    System.out.println(
        (floor ? "kafka floor (no audit work): " : "")
            + run(events, rate, threads, commitMs, warmup, overrides, floor));
    System.exit(0);
  }

  /** With the production settings ({@link StreamsSettings#defaults}). */
  public static Result run(int events, int rate) throws Exception {
    StreamsSettings d = StreamsSettings.defaults("-", Path.of("."));
    return run(events, rate, d.threads(), d.commitIntervalMs(), 0, Map.of(), false);
  }

  /** {@link KafkaFloorTopology} with the production settings: what Kafka alone costs. */
  public static Result runFloor(int events, int rate) throws Exception {
    StreamsSettings d = StreamsSettings.defaults("-", Path.of("."));
    return run(events, rate, d.threads(), d.commitIntervalMs(), 0, Map.of(), true);
  }

  /**
   * @param warmup events sent, and waited for, before the measurement starts (JIT compilation of a
   *     cold JVM otherwise costs more CPU than the events do in a short run); not counted
   * @param floor run {@link KafkaFloorTopology} instead of the application
   */
  public static Result run(
      int events,
      int rate,
      int threads,
      long commitIntervalMs,
      int warmup,
      Map<String, String> overrides,
      boolean floor)
      throws Exception {
    Path dir = Files.createTempDirectory("streams-bench-");
    try (EmbeddedKafkaBroker broker =
        new EmbeddedKafkaBroker(dir.resolve("kafka"), 0, Map.of()).start()) {
      String bootstrap = broker.bootstrapServers();
      List<NewTopic> topics = Topics.newTopics((short) 1);
      broker.createTopics(topics);
      ReferenceLoader.send(
          bootstrap, ReferenceFile.parse(REFERENCE_CSV).records(), Duration.ofSeconds(30));
      // made as they are sent: a run of a million frames would not fit in the heap
      Frames frames = new Frames();
      StreamsSettings settings =
          new StreamsSettings(
              bootstrap, dir.resolve("streams"), 1, threads, commitIntervalMs, overrides);
      try (AutoCloseable streams =
          floor
              ? new StreamsService(
                      AuditTopology.APPLICATION_ID,
                      KafkaFloorTopology.build(frames.frame(0)),
                      settings)
                  .start(Duration.ofSeconds(90))
              : AuditStreams.start(
                  settings,
                  new AtnaConverter(),
                  EnrichmentConfig.defaults(),
                  dir.resolve("keys"))) {
        if (warmup > 0) {
          KafkaConsumer<byte[], byte[]> warmupReader = enrichedAtEnd(bootstrap);
          produce(bootstrap, frames, 0, warmup, 0);
          consume(warmupReader, warmup, new long[warmup], new AtomicLong());
        }
        long[] latency = new long[events];
        AtomicLong received = new AtomicLong();
        KafkaConsumer<byte[], byte[]> reader = enrichedAtEnd(bootstrap);
        long cpuStart = processCpuNanos();
        Map<String, Long> partsStart = cpuByPart();
        long start = System.nanoTime();
        Thread producerThread =
            Thread.ofPlatform()
                .name("bench-producer")
                .start(() -> produce(bootstrap, frames, warmup, events, rate));
        long lastAt = consume(reader, events, latency, received);
        producerThread.join();
        double seconds = (lastAt - start) / 1e9;
        // the whole process (broker, streams, bench producer and consumer): what one event costs
        // this machine
        double cpuMicros = (processCpuNanos() - cpuStart) / 1e3 / events;
        Map<String, Double> parts = new java.util.TreeMap<>();
        cpuByPart()
            .forEach((k, v) -> parts.put(k, (v - partsStart.getOrDefault(k, 0L)) / 1e3 / events));
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        long[] sorted = Arrays.copyOf(latency, (int) received.get());
        Arrays.sort(sorted);
        System.gc();
        long heap =
            ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024 * 1024);
        return new Result(
            events,
            seconds,
            events / seconds,
            pct(sorted, 0.50),
            pct(sorted, 0.99),
            sorted.length == 0 ? 0 : sorted[sorted.length - 1],
            heap,
            rssMb(),
            cpuMicros,
            parts,
            load);
      }
    } finally {
      deleteTree(dir);
    }
  }

  /** Distinct ATNA messages: ipf-pixfeed in an RFC 5424 envelope, made unique by its number. */
  static final class Frames {
    private final String xml =
        new String(TestVectors.bytes("dicom-audit-xml/ipf-pixfeed.xml"), StandardCharsets.UTF_8);
    private final String prefix = "<85>1 2026-01-01T00:00:00Z bench-host app - IHE+RFC-3881 - ";
    private final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");

    byte[] frame(int i) {
      return (prefix
              + xml.replace("2020-03-19T12:24:34.434Z", t0.plusMillis(i).toString())
                  .replace(
                      "MTIzNDU2",
                      java.util.Base64.getEncoder()
                          .encodeToString(("b" + i).getBytes(StandardCharsets.UTF_8))))
          .getBytes(StandardCharsets.UTF_8);
    }
  }

  private static void produce(String bootstrap, Frames frames, int from, int count, int rate) {
    try (KafkaProducer<byte[], byte[]> p =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.LINGER_MS_CONFIG,
                5,
                ProducerConfig.BATCH_SIZE_CONFIG,
                256 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG,
                "lz4"),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      long start = System.nanoTime();
      for (int i = 0; i < count; i++) {
        if (rate > 0) {
          long due = start + (long) (i * (1e9 / rate));
          long wait = due - System.nanoTime();
          if (wait > 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(wait);
          }
        }
        String peer = "10.0.0." + (i % 50);
        ProducerRecord<byte[], byte[]> r =
            new ProducerRecord<>(
                Topics.ATNA_RAW.name(),
                peer.getBytes(StandardCharsets.UTF_8),
                frames.frame(from + i));
        RawHeaders.put(r.headers(), RawHeaders.TRANSPORT, "tcp");
        RawHeaders.put(r.headers(), RawHeaders.PEER, peer + ":40000");
        p.send(r);
      }
      p.flush();
    }
  }

  /**
   * A read_committed consumer of every {@code audit.enriched} partition, positioned at the end
   * before anything is sent: the measurement must not spend its window re-reading the warm-up.
   */
  private static KafkaConsumer<byte[], byte[]> enrichedAtEnd(String bootstrap) {
    KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                5000),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    List<org.apache.kafka.common.TopicPartition> partitions =
        c.partitionsFor(Topics.AUDIT_ENRICHED.name()).stream()
            .map(p -> new org.apache.kafka.common.TopicPartition(p.topic(), p.partition()))
            .toList();
    c.assign(partitions);
    c.seekToEnd(partitions);
    partitions.forEach(c::position); // resolves the lazy seek now
    return c;
  }

  /** Reads {@code events} enriched records with {@code c}. */
  private static long consume(
      KafkaConsumer<byte[], byte[]> c, int events, long[] latency, AtomicLong received) {
    long lastAt = System.nanoTime();
    try (c) {
      long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
      while (received.get() < events && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
          long n = received.getAndIncrement();
          if (n < events) {
            latency[(int) n] = System.currentTimeMillis() - r.timestamp();
          }
          lastAt = System.nanoTime();
        }
      }
    }
    if (received.get() < events) {
      throw new IllegalStateException(
          "only " + received.get() + " of " + events + " events enriched in 10 minutes");
    }
    return lastAt;
  }

  private static double pct(long[] sorted, double p) {
    return sorted.length == 0
        ? 0
        : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
  }

  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  static long rssMb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux
    }
    return -1;
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
