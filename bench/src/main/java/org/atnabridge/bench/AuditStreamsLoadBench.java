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
import java.util.UUID;
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
import org.atnabridge.streams.StreamsSettings;
import org.atnabridge.streams.enrich.EnrichmentConfig;
import org.atnabridge.streams.reference.ReferenceFile;
import org.atnabridge.streams.reference.ReferenceLoader;
import org.atnabridge.testing.TestVectors;

/**
 * Load benchmark of the audit-streams stage (issue 4): the embedded KRaft broker and {@link
 * AuditStreams} (convert + enrich + label + chain, exactly-once v2) in this JVM, as {@code serve}
 * runs them, with {@code atna.raw}, {@code audit.events} and {@code audit.enriched} at 3
 * partitions. Sends N distinct ATNA messages (ipf-pixfeed, made unique) to {@code atna.raw} at a
 * target rate (0 = as fast as possible) and reads {@code audit.enriched} (read_committed).
 *
 * <p>Reports: throughput (N / time from the first send to the last enriched record read),
 * end-to-end latency p50/p99/max = the time an enriched record is read minus its {@code atna.raw}
 * append time (CreateTime set by the producer, which Streams carries through), heap used after a
 * GC, and the process RSS (broker included).
 *
 * <p>{@code java -cp ... org.atnabridge.bench.AuditStreamsLoadBench [events=200000] [rate=0]}
 */
public final class AuditStreamsLoadBench {

  private AuditStreamsLoadBench() {}

  /** The measured numbers. */
  public record Result(int events, double seconds, double eventsPerSecond, double p50Ms, double p99Ms, double maxMs,
      long heapUsedMb, long rssMb) {
    @Override
    public String toString() {
      return String.format(Locale.ROOT, "events=%d time=%.1fs throughput=%.0f/s latency p50=%.0fms p99=%.0fms max=%.0fms"
          + " heap-after-gc=%dMB rss=%dMB", events, seconds, eventsPerSecond, p50Ms, p99Ms, maxMs, heapUsedMb, rssMb);
    }
  }

  public static void main(String[] args) throws Exception {
    int events = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    int rate = args.length > 1 ? Integer.parseInt(args[1]) : 0;
    System.out.println(run(events, rate));
    System.exit(0);
  }

  public static Result run(int events, int rate) throws Exception {
    Path dir = Files.createTempDirectory("streams-bench-");
    try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dir.resolve("kafka"), 0, Map.of()).start()) {
      String bootstrap = broker.bootstrapServers();
      List<NewTopic> topics = Topics.newTopics((short) 1);
      broker.createTopics(topics);
      ReferenceLoader.send(bootstrap, ReferenceFile.parse("""
          kind,id,system,value,display,confidentiality,flags
          practitioner,pkl,,PKL|SAP-ISH,Dr. Petra Keller,,
          patient,pat-7627199,urn:oid:2.16.840.1.113883.3.37.4.1.1.2.411.1,7627199,Hans Zimmermann,R,VIP
          device,mpi,,MPI,Master Patient Index,,
          """).records(), Duration.ofSeconds(30));
      byte[][] frames = frames(events);
      StreamsSettings settings = new StreamsSettings(bootstrap, dir.resolve("streams"), 1, 1, 100,
          Map.of("producer.linger.ms", "20", "producer.batch.size", String.valueOf(512 * 1024)));
      try (AuditStreams streams = AuditStreams.start(settings, new AtnaConverter(),
          EnrichmentConfig.defaults(), dir.resolve("keys"))) {
        long[] latency = new long[events];
        AtomicLong received = new AtomicLong();
        long start = System.nanoTime();
        Thread producerThread = Thread.ofPlatform().name("bench-producer").start(() -> produce(bootstrap, frames, rate));
        long lastAt = consume(bootstrap, events, latency, received);
        producerThread.join();
        double seconds = (lastAt - start) / 1e9;
        long[] sorted = Arrays.copyOf(latency, (int) received.get());
        Arrays.sort(sorted);
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024 * 1024);
        return new Result(events, seconds, events / seconds, pct(sorted, 0.50), pct(sorted, 0.99),
            sorted.length == 0 ? 0 : sorted[sorted.length - 1], heap, rssMb());
      }
    } finally {
      deleteTree(dir);
    }
  }

  static byte[][] frames(int n) {
    String xml = new String(TestVectors.bytes("dicom-audit-xml/ipf-pixfeed.xml"), StandardCharsets.UTF_8);
    String prefix = "<85>1 2026-01-01T00:00:00Z bench-host app - IHE+RFC-3881 - ";
    byte[][] frames = new byte[n][];
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    for (int i = 0; i < n; i++) {
      frames[i] = (prefix + xml.replace("2020-03-19T12:24:34.434Z", t0.plusMillis(i).toString())
          .replace("MTIzNDU2", java.util.Base64.getEncoder().encodeToString(("b" + i).getBytes(StandardCharsets.UTF_8))))
          .getBytes(StandardCharsets.UTF_8);
    }
    return frames;
  }

  private static void produce(String bootstrap, byte[][] frames, int rate) {
    try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
        ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"), new ByteArraySerializer(), new ByteArraySerializer())) {
      long start = System.nanoTime();
      for (int i = 0; i < frames.length; i++) {
        if (rate > 0) {
          long due = start + (long) (i * (1e9 / rate));
          long wait = due - System.nanoTime();
          if (wait > 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(wait);
          }
        }
        String peer = "10.0.0." + (i % 50);
        ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(Topics.ATNA_RAW.name(),
            peer.getBytes(StandardCharsets.UTF_8), frames[i]);
        RawHeaders.put(r.headers(), RawHeaders.TRANSPORT, "tcp");
        RawHeaders.put(r.headers(), RawHeaders.PEER, peer + ":40000");
        p.send(r);
      }
      p.flush();
    }
  }

  private static long consume(String bootstrap, int events, long[] latency, AtomicLong received) {
    long lastAt = System.nanoTime();
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000),
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      c.subscribe(List.of(Topics.AUDIT_ENRICHED.name()));
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
      throw new IllegalStateException("only " + received.get() + " of " + events + " events enriched in 10 minutes");
    }
    return lastAt;
  }

  private static double pct(long[] sorted, double p) {
    return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
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
