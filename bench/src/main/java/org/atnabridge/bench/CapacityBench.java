package org.atnabridge.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.atnabridge.kafka.embedded.EmbeddedKafkaBroker;
import org.atnabridge.schemas.RawHeaders;
import org.atnabridge.schemas.Topic;
import org.atnabridge.schemas.Topics;
import org.atnabridge.streams.reference.ReferenceFile;
import org.atnabridge.streams.reference.ReferenceLoader;
import org.atnabridge.testing.ElasticsearchExtension;
import org.atnabridge.testing.ElasticsearchNode;
import org.atnabridge.testing.FreePorts;
import org.jspecify.annotations.Nullable;

/**
 * Capacity of each scaled-out service (bench/README.md, "Capacity"): the services run as JVMs of
 * the packaged jar ({@code atna-bridge ingest|streams|indexer}) against an embedded broker in this
 * JVM, with the partitioned topics at {@value #PARTITIONS} partitions, and each is charged its own
 * CPU time (the OS's count for its process), measured from a state where it is started and idle, so
 * JVM start-up is left out:
 *
 * <ul>
 *   <li>{@code ingest}: one ingest JVM receives numbered ATNA messages (ipf-pixfeed in an RFC 5424
 *       frame, octet counting) on one TCP connection, until all are in {@code atna.raw};
 *   <li>{@code streams}: 1, then 2, streams JVMs convert, enrich, label and chain messages sent to
 *       {@code atna.raw} until all are read (read_committed) from {@code audit.enriched};
 *   <li>{@code indexer}: 1, then 2, indexer JVMs index those {@code audit.enriched} records
 *       (captured from the streams run, written back to the same partitions) into a real
 *       Elasticsearch until its {@code _count} has them all; then the index's store size per
 *       million events (after refresh and flush, and again after a force-merge).
 * </ul>
 *
 * <p>Each service first gets {@code warmup} events, waited for, so that the measured window has a
 * JIT-compiled service rather than a cold one. {@code java -cp ... CapacityBench
 * ingest|streams|indexer|all EVENTS [INSTANCES=1,2] [WARMUP=0] [INGEST_EVENTS=EVENTS]
 * [ELASTICSEARCH_URL]}; without a URL the bench starts a dedicated node (the integ-test
 * distribution, as {@code StoreLoadBench} does) and also charges the indexer runs with that node's
 * CPU.
 */
public final class CapacityBench {

  /** Partitions of the partitioned topics: what {@code compose/cluster} creates. */
  static final int PARTITIONS = 6;

  private static final Duration READY = Duration.ofSeconds(180);
  private static final Duration DEADLINE = Duration.ofMinutes(20);

  private CapacityBench() {}

  /**
   * One measured run.
   *
   * @param cpuNanos CPU time of the service JVMs over the window
   * @param otherCpuNanos CPU time over the window of what the service leans on: Elasticsearch for
   *     the indexer (-1 when not known), this JVM (broker, load, reader) otherwise
   * @param load the 1/5/15-minute load averages before and after
   */
  public record Measurement(
      String service,
      int instances,
      int events,
      double seconds,
      long cpuNanos,
      long otherCpuNanos,
      String load) {

    public double eventsPerSecond() {
      return events / seconds;
    }

    public double cpuMsPerEvent() {
      return cpuNanos / 1e6 / events;
    }

    /** Events per second one fully busy core gives at this CPU per event. */
    public double eventsPerCoreSecond() {
      return 1000 / cpuMsPerEvent();
    }

    @Override
    public String toString() {
      String other =
          otherCpuNanos < 0
              ? ""
              : String.format(
                  Locale.ROOT,
                  " %s-cpu=%.3fms/event",
                  service.equals("indexer") ? "elasticsearch" : "broker+bench",
                  otherCpuNanos / 1e6 / events);
      return String.format(
          Locale.ROOT,
          "%s x%d: events=%d time=%.1fs rate=%.0f/s cpu=%.3fms/event (%.2f cores, %.0f events/s per"
              + " core)%s load=%s",
          service,
          instances,
          events,
          seconds,
          eventsPerSecond(),
          cpuMsPerEvent(),
          cpuNanos / 1e9 / seconds,
          eventsPerCoreSecond(),
          other,
          load);
    }
  }

