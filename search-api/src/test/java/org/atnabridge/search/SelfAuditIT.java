package org.atnabridge.search;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.server.RestfulServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.atnabridge.kafka.embedded.EmbeddedKafkaBroker;
import org.atnabridge.schemas.Topics;
import org.atnabridge.schemas.vocab.CodeSystems;
import org.atnabridge.search.feed.AuditEventFeed;
import org.atnabridge.search.feed.FeedUnavailableException;
import org.atnabridge.search.selfaudit.SelfAuditInterceptor;
import org.atnabridge.store.AuditStore;
import org.atnabridge.testing.KafkaBrokerExtension;
import org.hl7.fhir.r5.model.AuditEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Every read and search of the audit trail is itself recorded in {@code audit.events}. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(KafkaBrokerExtension.class)
class SelfAuditIT {

  private AuditStore store;
  private FeedServer fixture;
  private SearchServer server;
  private KafkaConsumer<String, AuditEvent> events;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void start(EmbeddedKafkaBroker kafka, @TempDir Path indexDir) {
    fixture =
        FeedServer.start(
            kafka,
            indexDir,
            List.of(
                AuditEventSearchIT.event(
                    "seen", "2026-04-01T10:00:00Z", "urn:oid:1.2", "SA-1", null)));
    store = fixture.store();
    server = fixture.server();
    events = fixture.events();
  }

  @AfterAll
  void stop() {
    fixture.close();
  }

  @Test
  void read_isRecordedAsBalpRead_withoutCredentials() throws Exception {
    HttpResponse<String> r = get("/AuditEvent/seen", "Bearer top-secret-token");
    assertThat(r.statusCode()).isEqualTo(200);
    AuditEvent record =
        awaitSelfAudit(
            e ->
                e.getEntity().stream()
                    .anyMatch(en -> "AuditEvent/seen".equals(en.getWhat().getReference())));
    assertThat(record.getAction()).isEqualTo(AuditEvent.AuditEventAction.R);
    assertThat(record.getCategory())
        .anySatisfy(c -> assertThat(c.getCoding()).anyMatch(cd -> cd.getCode().equals("110101")));
    assertThat(record.getOutcome().getCode().getCode()).isEqualTo("0");
    assertThat(record.getAgent())
        .anySatisfy(
            a -> {
              assertThat(a.getRequestor()).isTrue();
              assertThat(a.getWho().getIdentifier().getValue()).isEqualTo("anonymous");
            });
    // read: data flows to the client, so the client is the Destination (BALP IHE.BasicAudit.Read)
    assertThat(record.getAgent().get(0).getType().getCodingFirstRep().getCode())
        .isEqualTo("110152");
    assertThat(record.getSource().getObserver().getIdentifier().getValue())
        .isEqualTo("atna-bridge");
    assertThat(Topics.AUDIT_EVENTS.valueSerde().serializer().serialize("t", record))
        .asString(StandardCharsets.UTF_8)
        .doesNotContain("top-secret-token");
  }

  @Test
  void search_isRecordedAsQueryWithTheRawRequest_andFailedReadAsFailure() throws Exception {
    String marker = UUID.randomUUID().toString();
    assertThat(
            get("/AuditEvent?patient:identifier=" + marker, "Bearer another-secret").statusCode())
        .isEqualTo(200);
    AuditEvent query =
        awaitSelfAudit(
            e ->
                e.getAction() == AuditEvent.AuditEventAction.E
                    && e.getEntity().stream()
                        .anyMatch(
                            en ->
                                en.hasQuery()
                                    && new String(en.getQuery(), StandardCharsets.UTF_8)
                                        .contains(marker)));
    String raw =
        new String(
            query.getEntity().stream()
                .filter(en -> en.hasQuery())
                .findFirst()
                .orElseThrow()
                .getQuery(),
            StandardCharsets.UTF_8);
    assertThat(raw).startsWith("GET ").doesNotContain("another-secret");
    assertThat(query.getAgent().get(0).getType().getCodingFirstRep().getCode()).isEqualTo("110153");

    assertThat(get("/AuditEvent/missing-" + marker, null).statusCode()).isEqualTo(404);
    AuditEvent failed =
        awaitSelfAudit(
            e ->
                e.getEntity().stream()
                    .anyMatch(
                        en ->
                            ("AuditEvent/missing-" + marker).equals(en.getWhat().getReference())));
    assertThat(failed.getOutcome().getCode().getCode()).isEqualTo("4");
  }

