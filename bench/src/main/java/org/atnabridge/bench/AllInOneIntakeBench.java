package org.atnabridge.bench;

import java.io.IOException;
import java.io.OutputStream;
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
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.atnabridge.allinone.Pipeline;
import org.atnabridge.allinone.PipelineConfig;
import org.atnabridge.search.security.LocalIssuer;
import org.atnabridge.testing.TestVectors;

/**
 * End-to-end intake load on the all-in-one (bench/README.md, "All-in-one intake"), not run by
 * {@code mvn verify}: one {@link Pipeline} in this JVM (embedded Kafka, streams, Lucene, the API)
 * takes the same number of events two ways, one after the other: ATNA messages over TCP syslog (RFC
 * 5424, octet counting), then HTTP access log lines posted to {@code /ingest/access-logs}. Events
 * go in batches naming one patient each; a batch is searchable when {@code
 * patient=...&_summary=count} says all of it is. Reported per path: events/s from the first send to
 * the last batch searchable, and the latency from a batch's send to searchable (p50, p99, max), so
 * the two figures come from the same run on the same machine.
 *
 * <p>Arguments: {@code eventsPerPath [batchSize=100] [offeredEventsPerSecond=0 (unlimited)]}.
 */
public final class AllInOneIntakeBench {

  private static final Pattern TOTAL = Pattern.compile("\"total\"\\s*:\\s*(\\d+)");
  private static final String PATIENT_SYSTEM = "2.16.840.1.113883.3.37.4.1.1.2.411.1";
  private static final String PIXFEED = "dicom-audit-xml/ipf-pixfeed.xml";

  private AllInOneIntakeBench() {}

  record Result(String path, int events, double seconds, List<Double> latenciesMs) {
    double rate() {
      return events / seconds;
    }

    double percentile(double p) {
      List<Double> sorted = latenciesMs.stream().sorted().toList();
      return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    @Override
    public String toString() {
      return String.format(
          "%-12s events=%d wall=%.1fs throughput=%.0f events/s batch latency p50=%.0f ms p99=%.0f ms"
              + " max=%.0f ms",
          path, events, seconds, rate(), percentile(0.50), percentile(0.99), percentile(1.0));
    }
  }

  /** One batch in flight: its search query and when its last event was handed over. */
  private record Batch(String query, int size, long sentNanos) {}

  public static void main(String[] args) throws Exception {
    int events = Integer.parseInt(args[0]);
    int batchSize = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    int offered = args.length > 2 ? Integer.parseInt(args[2]) : 0;
    Path dataDir = Files.createTempDirectory("atna-intake-bench");
    PipelineConfig config =
        PipelineConfig.builder(dataDir)
            .http("127.0.0.1", 0)
            .syslog("127.0.0.1", 0, 0)
            .kafkaPort(0)
            .build();
    try (Pipeline pipeline = new Pipeline(config).start()) {
      LocalIssuer issuer = LocalIssuer.open(pipeline.keysDir());
      String token =
          issuer.mint(
              "intake-bench",
              "system/AuditEvent.rs system/AuditEvent.c",
              null,
              Set.of("V"),
              Duration.ofHours(2));
      Bench bench = new Bench(pipeline, token, batchSize, offered);
      // a short warm-up of both paths (JIT, topic metadata, first index commit)
      bench.atna(Math.min(events / 10, 2_000), "w");
      bench.accessLogs(Math.min(events / 10, 2_000), "w");
      Result atna = bench.atna(events, "a");
      Result lines = bench.accessLogs(events, "l");
      System.out.println("load average (1 min) at the end: " + loadAverage());
      System.out.println(atna);
      System.out.println(lines);
    }
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException e) {
      return "?";
    }
  }

  private static final class Bench {
    private final Pipeline pipeline;
    private final String token;
    private final int batchSize;
    private final int offered;
    private final HttpClient http = HttpClient.newHttpClient();
    private final byte[] pixfeed = TestVectors.bytes(PIXFEED);

    Bench(Pipeline pipeline, String token, int batchSize, int offered) {
      this.pipeline = pipeline;
      this.token = token;
      this.batchSize = batchSize;
      this.offered = offered;
    }