  /** Everything one invocation measured. */
  public record Result(
      List<Measurement> measurements,
      ElasticsearchStats.@Nullable Storage storage,
      ElasticsearchStats.@Nullable Storage merged) {
    @Override
    public String toString() {
      StringBuilder s = new StringBuilder();
      measurements.forEach(m -> s.append(m).append('\n'));
      if (storage != null) {
        s.append(storageLine("refreshed + flushed", storage));
      }
      if (merged != null) {
        s.append(storageLine("force-merged", merged));
      }
      return s.toString();
    }

    private static String storageLine(String when, ElasticsearchStats.Storage st) {
      return String.format(
          Locale.ROOT,
          "elasticsearch %s: docs=%d primaries=%d B total(with replicas)=%d B -> %.1f MB per"
              + " million events%n",
          when,
          st.docs(),
          st.primaryBytes(),
          st.totalBytes(),
          st.bytesPerMillion() / 1e6);
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println(
          "usage: CapacityBench ingest|streams|indexer|all EVENTS [INSTANCES=1,2] [WARMUP=0]"
              + " [INGEST_EVENTS=EVENTS] [ELASTICSEARCH_URL]");
      System.exit(2);
    }
    String mode = args[0];
    int events = Integer.parseInt(args[1]);
    List<Integer> instances =
        Arrays.stream((args.length > 2 ? args[2] : "1,2").split(","))
            .map(Integer::parseInt)
            .toList();
    int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 0;
    int ingestEvents = args.length > 4 ? Integer.parseInt(args[4]) : events;
    Result r;
    if (args.length > 5 || !(mode.equals("indexer") || mode.equals("all"))) {
      r = run(mode, events, instances, warmup, ingestEvents, args.length > 5 ? args[5] : null);
    } else {
      try (ElasticsearchNode es = ElasticsearchExtension.startDedicated(Duration.ofSeconds(300))) {
        r = run(mode, events, instances, warmup, ingestEvents, es.url());
      }
    }
    System.out.print(r);
    System.exit(0);
  }

  /**
   * Runs the services {@code mode} names ({@code ingest}, {@code streams}, {@code indexer} or
   * {@code all}) with each count of {@code instances}; the indexer's input is the output of the
   * first streams run (one is made for it when {@code mode} is {@code indexer}).
   *
   * @param elasticsearchUrl required for {@code indexer} and {@code all}
   */
  public static Result run(
      String mode,
      int events,
      List<Integer> instances,
      int warmup,
      int ingestEvents,
      @Nullable String elasticsearchUrl)
      throws Exception {
    if (!List.of("ingest", "streams", "indexer", "all").contains(mode)) {
      throw new IllegalArgumentException("mode must be ingest, streams, indexer or all: " + mode);
    }
    List<Measurement> out = new Progress();
    if (mode.equals("ingest") || mode.equals("all")) {
      out.add(ingest(ingestEvents, warmup));
    }
    if (mode.equals("streams") || mode.equals("all")) {
      List<ProducerRecord<byte[], byte[]>> enriched = new ArrayList<>();
      for (int k : instances) {
        out.add(streams(k, events, warmup, enriched.isEmpty() ? enriched : null));
      }
      if (mode.equals("streams")) {
        return new Result(out, null, null);
      }
      return indexers(out, instances, events, warmup, enriched, elasticsearchUrl);
    }
    if (mode.equals("indexer")) {
      List<ProducerRecord<byte[], byte[]>> enriched = new ArrayList<>();
      out.add(streams(1, events, warmup, enriched));
      return indexers(out, instances, events, warmup, enriched, elasticsearchUrl);
    }
    return new Result(out, null, null);
  }

  /** The measurements, each printed as it is made: a long run shows where it is. */
  private static final class Progress extends ArrayList<Measurement> {
    private static final long serialVersionUID = 1L;

    @Override
    public boolean add(Measurement m) {
      System.out.println("measured: " + m);
      return super.add(m);
    }
  }

  private static Result indexers(
      List<Measurement> out,
      List<Integer> instances,
      int events,
      int warmup,
      List<ProducerRecord<byte[], byte[]>> enriched,
      @Nullable String elasticsearchUrl)
      throws Exception {
    if (elasticsearchUrl == null) {
      throw new IllegalArgumentException("the indexer runs need an Elasticsearch URL");
    }
    ElasticsearchStats es = new ElasticsearchStats(elasticsearchUrl);
    ElasticsearchStats.Storage storage = null;
    ElasticsearchStats.Storage merged = null;
    for (int k : instances) {
      String alias = "capacity-" + k + "-" + UUID.randomUUID().toString().substring(0, 8);
      out.add(indexer(k, events, warmup, enriched, elasticsearchUrl, alias));
      if (storage == null) {
        storage = es.storage(alias, false);
        merged = es.storage(alias, true);
      }
    }
    return new Result(out, storage, merged);
  }

