package org.atnabridge.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.atnabridge.allinone.Pipeline;
import org.atnabridge.allinone.PipelineConfig;
import org.atnabridge.schemas.Topics;
import org.atnabridge.testing.TestVectors;

/**
 * Alert latency on the all-in-one (bench/README.md, "Alert rules"), not run by {@code mvn verify}:
 * one {@link Pipeline} in this JVM with a rules file of one {@code match} rule that every message
 * meets and a webhook channel to a JDK {@link HttpServer} in this JVM. ATNA messages go over TCP
 * syslog (RFC 5424, octet counting) at an offered rate, each naming a patient of its own whose id
 * carries the message's number; the receiver reads the number back from the alert JSON. Reported:
 * syslog send to webhook receipt per alert (p50, p99, max), and alerts/s received.
 *
 * <p>Each alert's latency is also split where it became visible ({@code read_committed}) on {@code
 * audit.enriched} (the alert application's input) and on {@code audit.alerts} (its output), and at
 * its {@code detectedAt}.
 *
 * <p>Arguments: {@code offeredEventsPerSecond seconds [drainSeconds=120] [alertEvery=1]
 * [defaultPack=false] [warmupSeconds=0]}. With {@code warmupSeconds} W, W seconds of messages at
 * the offered rate go first, unmeasured, and the run waits for their alerts: the measured messages
 * meet a warm JVM instead of its start-up backlog. With {@code alertEvery} N, one message in N
 * (outcome "serious failure", DICOM 8) meets the rule and the others do not: the load of the stream
 * and the rate of alerts are set apart. {@code defaultPack} true enables the whole default rule
 * pack beside it (its rules notify no channel), so every event is evaluated as a site's would be.
 */
public final class AlertLatencyBench {

  private static final String PIXFEED = "dicom-audit-xml/ipf-pixfeed.xml";
  private static final Pattern NUMBER = Pattern.compile("lat(\\d+)x");
  private static final Pattern DETECTED = Pattern.compile("\"detectedAt\"\\s*:\\s*\"([^\"]+)\"");

  private AlertLatencyBench() {}

  /** What one run measured. */
  record Result(
      int offered,
      int sent,
      double sendSeconds,
      int expected,
      int received,
      double seconds,
      List<Double> ms,
      List<Double> toDetectedMs,
      List<Double> detectedToReceiptMs,
      List<Double> toEnrichedMs,
      List<Double> enrichedToDetectedMs,
      List<Double> detectedToCommittedMs) {

    double percentile(double p) {
      return percentile(ms, p);
    }

    static double percentile(List<Double> values, double p) {
      return LatencyRuns.percentile(values, p);
    }

    @Override
    public String toString() {
      return String.format(
          "offered=%d/s sent=%d in %.1fs (%.0f/s) alerts expected=%d received=%d, %.0f alerts/s"
              + " over %.1fs; syslog send -> webhook p50=%.0f ms p99=%.0f ms max=%.0f ms"
              + " (send -> alert detected p50=%.0f p99=%.0f ms; detected -> webhook p50=%.0f"
              + " p99=%.0f ms)%n  split: send -> audit.enriched committed p50=%.0f p99=%.0f ms;"
              + " enriched -> detected p50=%.0f p99=%.0f ms; detected -> audit.alerts committed"
              + " p50=%.0f p99=%.0f ms",
          offered,
          sent,
          sendSeconds,
          sent / sendSeconds,
          expected,
          received,
          received / seconds,
          seconds,
          percentile(0.50),
          percentile(0.99),
          percentile(1.0),
          percentile(toDetectedMs, 0.50),
          percentile(toDetectedMs, 0.99),
          percentile(detectedToReceiptMs, 0.50),
          percentile(detectedToReceiptMs, 0.99),
          percentile(toEnrichedMs, 0.50),
          percentile(toEnrichedMs, 0.99),
          percentile(enrichedToDetectedMs, 0.50),
          percentile(enrichedToDetectedMs, 0.99),
          percentile(detectedToCommittedMs, 0.50),
          percentile(detectedToCommittedMs, 0.99));
    }
  }

  public static void main(String[] args) throws Exception {
    int offered = Integer.parseInt(args[0]);
    int seconds = Integer.parseInt(args[1]);
    int drainSeconds = args.length > 2 ? Integer.parseInt(args[2]) : 120;
    int alertEvery = args.length > 3 ? Integer.parseInt(args[3]) : 1;
    boolean defaultPack = args.length > 4 && Boolean.parseBoolean(args[4]);
    int warmupSeconds = args.length > 5 ? Integer.parseInt(args[5]) : 0;
    System.out.println("load average at the start: " + LatencyRuns.loadAverage());
    System.out.println(run(offered, seconds, drainSeconds, alertEvery, defaultPack, warmupSeconds));
    System.out.println("load average at the end: " + LatencyRuns.loadAverage());
  }

  static Result run(int offered, int seconds, int drainSeconds) throws Exception {
    return run(offered, seconds, drainSeconds, 1, false);
  }

