package org.atnabridge.allinone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.atnabridge.atna.AtnaConverter;
import org.atnabridge.kafka.embedded.EmbeddedKafkaBroker;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.schemas.RawHeaders;
import org.atnabridge.schemas.RawMetadata;
import org.atnabridge.schemas.Topics;
import org.atnabridge.schemas.chain.ChainLink;
import org.atnabridge.schemas.chain.ChainVerifier;
import org.atnabridge.search.ChainVerificationProvider;
import org.atnabridge.search.FhirServerFactory;
import org.atnabridge.search.SearchServer;
import org.atnabridge.store.AuditStore;
import org.atnabridge.store.AuditStores;
import org.atnabridge.store.elasticsearch.ElasticsearchAuditStore;
import org.atnabridge.store.indexer.AuditIndexer;
import org.atnabridge.streams.AuditStreams;
import org.atnabridge.streams.StreamsSettings;
import org.atnabridge.streams.chain.CheckpointKeys;
import org.atnabridge.streams.enrich.EnrichmentConfig;
import org.atnabridge.testing.ElasticsearchExtension;
import org.atnabridge.testing.ElasticsearchNode;
import org.atnabridge.testing.TestVectors;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Parameters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code verify} and {@code $verify} do not cry wolf, on Lucene and on Elasticsearch, over the real
 * broker, streams and indexer: events received today but recorded in 2001, interleaved with events
 * recorded today, make a window of today INTACT (a {@code recorded} window had a gap at every 2001
 * event); events chained and checkpointed while the indexer stood still are pending, not a GAP; and
 * once their oldest receipt is older than the bound they are {@code PENDING_OVERDUE}, not a GAP.
 */