  /** One ingest JVM, numbered messages over one TCP connection, until all are in atna.raw. */
  static Measurement ingest(int events, int warmup) throws Exception {
    Path dir = Files.createTempDirectory("capacity-ingest-");
    try (EmbeddedKafkaBroker broker = broker(dir)) {
      String bootstrap = broker.bootstrapServers();
      int port = FreePorts.next();
      try (ServiceJvm ingest =
              ServiceJvm.start(
                      dir.resolve("ingest.log"),
                      "ingest",
                      "--kafka-bootstrap",
                      bootstrap,
                      "--data-dir",
                      dir.resolve("ingest").toString(),
                      "--syslog-host",
                      "127.0.0.1",
                      "--syslog-port",
                      String.valueOf(port),
                      "--syslog-tls-port",
                      "0",
                      "--health-port",
                      String.valueOf(FreePorts.next()))
                  .awaitReady(READY);
          Socket socket = new Socket("127.0.0.1", port);
          KafkaConsumer<byte[], byte[]> offsets = consumer(bootstrap)) {
        OutputStream net = new BufferedOutputStream(socket.getOutputStream(), 256 * 1024);
        AuditStreamsLoadBench.Frames frames = new AuditStreamsLoadBench.Frames();
        List<TopicPartition> raw = partitions(offsets, Topics.ATNA_RAW);
        if (warmup > 0) {
          sendFrames(net, frames, 0, warmup);
          awaitOffsets(offsets, raw, warmup, List.of(ingest));
        }
        Window w = Window.open(List.of(ingest), CapacityBench::selfCpuNanos);
        sendFrames(net, frames, warmup, events);
        awaitOffsets(offsets, raw, (long) warmup + events, List.of(ingest));
        return w.close("ingest", 1, events);
      }
    } finally {
      deleteTree(dir);
    }
  }

  /**
   * {@code k} streams JVMs, started and idle before the first message is sent; the measured window
   * runs from the first send to the last enriched record read. Adds every enriched record (warm-up
   * first) to {@code capture} when it is not null.
   */
  static Measurement streams(
      int k, int events, int warmup, @Nullable List<ProducerRecord<byte[], byte[]>> capture)
      throws Exception {
    Path dir = Files.createTempDirectory("capacity-streams-");
    List<ServiceJvm> jvms = new ArrayList<>();
    try (EmbeddedKafkaBroker broker = broker(dir)) {
      String bootstrap = broker.bootstrapServers();
      ReferenceLoader.send(
          bootstrap,
          ReferenceFile.parse(AuditStreamsLoadBench.REFERENCE_CSV).records(),
          Duration.ofSeconds(30));
      for (int i = 1; i <= k; i++) {
        jvms.add(
            ServiceJvm.start(
                dir.resolve("streams-" + i + ".log"),
                "streams",
                "--kafka-bootstrap",
                bootstrap,
                "--data-dir",
                dir.resolve("streams-" + i).toString(),
                "--health-port",
                String.valueOf(FreePorts.next())));
      }
      for (ServiceJvm j : jvms) {
        j.awaitReady(READY);
      }
      Thread.sleep(5_000); // the group's rebalance settles: every instance owns its tasks
      try (KafkaConsumer<byte[], byte[]> reader = consumer(bootstrap)) {
        List<TopicPartition> enriched = partitions(reader, Topics.AUDIT_ENRICHED);
        reader.assign(enriched);
        reader.seekToBeginning(enriched);
        AuditStreamsLoadBench.Frames frames = new AuditStreamsLoadBench.Frames();
        if (warmup > 0) {
          produceRaw(bootstrap, frames, 0, warmup);
          read(reader, warmup, capture, jvms);
        }
        Window w = Window.open(jvms, CapacityBench::selfCpuNanos);
        Thread producer =
            Thread.ofPlatform()
                .name("bench-producer")
                .start(() -> produceRaw(bootstrap, frames, warmup, events));
        read(reader, events, capture, jvms);
        producer.join();
        return w.close("streams", k, events);
      }
    } finally {
      for (ServiceJvm j : jvms) {
        j.close();
      }
      deleteTree(dir);
    }
  }