  static Result run(int offered, int seconds, int drainSeconds, int alertEvery, boolean defaultPack)
      throws Exception {
    return run(offered, seconds, drainSeconds, alertEvery, defaultPack, 0);
  }

  /**
   * With {@code warmupSeconds} > 0, first that many seconds of messages at the offered rate, not
   * measured (numbered after the measured ones), and a wait until all their alerts arrived: the
   * measured messages meet a warm JVM and an empty backlog.
   */
  static Result run(
      int offered,
      int seconds,
      int drainSeconds,
      int alertEvery,
      boolean defaultPack,
      int warmupSeconds)
      throws Exception {
    if (alertEvery < 1) {
      throw new IllegalArgumentException("alertEvery < 1");
    }
    if (warmupSeconds < 0) {
      throw new IllegalArgumentException("warmupSeconds < 0");
    }
    int warmup = offered * warmupSeconds;
    int warmupExpected = (warmup + alertEvery - 1) / alertEvery;
    AtomicInteger warmupReceived = new AtomicInteger();
    int total = offered * seconds;
    int expected = (total + alertEvery - 1) / alertEvery;
    AtomicLongArray sentAt = new AtomicLongArray(total);
    AtomicLongArray receivedAt = new AtomicLongArray(total);
    // wall-clock millis, to split the latency at the alert's detectedAt (the engine's clock)
    AtomicLongArray sentWall = new AtomicLongArray(total);
    AtomicLongArray receivedWall = new AtomicLongArray(total);
    AtomicLongArray detectedWall = new AtomicLongArray(total);
    // wall-clock millis when the event became visible (read_committed) on audit.enriched, and its
    // alert on audit.alerts: splits the path at the alert application's input and output
    AtomicLongArray enrichedWall = new AtomicLongArray(total);
    AtomicLongArray committedWall = new AtomicLongArray(total);
    AtomicInteger received = new AtomicInteger();
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/hook",
        exchange -> {
          long now = System.nanoTime();
          long wall = System.currentTimeMillis();
          byte[] body = exchange.getRequestBody().readAllBytes();
          String json = new String(body, StandardCharsets.UTF_8);
          Matcher m = NUMBER.matcher(json);
          if (m.find()) {
            int k = Integer.parseInt(m.group(1));
            if (k >= total) {
              warmupReceived.incrementAndGet();
            } else if (receivedAt.compareAndSet(k, 0, now)) {
              receivedWall.set(k, wall);
              Matcher d = DETECTED.matcher(json);
              if (d.find()) {
                detectedWall.set(k, Instant.parse(d.group(1)).toEpochMilli());
              }
              received.incrementAndGet();
            }
          }
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    receiver.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
    receiver.start();
    Path dataDir = Files.createTempDirectory("atna-alert-bench");
    Path rules = dataDir.resolve("rules.yaml");
    Files.writeString(rules, rulesFile(receiver.getAddress().getPort(), alertEvery, defaultPack));
    PipelineConfig config =
        PipelineConfig.builder(dataDir)
            .http("127.0.0.1", 0)
            .syslog("127.0.0.1", 0, 0)
            .kafkaPort(0)
            .alertRules(rules)
            .build();
    try (Pipeline pipeline = new Pipeline(config).start();
        CommittedWatcher enrichedWatch =
            new CommittedWatcher(
                pipeline.bootstrapServers(), Topics.AUDIT_ENRICHED.name(), NUMBER, enrichedWall);
        CommittedWatcher alertsWatch =
            new CommittedWatcher(
                pipeline.bootstrapServers(), Topics.AUDIT_ALERTS.name(), NUMBER, committedWall)) {
      String xml = new String(TestVectors.bytes(PIXFEED), StandardCharsets.UTF_8);
      Instant base = Instant.parse("2026-12-01T00:00:00Z");
      long start = System.nanoTime();
      long sendEnd;
      try (Socket socket = new Socket("127.0.0.1", pipeline.syslogPort());
          OutputStream out = new java.io.BufferedOutputStream(socket.getOutputStream(), 1 << 16)) {
        if (warmup > 0) {
          long warmStart = System.nanoTime();
          for (int i = 0; i < warmup; i++) {
            long due = warmStart + (long) ((double) i / offered * 1e9);
            long now;
            while ((now = System.nanoTime()) < due) {
              out.flush();
              LatencyRuns.sleepNanos(due - now);
            }
            int k = total + i;
            write(out, message(xml, base, k, k % alertEvery == 0 ? "8" : "0"));
          }
          out.flush();
          long warmDeadline = System.nanoTime() + Duration.ofSeconds(drainSeconds).toNanos();
          while (warmupReceived.get() < warmupExpected && System.nanoTime() < warmDeadline) {
            Thread.sleep(100);
          }
          System.out.printf(
              "warm-up: %d messages, %d/%d alerts received %.1fs after the first%n",
              warmup, warmupReceived.get(), warmupExpected, (System.nanoTime() - warmStart) / 1e9);
          Thread.sleep(1_000);
          start = System.nanoTime();
        }
        for (int k = 0; k < total; k++) {
          long due = start + (long) ((double) k / offered * 1e9);
          long now;
          while ((now = System.nanoTime()) < due) {
            out.flush();
            LatencyRuns.sleepNanos(due - now);
          }
          byte[] frame = message(xml, base, k, k % alertEvery == 0 ? "8" : "0");
          sentAt.set(k, System.nanoTime());
          sentWall.set(k, System.currentTimeMillis());
          write(out, frame);
        }
        out.flush();
        sendEnd = System.nanoTime();
      }
      long deadline = sendEnd + Duration.ofSeconds(drainSeconds).toNanos();
      while (received.get() < expected && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      if (alertEvery > 1) {
        Thread.sleep(2_000); // an alert for a message that should not alert would count now
      }
      long last = start;
      List<Double> ms = new ArrayList<>();
      List<Double> toDetected = new ArrayList<>();
      List<Double> detectedToReceipt = new ArrayList<>();
      List<Double> toEnriched = new ArrayList<>();
      List<Double> enrichedToDetected = new ArrayList<>();
      List<Double> detectedToCommitted = new ArrayList<>();
      for (int k = 0; k < total; k++) {
        long r = receivedAt.get(k);
        if (r != 0) {
          ms.add((r - sentAt.get(k)) / 1e6);
          last = Math.max(last, r);
          long detected = detectedWall.get(k);
          if (detected != 0) {
            toDetected.add((double) (detected - sentWall.get(k)));
            detectedToReceipt.add((double) (receivedWall.get(k) - detected));
            long enriched = enrichedWall.get(k);
            if (enriched != 0) {
              toEnriched.add((double) (enriched - sentWall.get(k)));
              enrichedToDetected.add((double) (detected - enriched));
            }
            long committed = committedWall.get(k);
            if (committed != 0) {
              detectedToCommitted.add((double) (committed - detected));
            }
          }
        }
      }
      // the latency by when the message was sent: a backlog from the start drains, a fixed delay
      // stays
      StringBuilder byTime =
          new StringBuilder("by send second (p50 send -> enriched / -> webhook):");
      for (int from = 0; from < total; from += offered * 2) {
        List<Double> e = new ArrayList<>();
        List<Double> w = new ArrayList<>();
        for (int k = from; k < Math.min(total, from + offered * 2); k++) {
          if (enrichedWall.get(k) != 0) {
            e.add((double) (enrichedWall.get(k) - sentWall.get(k)));
          }
          if (receivedAt.get(k) != 0) {
            w.add((receivedAt.get(k) - sentAt.get(k)) / 1e6);
          }
        }
        byTime.append(
            String.format(
                " %ds: %.0f / %.0f;",
                from / offered, LatencyRuns.percentile(e, 0.5), LatencyRuns.percentile(w, 0.5)));
      }
      System.out.println(byTime);
      return new Result(
          offered,
          total,
          (sendEnd - start) / 1e9,
          expected,
          received.get(),
          (last - start) / 1e9,
          ms,
          toDetected,
          detectedToReceipt,
          toEnriched,
          enrichedToDetected,
          detectedToCommitted);
    } finally {
      receiver.stop(0);
    }
  }

  /** The syslog frame of message {@code k}: patient {@code lat<k>x}, the given outcome. */
  private static byte[] message(String xml, Instant base, int k, String outcome) {
    String message =
        xml.replace("7627199^", "lat" + k + "x^")
            .replace("EventOutcomeIndicator=\"0\"", "EventOutcomeIndicator=\"" + outcome + "\"")
            .replace("2020-03-19T12:24:34.434Z", base.plusMillis(k).toString());
    return ("<85>1 2026-12-01T00:00:00Z node1.example.org bench 1 IHE+RFC-3881 - " + message)
        .getBytes(StandardCharsets.UTF_8);
  }

  /** Octet counting (RFC 6587): the length, a space, the message. */
  private static void write(OutputStream out, byte[] frame) throws java.io.IOException {
    out.write((frame.length + " ").getBytes(StandardCharsets.US_ASCII));
    out.write(frame);
  }

  /**
   * One match rule that every {@code alertEvery}-th message meets (all of them when 1), notifying
   * the receiver, and with {@code defaultPack} the default pack, every rule of it enabled.
   */
  static String rulesFile(int port, int alertEvery, boolean defaultPack) {
    byte[] key = new byte[32];
    new java.security.SecureRandom().nextBytes(key);
    String pack =
        defaultPack
            ? """
            packs: [default]
            enable: [family-name-match, after-hours-access, first-user-patient-access]
            """
            : "";
    String where = alertEvery == 1 ? "patient:missing=false" : "outcome=8&patient:missing=false";
    return pack
        + """
        channels:
          - id: bench-hook
            type: webhook
            url: http://127.0.0.1:%d/hook
            secrets: ["whsec_%s"]
        rules:
          - id: bench-alert
            title: The bench's alerting events
            kind: match
            where: "%s"
            severity: low
            notify: [bench-hook]
        """
            .formatted(port, Base64.getEncoder().encodeToString(key), where);
  }
}
