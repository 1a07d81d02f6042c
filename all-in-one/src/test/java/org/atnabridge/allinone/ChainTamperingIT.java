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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.atnabridge.atna.AtnaConverter;
import org.atnabridge.kafka.embedded.EmbeddedKafkaBroker;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.schemas.RawHeaders;
import org.atnabridge.schemas.Topics;
import org.atnabridge.schemas.chain.ChainLink;
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
import org.atnabridge.testing.KafkaBrokerExtension;
import org.atnabridge.testing.TestVectors;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Parameters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Tampering with the stored events, in Lucene and in Elasticsearch: {@code atna-bridge verify}
 * (through the FHIR server) and {@code GET /fhir/AuditEvent/$verify} name the altered event's
 * sequence number, and the missing one after a document is deleted behind the store's back (with
 * Lucene's own IndexWriter on the data dir; with Elasticsearch's REST API). The store is filled by
 * the real indexer, whose committed position tells verify that the deleted number was indexed: a
 * deletion stays a GAP, never "pending".
 */
@ExtendWith({KafkaBrokerExtension.class, ElasticsearchExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChainTamperingIT {

  @TempDir static Path dir;
  private String bootstrap;
  private String esUrl;
  private Path keyDir;
  private List<AuditEvent> chained;

  @BeforeAll
  void chainSomeEvents(EmbeddedKafkaBroker kafka, ElasticsearchNode es) {
    bootstrap = kafka.bootstrapServers();
    esUrl = es.url();
    kafka.createTopics(Topics.newTopics((short) 1));
    keyDir = dir.resolve("keys");
    String xml =
        new String(TestVectors.bytes("dicom-audit-xml/ipf-pixfeed.xml"), StandardCharsets.UTF_8);
    Set<String> mine = new java.util.HashSet<>();
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
      for (int i = 0; i < 45; i++) {
        byte[] frame =
            xml.replace("2020-03-19T12:24:34.434Z", "2020-03-19T12:24:" + (10 + i) + ".000Z")
                .getBytes(StandardCharsets.UTF_8);
        mine.add(
            new AtnaConverter()
                .convert(
                    frame,
                    org.atnabridge.schemas.RawMetadata.fromHeaders(
                        new org.apache.kafka.common.header.internals.RecordHeaders(), 0))
                .get(0)
                .getIdPart());
        ProducerRecord<byte[], byte[]> r =
            new ProducerRecord<>(
                Topics.ATNA_RAW.name(), ("10.0.0." + i).getBytes(StandardCharsets.UTF_8), frame);
        RawHeaders.put(r.headers(), RawHeaders.TRANSPORT, "tcp");
        raw.send(r);
      }
      raw.flush();
      await()
          .atMost(Duration.ofSeconds(90))
          .until(
              () -> {
                chained = ChainedRecords.enriched(bootstrap);
                return chained.stream()
                    .map(AuditEvent::getIdPart)
                    .collect(Collectors.toSet())
                    .containsAll(mine);
              });
      // the 1 s punctuation signs a checkpoint at each head before we stop
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  VerifyCommand.readCheckpoints(bootstrap, Duration.ofSeconds(10)).stream()
                          .mapToLong(cp -> cp.seq())
                          .max()
                          .orElse(0)
                      >= maxSeq(chained));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static long maxSeq(List<AuditEvent> events) {
    return events.stream()
        .map(ChainLink::from)
        .mapToLong(l -> l == null ? 0 : l.seq())
        .max()
        .orElse(0);
  }

  @Test
  void lucene_alteredAndDeletedEvents_verifyNamesTheirSequenceNumbers() {
    Path index = dir.resolve("index-" + UUID.randomUUID());
    tamper(
        () -> AuditStores.lucene(index),
        // someone with access to the data dir removes one document with Lucene itself, behind
        // the store's back (the store is closed, as after a stop of serve)
        id -> LuceneTampering.delete(index, id));
  }

  @Test
  void elasticsearch_alteredAndDeletedEvents_verifyNamesTheirSequenceNumbers() {
    String alias = "tamper-" + UUID.randomUUID();
    tamper(
        () -> ElasticsearchAuditStore.builder(esUrl).index(alias).refreshImmediately(true).build(),
        id -> {
          // someone with access to the cluster deletes one document through its REST API (the
          // integ-test distribution has no _delete_by_query: find the monthly index, delete there)
          HttpResponse<String> found =
              ChainedRecords.send(
                  HttpRequest.newBuilder(URI.create(esUrl + "/" + alias + "/_search"))
                      .header("Content-Type", "application/json")
                      .POST(
                          HttpRequest.BodyPublishers.ofString(
                              "{\"query\":{\"ids\":{\"values\":[\"" + id + "\"]}}}"))
                      .build());
          java.util.regex.Matcher index =
              java.util.regex.Pattern.compile("\"_index\":\"([^\"]+)\"").matcher(found.body());
          assertThat(index.find()).as(found.body()).isTrue();
          HttpResponse<String> r =
              ChainedRecords.send(
                  HttpRequest.newBuilder(
                          URI.create(
                              esUrl + "/" + index.group(1) + "/_doc/" + id + "?refresh=true"))
                      .DELETE()
                      .build());
          assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
          assertThat(r.body()).contains("\"result\":\"deleted\"");
        });
  }

  private void tamper(
      java.util.function.Supplier<AuditStore> stores,
      java.util.function.Consumer<String> deleteOutOfBand) {
    // the store as the indexer leaves it: the latest document per id
    Map<String, AuditEvent> latest = new HashMap<>();
    chained.forEach(
        e ->
            latest.merge(
                e.getIdPart(),
                e,
                (a, b) -> ChainLink.from(a).seq() > ChainLink.from(b).seq() ? a : b));
    List<AuditEvent> all = new ArrayList<>(latest.values());
    // inside its chain, not its head: $verify here has no checkpoints, and only a checkpoint shows
    // a missing head
    Map<Integer, Long> heads =
        all.stream()
            .map(ChainLink::from)
            .collect(Collectors.toMap(ChainLink::partition, ChainLink::seq, Math::max));
    AuditEvent victim =
        all.stream()
            .filter(
                e ->
                    ChainLink.from(e).seq() > 2
                        && ChainLink.from(e).seq() < heads.get(ChainLink.from(e).partition()))
            .findFirst()
            .orElseThrow();
    ChainLink victimLink = ChainLink.from(victim);

    // the real indexer fills the store and commits its position: verify checks every chain up to it
    String group = "tamper-indexer-" + UUID.randomUUID();
    try (AuditStore store = stores.get();
        SearchServer server = serve(store)) {
      try (AuditIndexer indexer =
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
                        && all.stream()
                            .allMatch(e -> store.search().read(e.getIdPart()).isPresent()));
      }
      assertThat(verify(server.baseUrl(), group))
          .startsWith("0|")
          .contains("INTACT")
          .contains("; 0 pending");

      AuditEvent altered = Fhir.auditEventFromJson(Fhir.toJson(victim));
      altered.getOutcome().getDetailFirstRep().setText("nothing to see here");
      store.writer().write(List.of(altered));
      String out = verify(server.baseUrl(), group);
      assertThat(out)
          .startsWith("1|")
          .contains(
              "ALTERED partition "
                  + victimLink.partition()
                  + " seq "
                  + victimLink.seq()
                  + " id "
                  + victim.getIdPart());
      Parameters p = operation(server.baseUrl() + "/AuditEvent/$verify");
      assertThat(p.getParameterBool("intact")).isFalse();
      assertThat(p.getParameters("finding"))
          .anySatisfy(
              f -> {
                assertThat(f.getPart())
                    .anySatisfy(
                        part ->
                            assertThat(part.getName() + "=" + part.getValue().primitiveValue())
                                .isEqualTo("kind=ALTERED"));
                assertThat(f.getPart())
                    .anySatisfy(
                        part ->
                            assertThat(part.getName() + "=" + part.getValue().primitiveValue())
                                .isEqualTo("fromSeq=" + victimLink.seq()));
              });
      store.writer().write(List.of(victim)); // put the original back: intact again
      assertThat(verify(server.baseUrl(), group)).startsWith("0|").contains("INTACT");
    }

    deleteOutOfBand.accept(victim.getIdPart());

    try (AuditStore store = stores.get();
        SearchServer server = serve(store)) {
      assertThat(store.search().read(victim.getIdPart())).isEmpty();
      String out = verify(server.baseUrl(), group);
      assertThat(out)
          .startsWith("1|")
          .contains("GAP partition " + victimLink.partition() + " seq " + victimLink.seq() + ":");
      assertThat(operation(server.baseUrl() + "/AuditEvent/$verify").getParameterBool("intact"))
          .isFalse();
    }
  }

  private static SearchServer serve(AuditStore store) {
    return new SearchServer("127.0.0.1", 0, FhirServerFactory.create(store.search())).start();
  }

  /** Runs {@code atna-bridge verify} and returns {@code exitCode|output}. */
  private String verify(String fhirBase, String indexerGroup) {
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(new AtnaBridgeCommand());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(out, true));
    int code =
        cli.execute(
            "verify",
            "--url",
            fhirBase,
            "--kafka-bootstrap",
            bootstrap,
            "--public-key",
            keyDir.resolve(CheckpointKeys.PUBLIC_FILE).toString(),
            "--indexer-group",
            indexerGroup,
            "--data-dir",
            dir.toString());
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