    /** ATNA over TCP syslog: batch k names patient {@code <tag>k}. */
    Result atna(int events, String tag) throws Exception {
      String xml = new String(pixfeed, StandardCharsets.UTF_8);
      Instant base = Instant.parse("2026-12-01T00:00:00Z");
      try (Socket socket = new Socket("127.0.0.1", pipeline.syslogPort());
          OutputStream out = socket.getOutputStream()) {
        return run(
            "atna-syslog",
            events,
            batch -> {
              String patient = tag + batch;
              try {
                for (int i = 0; i < batchSize; i++) {
                  String message =
                      xml.replace("7627199^", patient + "^")
                          .replace(
                              "2020-03-19T12:24:34.434Z",
                              base.plusMillis((long) batch * batchSize + i).toString());
                  byte[] frame =
                      ("<85>1 2026-12-01T00:00:00Z node1.example.org bench 1 IHE+RFC-3881 - "
                              + message)
                          .getBytes(StandardCharsets.UTF_8);
                  out.write((frame.length + " ").getBytes(StandardCharsets.US_ASCII));
                  out.write(frame);
                }
                out.flush();
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
              return "patient:identifier=urn:oid:" + PATIENT_SYSTEM + "%7C" + patient;
            });
      }
    }

    /** Access log lines posted in one request per batch: batch k names Patient/{@code <tag>k}. */
    Result accessLogs(int events, String tag) throws Exception {
      URI ingest =
          URI.create(
              "http://127.0.0.1:" + pipeline.httpPort() + "/ingest/access-logs?source=bench");
      return run(
          "access-log",
          events,
          batch -> {
            String patient = tag + batch;
            StringBuilder body = new StringBuilder(batchSize * 140);
            for (int i = 0; i < batchSize; i++) {
              String target =
                  i % 2 == 0
                      ? "/fhir/Observation?patient=" + patient + "&_id=o" + i
                      : "/fhir/Patient/" + patient + "/_history/" + i;
              body.append("10.9.0.")
                  .append(i % 250)
                  .append(" - clerk")
                  .append(i % 7)
                  .append(" [01/Dec/2026:00:00:00 +0000] \"GET ")
                  .append(target)
                  .append(" HTTP/1.1\" 200 512 \"-\" \"bench\"\n");
            }
            try {
              HttpResponse<String> answer =
                  http.send(
                      HttpRequest.newBuilder(ingest)
                          .header("Authorization", "Bearer " + token)
                          .header("Content-Type", "text/plain")
                          .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                          .build(),
                      HttpResponse.BodyHandlers.ofString());
              if (answer.statusCode() != 202) {
                throw new IllegalStateException("POST answered " + answer.statusCode());
              }
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new IllegalStateException(e);
            }
            return "patient=Patient/" + patient;
          });
    }

    /**
     * Sends {@code events / batchSize} batches (at the offered rate, if any) while a poller marks
     * each batch searchable.
     *
     * @param send sends batch k and returns the search that counts it
     */
    private Result run(String path, int events, IntFunction<String> send) throws Exception {
      int batches = Math.max(1, events / batchSize);
      ConcurrentLinkedDeque<Batch> pending = new ConcurrentLinkedDeque<>();
      List<Double> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
      AtomicBoolean sending = new AtomicBoolean(true);
      long start = System.nanoTime();
      long[] lastSearchable = {start};
      Thread poller =
          Thread.ofPlatform()
              .name("bench-poller")
              .start(
                  () -> {
                    while (sending.get() || !pending.isEmpty()) {
                      int checked = 0;
                      for (Batch b : pending) {
                        if (checked++ >= 8) {
                          break;
                        }
                        if (count(b.query()) >= b.size()) {
                          long now = System.nanoTime();
                          latencies.add((now - b.sentNanos()) / 1e6);
                          lastSearchable[0] = now;
                          pending.remove(b);
                        }
                      }
                      sleep(20);
                    }
                  });
      for (int k = 0; k < batches; k++) {
        if (offered > 0) {
          long due = start + (long) ((double) k * batchSize / offered * 1e9);
          while (System.nanoTime() < due) {
            sleep(1);
          }
        }
        String query = send.apply(k);
        pending.add(new Batch(query, batchSize, System.nanoTime()));
      }
      sending.set(false);
      poller.join(Duration.ofMinutes(30));
      return new Result(
          path, batches * batchSize, (lastSearchable[0] - start) / 1e9, new ArrayList<>(latencies));
    }

    private int count(String query) {
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(
                        URI.create(pipeline.fhirBaseUrl() + "/AuditEvent?_summary=count&" + query))
                    .header("Authorization", "Bearer " + token)
                    .header("Accept", "application/fhir+json")
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher m = TOTAL.matcher(r.body());
        return r.statusCode() == 200 && m.find() ? Integer.parseInt(m.group(1)) : -1;
      } catch (IOException e) {
        return -1;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return -1;
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
