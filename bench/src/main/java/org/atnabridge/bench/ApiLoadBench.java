package org.atnabridge.bench;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.atnabridge.kafka.embedded.EmbeddedKafkaBroker;
import org.atnabridge.schemas.Topics;
import org.atnabridge.search.ChainVerificationProvider;
import org.atnabridge.search.FhirServerFactory;
import org.atnabridge.search.SearchServer;
import org.atnabridge.search.feed.KafkaAuditEventFeed;
import org.atnabridge.search.security.ApiSecurity;
import org.atnabridge.search.security.LocalIssuer;
import org.atnabridge.store.AuditQuery;
import org.atnabridge.store.AuditStore;
import org.atnabridge.store.elasticsearch.ElasticsearchAuditStore;
import org.atnabridge.store.lucene.LuceneAuditStore;
import org.atnabridge.testing.ElasticsearchExtension;
import org.atnabridge.testing.ElasticsearchNode;
import org.hl7.fhir.r5.model.AuditEvent;
import org.jspecify.annotations.Nullable;

/**
 * End-to-end search benchmark of the FHIR API (bench/README.md, "FHIR API search under load"): N
 * events in the store (loaded with {@link StoreLoadBench}'s events and path, or an existing Lucene
 * directory / Elasticsearch alias that already holds at least N), the real FHIR server ({@link
 * FhirServerFactory} on {@link SearchServer}, self-audit on, written through a {@link
 * KafkaAuditEventFeed} to an embedded broker, as {@code serve} wires it), then {@code
 * bench.clients} client threads (default 8) issuing searches for {@code bench.seconds} per kind
 * after {@code bench.warmup} seconds:
 *
 * <ul>
 *   <li><b>patient</b>: {@code patient:identifier=urn:oid:1.2.3.4.5|P…&date=ge…&date=lt…} (30 days)
 *   <li><b>agent</b>: {@code agent:identifier=urn:oid:1.2.3.4.6|user…&date=ge…&date=lt…} (7 days)
 * </ul>
 *
 * Each asks for the patient (user) of a stored event in a window containing it, so every answer
 * must be 200 with a total ≥ 1 (counted as errors otherwise). Reported per kind: requests/s,
 * p50/p95/p99 end to end (client send to body read), process CPU ms per request (server and clients
 * share the JVM), load average.
 *
 * <pre>
 * java -cp BENCH_CLASSPATH org.atnabridge.bench.ApiLoadBench lucene 1000000 [indexDir]
 * java -cp BENCH_CLASSPATH org.atnabridge.bench.ApiLoadBench elasticsearch 1000000 [url]
 * </pre>
 *
 * The server is secured as {@code serve} secures it (bearer JWT of a local issuer checked on every
 * request, the caller's view wrapped around the store); the clients send a {@code
 * system/AuditEvent.rs} token of that issuer, or {@code -Dbench.token=T}.
 */
public final class ApiLoadBench {

