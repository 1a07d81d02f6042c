package org.atnabridge.bench;

import com.sun.management.OperatingSystemMXBean;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.atnabridge.allinone.Pipeline;
import org.atnabridge.allinone.PipelineConfig;
import org.atnabridge.search.security.LocalIssuer;
import org.atnabridge.search.subscription.SubscriptionSettings;
import org.atnabridge.testing.TestVectors;

/**
 * Subscription notification latency on the all-in-one (bench/README.md, "Subscription notification
 * latency"), not run by {@code mvn verify}: one {@link Pipeline} in this JVM, N rest-hook
 * Subscriptions (full-resource), each filtering on one patient ({@code patient:identifier=B<i>}),
 * to a JDK {@link HttpServer} in this JVM. ATNA messages go over TCP syslog (RFC 5424, octet
 * counting) at an offered rate, message k naming patient {@code B<k mod N>}, so each event matches
 * exactly one subscription; its {@code recorded} time is a fixed base plus k milliseconds, which is
 * how the receiver reads k back from the notification. Reported: syslog send to rest-hook receipt
 * per event (p50, p99, max), the rate the all-in-one carried, and this process's CPU time per event
 * (everything: broker, ingest, streams, index, API, bench).
 *
 * <p>Arguments: {@code offeredEventsPerSecond seconds [subscriptions=100] [warmupSeconds=30]
 * [drainSeconds=120]}. The warm-up sends at the same rate to the same subscriptions and is left out
 * of the figures.
 */
public final class SubscriptionLatencyBench {

  private static final String PIXFEED = "dicom-audit-xml/ipf-pixfeed.xml";
  private static final Instant BASE = Instant.parse("2026-12-01T00:00:00Z");
  private static final Pattern RECORDED = Pattern.compile("\"recorded\"\\s*:\\s*\"([^\"]+)\"");

  private SubscriptionLatencyBench() {}

  public static void main(String[] args) throws Exception {
    int offered = Integer.parseInt(args[0]);
    int seconds = Integer.parseInt(args[1]);
    int subscriptions = args.length > 2 ? Integer.parseInt(args[2]) : 100;
    int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 30;
    int drain = args.length > 4 ? Integer.parseInt(args[4]) : 120;
    System.out.println("load average at the start: " + LatencyRuns.loadAverage());
    run(offered, seconds, subscriptions, warmup, drain);
    System.out.println("load average at the end: " + LatencyRuns.loadAverage());
  }

