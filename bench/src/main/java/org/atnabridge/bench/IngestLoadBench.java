package org.atnabridge.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.atnabridge.ingest.KafkaRawMessageSink;
import org.atnabridge.ingest.ListenerConfig;
import org.atnabridge.ingest.SyslogListener;
import org.atnabridge.ingest.TlsConfig;
import org.atnabridge.kafka.embedded.EmbeddedKafkaBroker;
import org.atnabridge.schemas.Topics;

/**
 * Ingest load test (bench/README.md, "Ingest"), not a JMH benchmark and never run by {@code mvn
 * verify}: syslog-ng's {@code loggen} sends 1 KiB RFC 5424 messages (octet counting) to the ingest
 * listener, which writes them to an embedded single-node Kafka broker in this JVM; the rate is
 * messages acknowledged by Kafka (end offsets of {@code atna.raw}) per second of wall time, from
 * loggen's start until the last one is in Kafka, and loss is loggen's count minus the records in
 * Kafka. The same loggen load then goes to rsyslog ({@code imptcp} → file) for comparison. Loads
 * target 127.0.0.1 only. Run through {@code bench/ingest-bench.sh}, which prepares certificates and
 * rsyslog.
 *
 * <p>Arguments: {@code seconds connections workDir tlsCert tlsKey tlsCa rsyslogd rsyslogModules}.
 */
public final class IngestLoadBench {

  private static final Pattern COUNT =
      Pattern.compile("average rate = ([\\d.]+) msg/sec, count=(\\d+)");

  private IngestLoadBench() {}

  record Result(String name, long sent, long stored, double seconds, double loggenRate) {
    double rate() {
      return stored / seconds;
    }

    @Override
    public String toString() {
      return String.format(
          "%-22s sent=%d stored=%d lost=%d wall=%.2fs rate=%.0f msg/s (loggen send rate %.0f)",
          name, sent, stored, sent - stored, seconds, rate(), loggenRate);
    }
  }

  public static void main(String[] args) throws Exception {
    int seconds = Integer.parseInt(args[0]);
    int connections = Integer.parseInt(args[1]);
    Path work = Path.of(args[2]);
    TlsConfig tls =
        TlsConfig.mutual(Path.of(args[3]), Path.of(args[4]), Path.of(args[5]))
            .withClientAuth(TlsConfig.ClientAuth.NONE);
    Files.createDirectories(work);
    List<Result> results = new ArrayList<>();
    try (EmbeddedKafkaBroker broker =
        new EmbeddedKafkaBroker(work.resolve("kafka"), 0, Map.of()).start()) {
      broker.createTopics(Topics.newTopics((short) 1));
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      KafkaRawMessageSink sink =
          new KafkaRawMessageSink(
              Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()), registry);
      ListenerConfig base =
          new ListenerConfig(
              "127.0.0.1", 0, ListenerConfig.DEFAULT_MAX_FRAME_LENGTH, Duration.ofMinutes(5));
      // two event loops: the machine has two cores, shared with loggen and the broker
      try (SyslogListener tcp = new SyslogListener(base, sink, registry, 2).start();
          SyslogListener tlsListener =
              new SyslogListener(base.withTls(tls), sink, registry, 2).start();
          Admin admin =
              Admin.create(
                  Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
        // warm-up (JIT, producer metadata), not reported
        run("warm-up", admin, tcp.port(), false, 5, connections);
        results.add(run("ingest TCP -> Kafka", admin, tcp.port(), false, seconds, connections));
        report("after TCP");
        results.add(
            run("ingest TLS -> Kafka", admin, tlsListener.port(), true, seconds, connections));
        report("after TLS");
      } finally {
        sink.close();
      }
    }
    if (args.length >= 8) {
      results.add(
          rsyslog(
              Path.of(args[6]), Path.of(args[7]), work.resolve("rsyslog"), seconds, connections));
    }
    System.out.println();
    results.forEach(System.out::println);
    if (results.size() == 3) {
      System.out.printf(
          "ratio ingest TCP / rsyslog = %.2f%n", results.get(0).rate() / results.get(2).rate());
      System.out.printf(
          "ratio ingest TLS / rsyslog = %.2f%n", results.get(1).rate() / results.get(2).rate());
    }
  }

