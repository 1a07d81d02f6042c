package org.atnabridge.bench;

import static org.atnabridge.store.Criterion.ReferenceValue.identifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.schemas.vocab.CodeSystems;
import org.atnabridge.store.AuditQuery;
import org.atnabridge.store.AuditStore;
import org.atnabridge.store.IdentifierToken;
import org.atnabridge.store.SearchField;
import org.atnabridge.store.WriteResult;
import org.atnabridge.store.elasticsearch.ElasticsearchAuditStore;
import org.atnabridge.store.lucene.LuceneAuditStore;
import org.atnabridge.testing.ElasticsearchExtension;
import org.atnabridge.testing.ElasticsearchNode;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.CodeableConcept;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.Identifier;
import org.hl7.fhir.r5.model.Reference;

/**
 * Load benchmark of the audit store (bench/README.md, "Store"). First, untimed, N synthetic
 * ATNA-shaped AuditEvents (patients from a pool of 50,000, users from 2,000, twelve months, ITI
 * codes) are encoded to FHIR JSON as audit-streams writes them to {@code audit.enriched} ({@link
 * Fhir#toJsonBytes}) into a file of length-prefixed records. Then, timed, the file is read in
 * batches of {@value #BATCH} (the indexer's {@code max.poll.records}) and each batch handed to
 * {@link org.atnabridge.store.AuditEventWriter#indexJson} from {@code bench.threads} threads
 * (default 1, the indexer's one consumer thread), then flushed: the path the real indexer takes.
 * Reported: wall rate and process CPU seconds per event over the timed part, the system load
 * average before and after; then p50/p95/p99 of a patient + 30-day query and an agent + 7-day query
 * (first page of 50 with exact total), and the index size on disk. Not a JMH benchmark: loading a
 * million events is the measurement.
 *
 * <pre>
 * java -cp BENCH_CLASSPATH org.atnabridge.bench.StoreLoadBench lucene 1000000 [dir]
 * java -cp BENCH_CLASSPATH org.atnabridge.bench.StoreLoadBench elasticsearch 1000000 [url]
 * </pre>
 *
 * {@code -Dbench.eventsFile=PATH} keeps the generated events there and reuses them on the next run
 * (same N or more). Without a URL, a dedicated Elasticsearch process from the integ-test
 * distribution is started (heap from {@code -Des.java.opts}, default 512 MB) and stopped at the
 * end.
 */
public final class StoreLoadBench {

  static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  static final long SPAN_MILLIS = Duration.ofDays(365).toMillis();
  static final int PATIENTS = 50_000;
  static final int USERS = 2_000;
  private static final String[] CODES = {
    "ITI-9", "ITI-18", "ITI-21", "ITI-41", "ITI-43", "ITI-47", "ITI-55", "ITI-78"
  };

  /** Events per {@code indexJson} call: the indexer's {@code max.poll.records}. */
  static final int BATCH = 2000;