  /**
   * {@code k} indexer JVMs into {@code alias}, started and idle before {@code enriched} is written
   * to {@code audit.enriched}; the window runs from the first write to the {@code _count} that
   * shows every event.
   */
  static Measurement indexer(
      int k,
      int events,
      int warmup,
      List<ProducerRecord<byte[], byte[]>> enriched,
      String elasticsearchUrl,
      String alias)
      throws Exception {
    if (enriched.size() < warmup + events) {
      throw new IllegalStateException(
          "only " + enriched.size() + " enriched records for " + (warmup + events));
    }
    ElasticsearchStats es = new ElasticsearchStats(elasticsearchUrl);
    Path dir = Files.createTempDirectory("capacity-indexer-");
    List<ServiceJvm> jvms = new ArrayList<>();
    try (EmbeddedKafkaBroker broker = broker(dir)) {
      String bootstrap = broker.bootstrapServers();
      for (int i = 1; i <= k; i++) {
        jvms.add(
            ServiceJvm.start(
                dir.resolve("indexer-" + i + ".log"),
                "indexer",
                "--kafka-bootstrap",
                bootstrap,
                "--data-dir",
                dir.resolve("indexer-" + i).toString(),
                "--elasticsearch-url",
                elasticsearchUrl,
                "--elasticsearch-index",
                alias,
                "--health-port",
                String.valueOf(FreePorts.next())));
      }
      for (ServiceJvm j : jvms) {
        j.awaitReady(READY);
      }
      Thread.sleep(5_000); // the group's rebalance settles
      if (warmup > 0) {
        produce(bootstrap, enriched.subList(0, warmup));
        awaitCount(es, alias, warmup, jvms);
      }
      Window w = Window.open(jvms, CapacityBench::elasticsearchCpuNanos);
      produce(bootstrap, enriched.subList(warmup, warmup + events));
      awaitCount(es, alias, (long) warmup + events, jvms);
      return w.close("indexer", k, events);
    } finally {
      for (ServiceJvm j : jvms) {
        j.close();
      }
      deleteTree(dir);
    }
  }

  /**
   * The measured window: wall time, the services' CPU time, the other party's CPU time ({@code
   * other}: -1 when unknown) and the load averages, from open to close.
   */
  private record Window(
      List<ServiceJvm> jvms, LongSupplier other, long start, long cpu, long otherCpu, String load) {
    static Window open(List<ServiceJvm> jvms, LongSupplier other) {
      return new Window(
          jvms,
          other,
          System.nanoTime(),
          ServiceJvm.cpuNanos(jvms),
          other.getAsLong(),
          loadAverage());
    }

    Measurement close(String service, int k, int events) {
      long end = System.nanoTime();
      long cpuNow = ServiceJvm.cpuNanos(jvms);
      long otherNow = other.getAsLong();
      return new Measurement(
          service,
          k,
          events,
          (end - start) / 1e9,
          cpuNow - cpu,
          otherNow < 0 || otherCpu < 0 ? -1 : otherNow - otherCpu,
          load + " -> " + loadAverage());
    }
  }

  private static EmbeddedKafkaBroker broker(Path dir) {
    EmbeddedKafkaBroker broker =
        new EmbeddedKafkaBroker(dir.resolve("kafka"), FreePorts.next(), Map.of()).start();
    List<NewTopic> topics = new ArrayList<>();
    for (Topic<?, ?> t : Topics.ALL) {
      // as `topics create --partitions 6`: the partitioned topics get 6, the others their own
      topics.add(
          new NewTopic(t.name(), t.partitions() > 1 ? PARTITIONS : t.partitions(), (short) 1)
              .configs(t.config()));
    }
    broker.createTopics(topics);
    return broker;
  }

  /** Octet-counted RFC 5424 frames (RFC 6587), as a node sends them over TCP. */
  private static void sendFrames(
      OutputStream net, AuditStreamsLoadBench.Frames frames, int from, int count)
      throws IOException {
    for (int i = from; i < from + count; i++) {
      byte[] frame = frames.frame(i);
      net.write((frame.length + " ").getBytes(StandardCharsets.US_ASCII));
      net.write(frame);
    }
    net.flush();
  }