  static void run(int offered, int seconds, int subscriptions, int warmup, int drain)
      throws Exception {
    int warm = offered * warmup;
    int total = warm + offered * seconds;
    AtomicLongArray sentAt = new AtomicLongArray(total);
    AtomicLongArray receivedAt = new AtomicLongArray(total);
    AtomicInteger received = new AtomicInteger();
    AtomicInteger handshakes = new AtomicInteger();
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/hook",
        exchange -> {
          long now = System.nanoTime();
          String json =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          if (json.contains("\"handshake\"")) {
            handshakes.incrementAndGet();
          }
          Matcher m = RECORDED.matcher(json);
          while (m.find()) {
            long k = Duration.between(BASE, Instant.parse(m.group(1))).toMillis();
            if (k >= 0 && k < total && receivedAt.compareAndSet((int) k, 0, now)) {
              received.incrementAndGet();
            }
          }
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    receiver.setExecutor(Executors.newFixedThreadPool(8));
    receiver.start();
    String prefix = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/";
    Path dataDir = Files.createTempDirectory("atna-subscription-bench");
    PipelineConfig config =
        PipelineConfig.builder(dataDir)
            .http("127.0.0.1", 0)
            .syslog("127.0.0.1", 0, 0)
            .kafkaPort(0)
            .subscriptions(
                SubscriptionSettings.DEFAULTS.withAllowHttp(true).withEndpoints(List.of(prefix)))
            .build();
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    try (Pipeline pipeline = new Pipeline(config).start()) {
      String token =
          LocalIssuer.open(pipeline.keysDir())
              .mint(
                  "subscription-bench",
                  "system/Subscription.cruds system/AuditEvent.rs",
                  null,
                  Set.of("V", "R"),
                  Duration.ofHours(2));
      HttpClient http = HttpClient.newHttpClient();
      for (int i = 0; i < subscriptions; i++) {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:" + pipeline.httpPort() + "/fhir/Subscription"))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/fhir+json")
                    .POST(HttpRequest.BodyPublishers.ofString(subscription(prefix + "hook", i)))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
          throw new IllegalStateException("Subscription refused: " + r.statusCode() + r.body());
        }
      }
      long until = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while (handshakes.get() < subscriptions && System.nanoTime() < until) {
        Thread.sleep(100);
      }
      System.out.printf(
          "%d subscriptions active (handshakes %d)%n", subscriptions, handshakes.get());

      String xml = new String(TestVectors.bytes(PIXFEED), StandardCharsets.UTF_8);
      long start = System.nanoTime();
      long cpuAtMeasure = 0;
      long measureStart = 0;
      long sendEnd;
      try (Socket socket = new Socket("127.0.0.1", pipeline.syslogPort());
          OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16)) {
        for (int k = 0; k < total; k++) {
          long due = start + (long) ((double) k / offered * 1e9);
          long now;
          while ((now = System.nanoTime()) < due) {
            out.flush();
            LatencyRuns.sleepNanos(due - now);
          }
          if (k == warm) {
            cpuAtMeasure = os.getProcessCpuTime();
            measureStart = System.nanoTime();
          }
          String message =
              xml.replace("7627199^", "B" + (k % subscriptions) + "^")
                  .replace("2020-03-19T12:24:34.434Z", BASE.plusMillis(k).toString());
          byte[] frame =
              ("<85>1 2026-12-01T00:00:00Z node1.example.org bench 1 IHE+RFC-3881 - " + message)
                  .getBytes(StandardCharsets.UTF_8);
          sentAt.set(k, System.nanoTime());
          out.write((frame.length + " ").getBytes(StandardCharsets.US_ASCII));
          out.write(frame);
        }
        out.flush();
        sendEnd = System.nanoTime();
      }
      long deadline = sendEnd + Duration.ofSeconds(drain).toNanos();
      while (received.get() < total && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      long cpu = os.getProcessCpuTime() - cpuAtMeasure;
      List<Double> ms = new ArrayList<>();
      long last = measureStart;
      int measuredReceived = 0;
      for (int k = warm; k < total; k++) {
        long r = receivedAt.get(k);
        if (r != 0) {
          ms.add((r - sentAt.get(k)) / 1e6);
          last = Math.max(last, r);
          measuredReceived++;
        }
      }
      int measured = total - warm;
      double wall = (last - measureStart) / 1e9;
      System.out.printf(
          "offered=%d/s for %ds (+%ds warm-up), %d subscriptions: sent %d at %.0f/s; delivered %d"
              + " of %d (%.0f events/s carried over %.1f s); syslog send -> rest-hook p50=%.0f ms"
              + " p99=%.0f ms max=%.0f ms; process CPU %.0f us/event (%.2f cores)%n",
          offered,
          seconds,
          warmup,
          subscriptions,
          measured,
          measured / ((sendEnd - measureStart) / 1e9),
          measuredReceived,
          measured,
          measuredReceived / wall,
          wall,
          LatencyRuns.percentile(ms, 0.50),
          LatencyRuns.percentile(ms, 0.99),
          LatencyRuns.percentile(ms, 1.0),
          cpu / 1e3 / Math.max(1, measuredReceived),
          cpu / 1e9 / wall);
    } finally {
      receiver.stop(0);
    }
  }

  /** Full-resource notifications of one patient's events, up to 100 per Bundle. */
  static String subscription(String endpoint, int patient) {
    return """
        {"resourceType":"Subscription","status":"requested",
         "topic":"http://atna-bridge.org/fhir/SubscriptionTopic/audit-event",
         "channelType":{"system":"http://terminology.hl7.org/CodeSystem/subscription-channel-type","code":"rest-hook"},
         "endpoint":"%s","content":"full-resource","maxCount":100,
         "filterBy":[{"filterParameter":"patient","modifier":"identifier","value":"B%d"}]}
        """
        .formatted(endpoint, patient);
  }
}