  /**
   * Result of one run, printed as a table row.
   *
   * @param cpuMicrosPerEvent process CPU time (all threads: indexing, merges, GC) of the timed part
   *     divided by the events
   * @param loadBefore system load average (1 min) when the timed part started, and after it
   */
  public record Result(
      String engine,
      int events,
      double generateSeconds,
      double indexSeconds,
      double eventsPerSecond,
      double cpuMicrosPerEvent,
      double loadBefore,
      double loadAfter,
      long bytesOnDisk,
      double[] patientMillis,
      double[] agentMillis) {
    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "%s: %,d events (JSON generated in %.1f s, untimed) indexed in %.1f s = %,.0f events/s, "
              + "%.1f µs CPU per event (load average %.2f before, %.2f after); size %.1f MB (%.1f MB per million); "
              + "patient+date p50/p95/p99 = %.2f/%.2f/%.2f ms; agent+date p50/p95/p99 = %.2f/%.2f/%.2f ms",
          engine,
          events,
          generateSeconds,
          indexSeconds,
          eventsPerSecond,
          cpuMicrosPerEvent,
          loadBefore,
          loadAfter,
          bytesOnDisk / 1e6,
          bytesOnDisk / 1e6 * 1_000_000 / events,
          patientMillis[0],
          patientMillis[1],
          patientMillis[2],
          agentMillis[0],
          agentMillis[1],
          agentMillis[2]);
    }
  }

  /** The timed part of a load: wall and process CPU seconds, load average around it. */
  public record Load(double seconds, double cpuSeconds, double loadBefore, double loadAfter) {}

  private StoreLoadBench() {}

  public static void main(String[] args) throws Exception {
    String engine = args.length > 0 ? args[0] : "lucene";
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
    int threads = Integer.getInteger("bench.threads", 1);
    int queries = Integer.getInteger("bench.queries", 1000);
    Result r;
    if (engine.equals("lucene")) {
      Path dir = args.length > 2 ? Path.of(args[2]) : Files.createTempDirectory("store-bench-");
      r = lucene(dir, n, threads, queries);
    } else {
      if (args.length > 2) {
        r = elasticsearch(args[2], n, threads, queries);
      } else {
        try (ElasticsearchNode es =
            ElasticsearchExtension.startDedicated(Duration.ofSeconds(300))) {
          r = elasticsearch(es.url(), n, threads, queries);
        }
      }
    }
    System.out.println(r);
  }

  public static Result lucene(Path dir, int n, int threads, int queries) throws Exception {
    EventsFile events = EventsFile.prepare(n);
    try (LuceneAuditStore store =
        LuceneAuditStore.builder(dir)
            .ramBufferMb(128)
            .commitInterval(Duration.ofSeconds(30))
            .build()) {
      Load load = load(store, events, n, threads);
      long bytes = sizeOf(dir);
      return new Result(
          "lucene",
          n,
          events.generateSeconds(),
          load.seconds(),
          n / load.seconds(),
          load.cpuSeconds() * 1e6 / n,
          load.loadBefore(),
          load.loadAfter(),
          bytes,
          latencies(store, n, queries, true),
          latencies(store, n, queries, false));
    } finally {
      events.deleteUnlessKept();
    }
  }

  public static Result elasticsearch(String url, int n, int threads, int queries) throws Exception {
    EventsFile events = EventsFile.prepare(n);
    try (ElasticsearchAuditStore store =
        ElasticsearchAuditStore.builder(url)
            .index("audit-bench")
            .waitForRefresh(false)
            .refreshInterval("1s")
            .replicas(0)
            .concurrency(2)
            .build()) {
      store.start();
      Load load = load(store, events, n, threads);
      store.refresh();
      HttpClient http = HttpClient.newHttpClient();
      http.send(
          HttpRequest.newBuilder(URI.create(url + "/audit-bench/_flush"))
              .POST(HttpRequest.BodyPublishers.noBody())
              .build(),
          HttpResponse.BodyHandlers.ofString());
      String stats =
          http.send(
                  HttpRequest.newBuilder(URI.create(url + "/audit-bench/_stats/store"))
                      .GET()
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      JsonNode json = new ObjectMapper().readTree(stats);
      long bytes = json.path("_all").path("primaries").path("store").path("size_in_bytes").asLong();
      Result r =
          new Result(
              "elasticsearch",
              n,
              events.generateSeconds(),
              load.seconds(),
              n / load.seconds(),
              load.cpuSeconds() * 1e6 / n,
              load.loadBefore(),
              load.loadAfter(),
              bytes,
              latencies(store, n, queries, true),
              latencies(store, n, queries, false));
      http.send(
          HttpRequest.newBuilder(URI.create(url + "/audit-bench.*")).DELETE().build(),
          HttpResponse.BodyHandlers.ofString());
      return r;
    } finally {
      events.deleteUnlessKept();
    }
  }

  /**
   * The timed part: reads the first {@code n} events of the file in batches of {@value #BATCH},
   * hands each to {@code indexJson} from {@code threads} threads, then flushes. The process CPU
   * time includes this bench's reading of the file (a few µs per event, as a Kafka consumer's).
   */
  static Load load(AuditStore store, EventsFile events, int n, int threads) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    double loadBefore = loadAverage();
    long cpu0 = processCpuNanos();
    long t0 = System.nanoTime();
    try (EventsFile.Reader reader = events.reader(n)) {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        fs.add(
            pool.submit(
                () -> {
                  for (List<byte[]> batch = reader.next(BATCH);
                      !batch.isEmpty();
                      batch = reader.next(BATCH)) {
                    WriteResult w = store.writer().indexJson(batch);
                    if (!w.rejected().isEmpty()) {
                      throw new IllegalStateException("store rejected " + w.rejected().get(0));
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
      store.writer().flush();
    } finally {
      pool.shutdown();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    double cpuSeconds = (processCpuNanos() - cpu0) / 1e9;
    return new Load(seconds, cpuSeconds, loadBefore, loadAverage());
  }

  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  /**
   * p50, p95, p99 in ms of patient + 30-day (or agent + 7-day) queries after 200 warm-up queries.
   * Each query asks for the patient (or user) of a stored event, in a window that contains it, as
   * an officer would: so every query has at least one hit whatever the event count.
   */
  static double[] latencies(AuditStore store, int n, int queries, boolean patient) {
    SplittableRandom rnd = new SplittableRandom(patient ? 1 : 2);
    Duration window = Duration.ofDays(patient ? 30 : 7);
    IntFunction<AuditQuery> q =
        i -> {
          AuditEvent known = event(rnd.nextInt(n));
          Instant from =
              known.getRecorded().toInstant().minusMillis(rnd.nextLong(window.toMillis()));
          AuditQuery.Builder b =
              AuditQuery.builder().limit(50).recordedFrom(from).recordedTo(from.plus(window));
          if (patient) {
            return b.reference(
                    SearchField.PATIENT,
                    identifier(
                        new IdentifierToken(
                            "urn:oid:1.2.3.4.5", known.getPatient().getIdentifier().getValue())))
                .build();
          }
          return b.reference(
                  SearchField.AGENT,
                  identifier(
                      new IdentifierToken(
                          "urn:oid:1.2.3.4.6",
                          known.getAgentFirstRep().getWho().getIdentifier().getValue())))
              .build();
        };
    for (int i = 0; i < 200; i++) {
      store.search().search(q.apply(i));
    }
    AuditQuery[] planned = new AuditQuery[queries];
    for (int i = 0; i < queries; i++) {
      planned[i] = q.apply(i);
    }
    double[] ms = new double[queries];
    for (int i = 0; i < queries; i++) {
      long t0 = System.nanoTime();
      long hits = store.search().search(planned[i]).total();
      ms[i] = (System.nanoTime() - t0) / 1e6;
      if (hits == 0) {
        throw new IllegalStateException(
            "query " + i + " found none of the stored events: the store is not measured");
      }
    }
    Arrays.sort(ms);
    return new double[] {ms[queries / 2], ms[(int) (queries * 0.95)], ms[(int) (queries * 0.99)]};
  }

  /** A deterministic ATNA-like event (what the converter makes of an ITI transaction). */
  static AuditEvent event(int i) {
    SplittableRandom rnd = new SplittableRandom(i * 0x9E3779B97F4A7C15L);
    AuditEvent e = new AuditEvent();
    e.setId(String.format("bench-%08d", i));
    e.setRecorded(Date.from(START.plusMillis(rnd.nextLong(SPAN_MILLIS))));
    String code = CODES[rnd.nextInt(CODES.length)];
    e.addCategory(new CodeableConcept(new Coding(CodeSystems.DCM, "110112", "Query")));
    e.setCode(
        new CodeableConcept(
            new Coding(CodeSystems.IHE_TRANSACTIONS, code, "IHE transaction " + code)));
    e.setAction(
        rnd.nextInt(10) == 0 ? AuditEvent.AuditEventAction.C : AuditEvent.AuditEventAction.E);
    e.setSeverity(AuditEvent.AuditEventSeverity.NOTICE);
    e.setOutcome(
        new AuditEvent.AuditEventOutcomeComponent(
            new Coding(CodeSystems.AUDIT_EVENT_OUTCOME, rnd.nextInt(50) == 0 ? "8" : "0", null)));
    Identifier patient =
        new Identifier().setSystem("urn:oid:1.2.3.4.5").setValue("P" + rnd.nextInt(PATIENTS));
    e.setPatient(new Reference().setType("Patient").setIdentifier(patient));
    var user = e.addAgent();
    user.setType(new CodeableConcept(new Coding(CodeSystems.DCM, "110153", "Source Role ID")));
    user.setWho(
        new Reference()
            .setIdentifier(
                new Identifier()
                    .setSystem("urn:oid:1.2.3.4.6")
                    .setValue("user" + rnd.nextInt(USERS)))
            .setDisplay("User " + rnd.nextInt(USERS)));
    user.setRequestor(true);
    user.setNetwork(
        new org.hl7.fhir.r5.model.StringType(
            "[10.0." + rnd.nextInt(256) + "." + rnd.nextInt(256) + "]"));
    var server = e.addAgent();
    server.setType(
        new CodeableConcept(new Coding(CodeSystems.DCM, "110152", "Destination Role ID")));
    server.setWho(
        new Reference()
            .setIdentifier(new Identifier().setValue("https://registry.example.org/iti")));
    e.getSource()
        .setObserver(
            new Reference().setIdentifier(new Identifier().setValue("node-" + rnd.nextInt(20))));
    e.getSource()
        .addType(new CodeableConcept(new Coding(CodeSystems.SECURITY_SOURCE_TYPE, "4", null)));
    var entity = e.addEntity();
    entity.setWhat(new Reference().setType("Patient").setIdentifier(patient));
    entity.setRole(new CodeableConcept(new Coding(CodeSystems.OBJECT_ROLE, "1", "Patient")));
    return e;
  }

  static long sizeOf(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }
}