  private static Result run(
      String name, Admin admin, int port, boolean tls, int seconds, int connections)
      throws Exception {
    long before = rawRecords(admin);
    long t0 = System.nanoTime();
    double[] loggen = loggen(port, tls, seconds, connections);
    long sent = (long) loggen[1];
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    long stored;
    while ((stored = rawRecords(admin) - before) < sent && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    double wall = (System.nanoTime() - t0) / 1e9;
    Result r = new Result(name, sent, stored, wall, loggen[0]);
    System.out.println(r);
    return r;
  }

  /** Sum of the end offsets of atna.raw: every record the broker acknowledged. */
  private static long rawRecords(Admin admin) throws Exception {
    Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
    for (int p = 0; p < Topics.ATNA_RAW.partitions(); p++) {
      latest.put(new TopicPartition(Topics.ATNA_RAW.name(), p), OffsetSpec.latest());
    }
    return admin.listOffsets(latest).all().get().values().stream().mapToLong(i -> i.offset()).sum();
  }

  /** Returns {rate, count} as loggen reports them. */
  private static double[] loggen(int port, boolean tls, int seconds, int connections)
      throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                "loggen",
                tls ? "-U" : "-S",
                "-P",
                "-s",
                "1024",
                "-r",
                "100000000",
                "-I",
                Integer.toString(seconds),
                "--active-connections=" + connections,
                "-Q",
                "127.0.0.1",
                Integer.toString(port)));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    Matcher m = COUNT.matcher(out);
    if (!m.find()) {
      throw new IllegalStateException("unexpected loggen output: " + out);
    }
    return new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2))};
  }

  /** rsyslogd with imptcp → omfile on a free port; rate = lines in the file per wall second. */
  private static Result rsyslog(Path rsyslogd, Path modules, Path dir, int seconds, int connections)
      throws Exception {
    Files.createDirectories(dir);
    int port;
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path out = dir.resolve("messages.log");
    Files.deleteIfExists(out);
    Path conf = dir.resolve("rsyslog.conf");
    Files.writeString(
        conf,
        """
        global(workDirectory="%s" maxMessageSize="64k")
        module(load="imptcp" threads="2")
        input(type="imptcp" port="%d" address="127.0.0.1")
        main_queue(queue.type="FixedArray" queue.size="100000")
        *.* action(type="omfile" file="%s" asyncWriting="on" ioBufferSize="256k" flushOnTXEnd="off")
        """
            .formatted(dir, port, out));
    Process daemon =
        new ProcessBuilder(
                rsyslogd.toString(),
                "-n",
                "-f",
                conf.toString(),
                "-i",
                dir.resolve("rsyslogd.pid").toString(),
                "-M",
                modules.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("rsyslogd.out").toFile())
            .start();
    try {
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (!listening(port) && System.nanoTime() < until) {
        Thread.sleep(100);
      }
      loggen(port, false, 5, connections); // warm-up
      // asynchronous writing: wait until the warm-up is in the file
      long before = -1;
      for (long now = lines(out); now != before; now = lines(out)) {
        before = now;
        Thread.sleep(1000);
      }
      long t0 = System.nanoTime();
      double[] loggen = loggen(port, false, seconds, connections);
      long sent = (long) loggen[1];
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      long stored;
      while ((stored = lines(out) - before) < sent && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      Result r =
          new Result(
              "rsyslog imptcp -> file", sent, stored, (System.nanoTime() - t0) / 1e9, loggen[0]);
      System.out.println(r);
      System.out.println("rsyslogd RSS: " + rss(daemon.pid()));
      return r;
    } finally {
      daemon.destroy();
      daemon.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static boolean listening(int port) {
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static long lines(Path file) throws IOException {
    if (!Files.exists(file)) {
      return 0;
    }
    long n = 0;
    byte[] buf = new byte[1 << 20];
    try (var in = Files.newInputStream(file)) {
      int r;
      while ((r = in.read(buf)) > 0) {
        for (int i = 0; i < r; i++) {
          if (buf[i] == '\n') {
            n++;
          }
        }
      }
    }
    return n;
  }

  private static void report(String when) throws IOException {
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    System.out.printf(
        "%s: heap used %d MiB of %d MiB committed (max %d MiB); process %s%n",
        when,
        heap.getUsed() >> 20,
        heap.getCommitted() >> 20,
        heap.getMax() >> 20,
        rss(ProcessHandle.current().pid()));
  }

  private static String rss(long pid) throws IOException {
    String rss = "?";
    String hwm = "?";
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        rss = line.substring(6).trim();
      } else if (line.startsWith("VmHWM:")) {
        hwm = line.substring(6).trim();
      }
    }
    return "RSS " + rss + " (peak " + hwm + ")";
  }
}