  @Test
  void userActivityReport_isRecordedAsQueryWithTheRawRequest() throws Exception {
    String marker = "user-" + UUID.randomUUID();
    HttpResponse<String> r =
        get(
            "/$user-activity-report?identifier=" + marker + "&start=2026-01-01&end=2027-01-01",
            null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    AuditEvent query =
        awaitSelfAudit(
            e ->
                e.getEntity().stream()
                    .anyMatch(
                        en ->
                            en.hasQuery()
                                && new String(en.getQuery(), StandardCharsets.UTF_8)
                                    .contains(marker)));
    assertThat(query.getAction()).isEqualTo(AuditEvent.AuditEventAction.E);
    assertThat(
            new String(
                query.getEntity().stream()
                    .filter(en -> en.hasQuery())
                    .findFirst()
                    .orElseThrow()
                    .getQuery(),
                StandardCharsets.UTF_8))
        .startsWith("GET ")
        .contains("$user-activity-report");
    assertThat(query.getOutcome().getCode().getCode()).isEqualTo("0");
  }

  @Test
  void feedDown_refusesToServeUnaudited_andCountsTheFailure() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    RestfulServer fhir =
        FhirServerFactory.create(
            store.search(), failingFeed(attempts, Integer.MAX_VALUE), Clock.systemUTC());
    try (SearchServer other = new SearchServer("127.0.0.1", 0, fhir).start()) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(other.baseUrl() + "/AuditEvent/seen")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.body())
          .contains("OperationOutcome")
          .doesNotContain("SA-1", "broker unreachable");
      SelfAuditInterceptor selfAudit = selfAudit(fhir);
      assertThat(attempts.get()).as("attempts before giving up").isEqualTo(3);
      assertThat(selfAudit.failures()).isEqualTo(1);
      assertThat(selfAudit.written()).isZero();
    }
  }

  @Test
  void feedFailsOnce_isRetried_requestServedAndTheRetryCounted() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    RestfulServer fhir =
        FhirServerFactory.create(store.search(), failingFeed(attempts, 1), Clock.systemUTC());
    try (SearchServer other = new SearchServer("127.0.0.1", 0, fhir).start()) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(other.baseUrl() + "/AuditEvent/seen")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      SelfAuditInterceptor selfAudit = selfAudit(fhir);
      assertThat(selfAudit.retries()).isEqualTo(1);
      assertThat(selfAudit.written()).isEqualTo(1);
      assertThat(selfAudit.failures()).isZero();
    }
  }

  /**
   * The reports write their own answer (the CSV is streamed): each request is still recorded once,
   * before anything is sent.
   */
  @Test
  void reports_csvAndParameters_eachRecordedOnce() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    RestfulServer fhir =
        FhirServerFactory.create(store.search(), failingFeed(attempts, 0), Clock.systemUTC());
    try (SearchServer other = new SearchServer("127.0.0.1", 0, fhir).start()) {
      SelfAuditInterceptor selfAudit = selfAudit(fhir);
      long written = 0;
      for (String path :
          List.of(
              "/Patient/$access-report?identifier=urn:oid:1.2%7CSA-1&start=2026-01-01&end=2027-01-01",
              "/$user-activity-report?identifier=someone&start=2026-01-01&end=2027-01-01")) {
        for (String format : List.of("", "&_format=text/csv")) {
          HttpResponse<String> r =
              http.send(
                  HttpRequest.newBuilder(URI.create(other.baseUrl() + path + format)).build(),
                  HttpResponse.BodyHandlers.ofString());
          assertThat(r.statusCode()).as(path + format).isEqualTo(200);
          assertThat(selfAudit.written()).as(path + format).isEqualTo(++written);
        }
      }
    }
  }

  @Test
  void feedDown_streamedCsv_isRefusedBeforeAnyRow() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    RestfulServer fhir =
        FhirServerFactory.create(
            store.search(), failingFeed(attempts, Integer.MAX_VALUE), Clock.systemUTC());
    try (SearchServer other = new SearchServer("127.0.0.1", 0, fhir).start()) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(
                          other.baseUrl()
                              + "/Patient/$access-report?identifier=urn:oid:1.2%7CSA-1"
                              + "&start=2026-01-01&end=2027-01-01&_format=text/csv"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.body()).contains("OperationOutcome").doesNotContain("user,display");
      assertThat(selfAudit(fhir).written()).isZero();
    }
  }

  /** A feed whose first {@code failures} publishes fail as an unreachable broker would. */
  private static AuditEventFeed failingFeed(AtomicInteger attempts, int failures) {
    return new AuditEventFeed() {
      @Override
      public void publish(List<AuditEvent> e) {
        if (attempts.incrementAndGet() <= failures) {
          throw new FeedUnavailableException("broker unreachable", new RuntimeException());
        }
      }

      @Override
      public void close() {}
    };
  }

  private static SelfAuditInterceptor selfAudit(RestfulServer fhir) {
    return fhir.getInterceptorService().getAllRegisteredInterceptors().stream()
        .filter(SelfAuditInterceptor.class::isInstance)
        .map(SelfAuditInterceptor.class::cast)
        .findFirst()
        .orElseThrow();
  }

  private HttpResponse<String> get(String path, String authorization) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private AuditEvent awaitSelfAudit(Predicate<AuditEvent> match) {
    List<AuditEvent> seen = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      for (ConsumerRecord<String, AuditEvent> r : events.poll(Duration.ofMillis(200))) {
        AuditEvent e = r.value();
        seen.add(e);
        if (e.getMeta().getTag(CodeSystems.RECORD_ORIGIN, CodeSystems.SELF_AUDIT) != null
            && match.test(e)) {
          return e;
        }
      }
    }
    throw new AssertionError("no matching self-audit record among " + seen.size() + " events");
  }
}