  /** Numbered messages to atna.raw with the headers ingest sets, keyed by 50 peers. */
  private static void produceRaw(
      String bootstrap, AuditStreamsLoadBench.Frames frames, int from, int count) {
    try (KafkaProducer<byte[], byte[]> p = producer(bootstrap)) {
      for (int i = from; i < from + count; i++) {
        String peer = "10.0.0." + (i % 50);
        ProducerRecord<byte[], byte[]> r =
            new ProducerRecord<>(
                Topics.ATNA_RAW.name(), peer.getBytes(StandardCharsets.UTF_8), frames.frame(i));
        RawHeaders.put(r.headers(), RawHeaders.TRANSPORT, "tcp");
        RawHeaders.put(r.headers(), RawHeaders.PEER, peer + ":40000");
        p.send(r);
      }
      p.flush();
    }
  }

  private static void produce(String bootstrap, List<ProducerRecord<byte[], byte[]>> records) {
    try (KafkaProducer<byte[], byte[]> p = producer(bootstrap)) {
      records.forEach(p::send);
      p.flush();
    }
  }

  private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ProducerConfig.LINGER_MS_CONFIG,
            5,
            ProducerConfig.BATCH_SIZE_CONFIG,
            256 * 1024,
            ProducerConfig.COMPRESSION_TYPE_CONFIG,
            "lz4",
            ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
            Topics.MAX_EVENT_RECORD_BYTES),
        new ByteArraySerializer(),
        new ByteArraySerializer());
  }

  private static KafkaConsumer<byte[], byte[]> consumer(String bootstrap) {
    return new KafkaConsumer<>(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed",
            ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
            5000),
        new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
  }

  private static List<TopicPartition> partitions(
      KafkaConsumer<byte[], byte[]> c, Topic<?, ?> topic) {
    return c.partitionsFor(topic.name()).stream()
        .map(p -> new TopicPartition(p.topic(), p.partition()))
        .toList();
  }

  /**
   * Reads {@code count} records, copying each (same partition, key, value, headers, timestamp) to
   * {@code capture} when it is not null.
   */
  private static void read(
      KafkaConsumer<byte[], byte[]> reader,
      int count,
      @Nullable List<ProducerRecord<byte[], byte[]>> capture,
      List<ServiceJvm> jvms) {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    int seen = 0;
    while (seen < count) {
      for (ConsumerRecord<byte[], byte[]> r : reader.poll(Duration.ofMillis(100))) {
        seen++;
        if (capture != null) {
          capture.add(
              new ProducerRecord<>(
                  r.topic(), r.partition(), r.timestamp(), r.key(), r.value(), copy(r.headers())));
        }
      }
      check(seen, count, deadline, jvms);
    }
  }

  private static Iterable<org.apache.kafka.common.header.Header> copy(Headers headers) {
    return Arrays.asList(headers.toArray());
  }

  private static void awaitOffsets(
      KafkaConsumer<byte[], byte[]> c, List<TopicPartition> tps, long count, List<ServiceJvm> jvms)
      throws InterruptedException {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (true) {
      long sum = c.endOffsets(tps).values().stream().mapToLong(Long::longValue).sum();
      if (sum >= count) {
        return;
      }
      check(sum, count, deadline, jvms);
      Thread.sleep(50);
    }
  }

  private static void awaitCount(
      ElasticsearchStats es, String alias, long count, List<ServiceJvm> jvms)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (true) {
      long n = es.count(alias);
      if (n >= count) {
        return;
      }
      check(n, count, deadline, jvms);
      Thread.sleep(250);
    }
  }

  private static void check(long seen, long count, long deadline, List<ServiceJvm> jvms) {
    for (ServiceJvm j : jvms) {
      if (!j.isAlive()) {
        throw new IllegalStateException(
            "a service died at " + seen + " of " + count + ":\n" + j.tail());
      }
    }
    if (System.nanoTime() > deadline) {
      throw new IllegalStateException("only " + seen + " of " + count + " in " + DEADLINE);
    }
  }

  /** This JVM's CPU time: the embedded broker, the load generator and the reader. */
  static long selfCpuNanos() {
    return AuditStreamsLoadBench.processCpuNanos();
  }

  /**
   * CPU time of the Elasticsearch processes this JVM started (a dedicated node), -1 when there are
   * none (a node given by URL).
   */
  static long elasticsearchCpuNanos() {
    long[] sum = {0};
    boolean[] found = {false};
    ProcessHandle.current()
        .descendants()
        .filter(p -> p.info().commandLine().map(c -> c.contains("org.elasticsearch")).orElse(false))
        .forEach(
            p -> {
              found[0] = true;
              sum[0] += p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
            });
    return found[0] ? sum[0] : -1;
  }

  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + "/" + f[1] + "/" + f[2];
    } catch (IOException e) {
      return String.format(
          Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