@ExtendWith(ElasticsearchExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VerifyWindowPendingIT {

  private static final int INDEXED = 20;
  private static final int HELD = 5;

  @TempDir static Path dir;
  private String bootstrap;
  private String esUrl;
  private Path keyDir;
  private final String luceneGroup = "verify-lucene-" + UUID.randomUUID();
  private final String esGroup = "verify-es-" + UUID.randomUUID();
  private final String esAlias = "verify-" + UUID.randomUUID();
  private Path luceneIndex;

  private EmbeddedKafkaBroker kafka;

  @BeforeAll
  void chainIndexThenHoldTheIndexer(ElasticsearchNode es) throws Exception {
    // a broker of its own: the counts below are this class's events, and every checkpoint is signed
    // with its key
    kafka = new EmbeddedKafkaBroker(dir.resolve("kafka"), 0, Map.of()).start();
    bootstrap = kafka.bootstrapServers();
    esUrl = es.url();
    kafka.createTopics(Topics.newTopics((short) 1));
    keyDir = dir.resolve("keys");
    luceneIndex = dir.resolve("index");
    String xml =
        new String(TestVectors.bytes("dicom-audit-xml/ipf-pixfeed.xml"), StandardCharsets.UTF_8);
    try (AuditStreams streams =
            AuditStreams.start(
                new StreamsSettings(bootstrap, dir.resolve("streams"), 1, 1, 100, Map.of()),
                new AtnaConverter(),
                EnrichmentConfig.defaults().withCheckpoints(10, Duration.ofSeconds(1)),
                keyDir);
        KafkaProducer<byte[], byte[]> raw =
            new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
      // received now; every other one recorded in 2001 by the sender's clock
      Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
      Set<String> first =
          send(
              raw,
              xml,
              0,
              INDEXED,
              i ->
                  i % 2 == 0
                      ? String.format("2001-05-01T10:00:%02d.000Z", i)
                      : now.plusMillis(i).toString());
      awaitChained(first);
      // both indexers index the first events, commit, and stop
      index(() -> AuditStores.lucene(luceneIndex), luceneGroup, first);
      index(this::elasticsearch, esGroup, first);
      // chained and checkpointed while no indexer runs: pending
      Set<String> held = send(raw, xml, INDEXED, HELD, i -> now.plusMillis(i).toString());
      List<AuditEvent> chained = awaitChained(held);
      long head =
          chained.stream().map(ChainLink::from).mapToLong(ChainLink::seq).max().orElseThrow();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  VerifyCommand.readCheckpoints(bootstrap, Duration.ofSeconds(10)).stream()
                          .mapToLong(cp -> cp.seq())
                          .max()
                          .orElse(0)
                      >= head);
    }
  }

  @AfterAll
  void stopBroker() {
    kafka.close();
  }

  @Test
  void lucene_windowByReceipt_pending_andOverdue() throws Exception {
    check(() -> AuditStores.lucene(luceneIndex), luceneGroup);
  }

  @Test
  void elasticsearch_windowByReceipt_pending_andOverdue() throws Exception {
    check(this::elasticsearch, esGroup);
  }

  private AuditStore elasticsearch() {
    return ElasticsearchAuditStore.builder(esUrl).index(esAlias).refreshImmediately(true).build();
  }

  private void check(Supplier<AuditStore> stores, String group) throws Exception {
    String today = LocalDate.now(ZoneOffset.UTC).toString();
    String tomorrow = LocalDate.now(ZoneOffset.UTC).plusDays(1).toString();
    try (AuditStore store = stores.get();
        SearchServer server = serve(store, group)) {
      String fhir = server.baseUrl();

      // (a) a window of today: the events received today, half of them recorded in 2001
      String window = verify(fhir, group, "--from", today, "--to", tomorrow);
      assertThat(window)
          .startsWith("0|")
          .contains("INTACT: " + INDEXED + " events")
          .doesNotContain("GAP");
      Parameters windowed =
          operation(fhir + "/AuditEvent/$verify?start=" + today + "&end=" + tomorrow);
      assertThat(windowed.getParameterBool("intact")).as(Fhir.toJson(windowed)).isTrue();
      assertThat(windowed.getParameterValue("eventsChecked").primitiveValue())
          .isEqualTo(String.valueOf(INDEXED));

      // (b) the indexer held: the last events are pending, not a gap
      String all = verify(fhir, group);
      assertThat(all)
          .startsWith("0|")
          .contains("INTACT")
          .contains("; " + HELD + " pending")
          .contains("PENDING partition")
          .doesNotContain("GAP");
      Parameters full = operation(fhir + "/AuditEvent/$verify");
      assertThat(full.getParameterBool("intact")).as(Fhir.toJson(full)).isTrue();
      assertThat(full.getParameterValue("pending").primitiveValue())
          .isEqualTo(String.valueOf(HELD));
      assertThat(full.getParameterValue("pendingSince")).isNotNull();
      assertThat(full.getParameters("pendingChain")).isNotEmpty();
      assertThat(full.getParameters("finding")).isEmpty();
      assertThat(operation(fhir + "/AuditEvent/$verify?pendingBound=5m").getParameterBool("intact"))
          .isTrue();

      // (c) a pending tail older than the bound is a finding of its own, still no gap
      String overdue = verify(fhir, group, "--pending-bound", "PT0.001S");
      assertThat(overdue)
          .startsWith("1|")
          .contains("PENDING_OVERDUE partition")
          .doesNotContain("GAP");
      Parameters late = operation(fhir + "/AuditEvent/$verify?pendingBound=PT0.001S");
      assertThat(late.getParameterBool("intact")).isFalse();
      assertThat(late.getParameters("finding"))
          .isNotEmpty()
          .allSatisfy(
              f ->
                  assertThat(f.getPart())
                      .anySatisfy(
                          p ->
                              assertThat(p.getName() + "=" + p.getValue().primitiveValue())
                                  .isEqualTo("kind=PENDING_OVERDUE")));
      HttpResponse<String> bad =
          ChainedRecords.send(
              HttpRequest.newBuilder(URI.create(fhir + "/AuditEvent/$verify?pendingBound=soon"))
                  .header("Accept", "application/fhir+json")
                  .build());
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(bad.body()).contains("pendingBound");
    }
  }

  private SearchServer serve(AuditStore store, String group) throws Exception {
    ChainVerificationProvider verification =
        new ChainVerificationProvider(
            store.search(),
            () -> VerifyCommand.readCheckpoints(bootstrap, Duration.ofSeconds(10)),
            CheckpointKeys.readPublicKey(keyDir.resolve(CheckpointKeys.PUBLIC_FILE)),
            () -> IndexerProgress.read(bootstrap, group, Duration.ofSeconds(10)),
            ChainVerifier.DEFAULT_PENDING_BOUND,
            v -> DurationConverter.parse("pendingBound", v));
    return new SearchServer(
            "127.0.0.1",
            0,
            FhirServerFactory.create(
                store.search(), null, java.time.Clock.systemUTC(), verification))
        .start();
  }

  private void index(Supplier<AuditStore> stores, String group, Set<String> ids) {
    try (AuditStore store = stores.get();
        AuditIndexer indexer =
            new AuditIndexer(
                    Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ConsumerConfig.GROUP_ID_CONFIG,
                        group),
                    Topics.AUDIT_ENRICHED.name(),
                    store,
                    null)
                .start()) {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  IndexerProgress.read(bootstrap, group, Duration.ofSeconds(10)).stream()
                          .allMatch(t -> t.count() == 0)
                      && ids.stream().allMatch(id -> store.search().read(id).isPresent()));
    }
  }

  private Set<String> send(
      KafkaProducer<byte[], byte[]> raw,
      String xml,
      int from,
      int n,
      java.util.function.IntFunction<String> recorded)
      throws org.atnabridge.atna.ConversionException {
    Set<String> ids = new HashSet<>();
    for (int i = from; i < from + n; i++) {
      byte[] frame =
          xml.replace("2020-03-19T12:24:34.434Z", recorded.apply(i))
              .getBytes(StandardCharsets.UTF_8);
      ids.add(
          new AtnaConverter()
              .convert(frame, RawMetadata.fromHeaders(new RecordHeaders(), 0))
              .get(0)
              .getIdPart());
      ProducerRecord<byte[], byte[]> r =
          new ProducerRecord<>(
              Topics.ATNA_RAW.name(), ("10.0.0." + i).getBytes(StandardCharsets.UTF_8), frame);
      RawHeaders.put(r.headers(), RawHeaders.TRANSPORT, "tcp");
      raw.send(r);
    }
    raw.flush();
    return ids;
  }

  private List<AuditEvent> awaitChained(Set<String> ids) {
    List<AuditEvent>[] chained = new List[1];
    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () -> {
              chained[0] = ChainedRecords.enriched(bootstrap);
              return chained[0].stream().map(AuditEvent::getIdPart).toList().containsAll(ids);
            });
    return chained[0];
  }

  /** Runs {@code atna-bridge verify} and returns {@code exitCode|output}. */
  private String verify(String fhirBase, String group, String... more) {
    StringWriter out = new StringWriter();
    CommandLine cli = AtnaBridgeCommand.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(out, true));
    List<String> args =
        new ArrayList<>(
            List.of(
                "verify",
                "--url",
                fhirBase,
                "--kafka-bootstrap",
                bootstrap,
                "--public-key",
                keyDir.resolve(CheckpointKeys.PUBLIC_FILE).toString(),
                "--indexer-group",
                group,
                "--data-dir",
                dir.toString()));
    args.addAll(List.of(more));
    int code = cli.execute(args.toArray(String[]::new));
    return code + "|" + out;
  }

  private static Parameters operation(String url) {
    HttpResponse<String> r =
        ChainedRecords.send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Accept", "application/fhir+json")
                .build());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return Fhir.jsonParser().parseResource(Parameters.class, r.body());
  }
}