  /** One kind's measurement. */
  public record Result(
      String engine,
      String kind,
      int events,
      int clients,
      double seconds,
      long requests,
      long errors,
      double requestsPerSecond,
      double p50,
      double p95,
      double p99,
      double cpuMsPerRequest,
      double loadBefore,
      double loadAfter) {
    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "%s %s+date, %,d events, %d clients, %.0f s: %,d requests = %,.1f/s, %d errors; "
              + "p50/p95/p99 = %.2f/%.2f/%.2f ms; %.2f ms CPU per request (load average %.2f before, %.2f after)",
          engine,
          kind,
          events,
          clients,
          seconds,
          requests,
          requestsPerSecond,
          errors,
          p50,
          p95,
          p99,
          cpuMsPerRequest,
          loadBefore,
          loadAfter);
    }
  }

  /** How long and how hard to drive. */
  public record Load(int clients, Duration warmup, Duration perKind, @Nullable String token) {}

  private static final int PLANNED_QUERIES = 20_000;

  private ApiLoadBench() {}

  public static void main(String[] args) throws Exception {
    String engine = args.length > 0 ? args[0] : "lucene";
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
    Load load =
        new Load(
            Integer.getInteger("bench.clients", 8),
            Duration.ofSeconds(Long.getLong("bench.warmup", 10)),
            Duration.ofSeconds(Long.getLong("bench.seconds", 60)),
            System.getProperty("bench.token"));
    List<Result> results;
    if (engine.equals("lucene")) {
      Path dir = args.length > 2 ? Path.of(args[2]) : Files.createTempDirectory("api-bench-");
      results = lucene(dir, n, load);
    } else if (args.length > 2) {
      results = elasticsearch(args[2], n, load);
    } else {
      try (ElasticsearchNode es = ElasticsearchExtension.startDedicated(Duration.ofSeconds(300))) {
        results = elasticsearch(es.url(), n, load);
      }
    }
    results.forEach(System.out::println);
  }

  public static List<Result> lucene(Path dir, int n, Load load) throws Exception {
    try (LuceneAuditStore store = LuceneAuditStore.builder(dir).ramBufferMb(128).build()) {
      ensureLoaded(store, n);
      return serveAndDrive("lucene", store, n, load);
    }
  }

  public static List<Result> elasticsearch(String url, int n, Load load) throws Exception {
    try (ElasticsearchAuditStore store =
        ElasticsearchAuditStore.builder(url)
            .index("audit-bench")
            .waitForRefresh(false)
            .replicas(0)
            .build()) {
      store.start();
      ensureLoaded(store, n);
      store.refresh();
      return serveAndDrive("elasticsearch", store, n, load);
    }
  }

  /** Loads events 0..n-1 unless the store already holds at least n events (a reused index). */
  static void ensureLoaded(AuditStore store, int n) throws Exception {
    long have = store.search().search(AuditQuery.builder().limit(0).build()).total();
    if (have >= n) {
      System.out.printf(Locale.ROOT, "reusing the store: %,d events already in it%n", have);
      return;
    }
    EventsFile events = EventsFile.prepare(n);
    try {
      StoreLoadBench.Load l = StoreLoadBench.load(store, events, n, 1);
      System.out.printf(
          Locale.ROOT,
          "loaded %,d events in %.1f s (%,.0f/s, %.1f µs CPU per event)%n",
          n,
          l.seconds(),
          n / l.seconds(),
          l.cpuSeconds() * 1e6 / n);
    } finally {
      events.deleteUnlessKept();
    }
  }

  /** Broker, feed and FHIR server as {@code serve} wires them; then the two measured kinds. */
  static List<Result> serveAndDrive(String engine, AuditStore store, int n, Load load)
      throws Exception {
    Path kafkaDir = Files.createTempDirectory("api-bench-kafka-");
    // the server as serve builds it: a bearer token checked on every request (the local issuer),
    // the caller's view wrapped around the store, self-audit through Kafka
    LocalIssuer issuer = LocalIssuer.openOrCreate(Files.createTempDirectory("api-bench-keys-"));
    try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(kafkaDir, 0, Map.of()).start()) {
      EmbeddedKafkaBroker.createTopics(broker.bootstrapServers(), Topics.newTopics((short) 1));
      try (KafkaAuditEventFeed feed =
              new KafkaAuditEventFeed(
                  Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
          SearchServer server = securedServer(store, feed, issuer).start()) {
        String token =
            load.token() != null
                ? load.token()
                : issuer.mint(
                    "api-load-bench", "system/AuditEvent.rs", null, Set.of(), Duration.ofHours(2));
        return drive(engine, new FhirSearchClient(server.baseUrl(), token), n, load);
      }
    }
  }

  private static SearchServer securedServer(
      AuditStore store, KafkaAuditEventFeed feed, LocalIssuer issuer) {
    ApiSecurity security = new ApiSecurity(issuer.settings(), feed);
    return new SearchServer(
            "127.0.0.1",
            0,
            FhirServerFactory.create(
                store.search(), feed, Clock.systemUTC(), ChainVerificationProvider::new, security))
        .authenticateWith(
            security.authentication(FhirServerFactory.REPOSITORY_NAME, Clock.systemUTC()));
  }

  private static List<Result> drive(String engine, FhirSearchClient client, int n, Load load)
      throws Exception {
    String[] patient = queries(n, true);
    String[] agent = queries(n, false);
    drive(client, patient, load.clients(), load.warmup()); // JIT, caches, connections
    drive(client, agent, load.clients(), load.warmup());
    List<Result> results = new ArrayList<>();
    for (boolean isPatient : new boolean[] {true, false}) {
      double loadBefore = StoreLoadBench.loadAverage();
      long cpu0 = StoreLoadBench.processCpuNanos();
      Run run = drive(client, isPatient ? patient : agent, load.clients(), load.perKind());
      double cpuMs = (StoreLoadBench.processCpuNanos() - cpu0) / 1e6;
      results.add(
          run.result(
              engine,
              isPatient ? "patient" : "agent",
              n,
              load.clients(),
              cpuMs,
              loadBefore,
              StoreLoadBench.loadAverage()));
    }
    return results;
  }

  /**
   * URL-encoded queries for the patient (or user) of random stored events, in a 30-day (7-day)
   * window that contains the event: every one must find at least that event.
   */
  static String[] queries(int n, boolean patient) {
    SplittableRandom rnd = new SplittableRandom(patient ? 1 : 2);
    Duration window = Duration.ofDays(patient ? 30 : 7);
    String[] out = new String[PLANNED_QUERIES];
    for (int i = 0; i < out.length; i++) {
      AuditEvent known = StoreLoadBench.event(rnd.nextInt(n));
      Instant from = known.getRecorded().toInstant().minusMillis(rnd.nextLong(window.toMillis()));
      String who =
          patient
              ? "patient:identifier="
                  + enc("urn:oid:1.2.3.4.5|" + known.getPatient().getIdentifier().getValue())
              : "agent:identifier="
                  + enc(
                      "urn:oid:1.2.3.4.6|"
                          + known.getAgentFirstRep().getWho().getIdentifier().getValue());
      out[i] =
          who + "&date=ge" + enc(from.toString()) + "&date=lt" + enc(from.plus(window).toString());
    }
    return out;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** Latencies of one timed run. */
  record Run(double seconds, long[] nanos, long errors) {
    Result result(
        String engine,
        String kind,
        int events,
        int clients,
        double cpuMs,
        double loadBefore,
        double loadAfter) {
      long[] sorted = nanos.clone();
      Arrays.sort(sorted);
      int k = sorted.length;
      return new Result(
          engine,
          kind,
          events,
          clients,
          seconds,
          k,
          errors,
          k / seconds,
          pct(sorted, 0.50),
          pct(sorted, 0.95),
          pct(sorted, 0.99),
          k == 0 ? 0 : cpuMs / k,
          loadBefore,
          loadAfter);
    }

    private static double pct(long[] sorted, double p) {
      return sorted.length == 0
          ? 0
          : sorted[Math.min(sorted.length - 1, (int) (sorted.length * p))] / 1e6;
    }
  }

  /** {@code clients} threads issue the queries round-robin until {@code duration} is over. */
  static Run drive(FhirSearchClient client, String[] queries, int clients, Duration duration)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    AtomicLong errors = new AtomicLong();
    AtomicLong next = new AtomicLong();
    long t0 = System.nanoTime();
    long end = t0 + duration.toNanos();
    try {
      List<Future<long[]>> fs = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        fs.add(
            pool.submit(
                () -> {
                  long[] lat = new long[1024];
                  int k = 0;
                  while (System.nanoTime() < end) {
                    String q = queries[(int) (next.getAndIncrement() % queries.length)];
                    long s = System.nanoTime();
                    boolean ok;
                    try {
                      FhirSearchClient.Answer a = client.search(q);
                      ok = a.status() == 200 && a.total() >= 1;
                    } catch (java.io.IOException e) {
                      ok = false;
                    }
                    long took = System.nanoTime() - s;
                    if (!ok) {
                      errors.incrementAndGet();
                      continue;
                    }
                    if (k == lat.length) {
                      lat = Arrays.copyOf(lat, k * 2);
                    }
                    lat[k++] = took;
                  }
                  return Arrays.copyOf(lat, k);
                }));
      }
      List<long[]> all = new ArrayList<>();
      for (Future<long[]> f : fs) {
        all.add(f.get());
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      long[] merged = all.stream().flatMapToLong(Arrays::stream).toArray();
      return new Run(seconds, merged, errors.get());
    } finally {
      pool.shutdown();
    }
  }
}
