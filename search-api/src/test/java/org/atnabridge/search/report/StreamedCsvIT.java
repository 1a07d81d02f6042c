package org.atnabridge.search.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.server.RestfulServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.search.ExceptionSanitizingInterceptor;
import org.atnabridge.search.Integer64JsonInterceptor;
import org.atnabridge.search.OperationOutputs;
import org.atnabridge.search.SearchServer;
import org.atnabridge.store.AuditEventSearch;
import org.atnabridge.store.AuditPage;
import org.atnabridge.store.AuditQuery;
import org.atnabridge.store.AuditStore;
import org.atnabridge.store.AuditStores;
import org.atnabridge.store.StoreUnavailableException;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Parameters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CSV exports of both reports stream every matching event, past the report cap and across many
 * store pages, over a real Lucene store: {@value #EVENTS} events of one user about one patient,
 * reports capped at {@value #CAP} (the store pages hold {@value AuditQuery#MAX_LIMIT}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StreamedCsvIT {

  static final int EVENTS = 2_500;
  static final int CAP = 1_000;
  static final String[] USERS = {"dr-a", "dr-b", "dr-c"};

  private AuditStore store;
  private SearchServer server;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void start(@TempDir Path indexDir) {
    store = AuditStores.lucene(indexDir);
    List<AuditEvent> events = new ArrayList<>();
    Instant t0 = Instant.parse("2026-03-01T00:00:00Z");
    for (int i = 0; i < EVENTS; i++) {
      // dr-a is the requestor of every event; dr-b and dr-c take turns as the second user
      AuditEvent e =
          ReportsIT.access(
              "bulk-" + i,
              t0.plusSeconds(60L * i).toString(),
              "pat-bulk",
              "dr-a",
              "Alice Adams",
              "TREAT",
              AuditEvent.AuditEventAction.R,
              "0");
      e.getAgent()
          .get(1)
          .setRequestor(true)
          .getWho()
          .setReference("Practitioner/" + USERS[1 + i % 2]);
      events.add(e);
    }
    store.writer().write(events);
    RestfulServer fhir = new RestfulServer(Fhir.context());
    fhir.registerProvider(new AccessReportProvider(store.search(), CAP));
    fhir.registerProvider(new UserActivityReportProvider(store.search(), CAP));
    fhir.registerInterceptor(new Integer64JsonInterceptor());
    server = new SearchServer("127.0.0.1", 0, fhir).start();
  }

  @AfterAll
  void stop() {
    server.close();
    store.close();
  }

  @Test
  void userActivityCsv_everyEventOnce_newestFirst_pastTheCap() throws Exception {
    String query =
        "/$user-activity-report?identifier=urn:users%7Cdr-a&start=2026-01-01&end=2027-01-01";
    Parameters capped = OperationOutputs.assertValidParameters(get(query).body());
    assertThat(capped.getParameterValue("complete").primitiveValue()).isEqualTo("false");
    assertThat(capped.getParameterValue("eventsCounted").primitiveValue()).isEqualTo("1000");

    HttpResponse<String> csv = get(query + "&_format=text/csv");
    assertThat(csv.statusCode()).isEqualTo(200);
    assertThat(csv.headers().firstValue("Content-Type"))
        .hasValueSatisfying(ct -> assertThat(ct).startsWith("text/csv"));
    assertThat(csv.headers().firstValue("X-Report-Complete")).isEmpty();
    String[] lines = csv.body().split("\r\n");
    assertThat(lines[0]).isEqualTo("recorded,event,action,category,code,outcome,patients");
    assertThat(lines).hasSize(EVENTS + 1);
    Set<String> ids = new HashSet<>();
    for (int i = 1; i < lines.length; i++) {
      String id = lines[i].split(",")[1];
      assertThat(ids.add(id)).as("seen once: " + id).isTrue();
      assertThat(id).isEqualTo("bulk-" + (EVENTS - i)); // newest first
    }
  }

  @Test
  void accessReportCsv_foldsEveryEvent_pastTheCap() throws Exception {
    String query = "/Patient/pat-bulk/$access-report?start=2026-01-01&end=2027-01-01";
    Parameters capped = OperationOutputs.assertValidParameters(get(query).body());
    assertThat(capped.getParameterValue("complete").primitiveValue()).isEqualTo("false");

    HttpResponse<String> csv = get(query + "&_format=text/csv");
    assertThat(csv.statusCode()).isEqualTo(200);
    assertThat(csv.headers().firstValue("X-Report-Complete")).isEmpty();
    assertThat(csv.body().split("\r\n"))
        .containsExactly(
            "user,display,count,first_access,last_access,purposes_of_use,actions,outcomes",
            "Practitioner/dr-a,Alice Adams,2500,2026-03-01T00:00:00Z,2026-03-02T17:39:00Z,TREAT,R,Success",
            "Practitioner/dr-c,,1250,2026-03-01T00:01:00Z,2026-03-02T17:39:00Z,TREAT,R,Success",
            "Practitioner/dr-b,,1250,2026-03-01T00:00:00Z,2026-03-02T17:38:00Z,TREAT,R,Success");
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aStoreFailureAfterRowsWentOut_abortsTheDownload_neverAShortFileThatLooksWhole()
      throws Exception {
    // the index goes away after the first page: 1,000 rows are already sent under a 200
    AuditEventSearch failing =
        new AuditEventSearch() {
          @Override
          public java.util.Optional<AuditEvent> read(String id) {
            return store.search().read(id);
          }

          @Override
          public AuditPage search(AuditQuery q) {
            if (q.cursor() != null) {
              throw new StoreUnavailableException("the index went away", null);
            }
            return store.search().search(q);
          }
        };
    RestfulServer fhir = new RestfulServer(Fhir.context());
    fhir.registerProvider(new UserActivityReportProvider(failing, CAP));
    fhir.registerInterceptor(new ExceptionSanitizingInterceptor());
    try (SearchServer broken = new SearchServer("127.0.0.1", 0, fhir).start()) {
      HttpRequest request =
          HttpRequest.newBuilder(
                  URI.create(
                      broken.baseUrl()
                          + "/$user-activity-report?identifier=urn:users%7Cdr-a"
                          + "&start=2026-01-01&end=2027-01-01&_format=text/csv"))
              .build();
      assertThatThrownBy(() -> http.send(request, HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(java.io.IOException.class);
      // the same failure before any row went out is still an answer: 503
      AuditEventSearch down =
          new AuditEventSearch() {
            @Override
            public java.util.Optional<AuditEvent> read(String id) {
              throw new StoreUnavailableException("down", null);
            }

            @Override
            public AuditPage search(AuditQuery q) {
              throw new StoreUnavailableException("down", null);
            }
          };
      RestfulServer fhir2 = new RestfulServer(Fhir.context());
      fhir2.registerProvider(new UserActivityReportProvider(down, CAP));
      fhir2.registerInterceptor(new ExceptionSanitizingInterceptor());
      try (SearchServer downServer = new SearchServer("127.0.0.1", 0, fhir2).start()) {
        HttpResponse<String> refused =
            http.send(
                HttpRequest.newBuilder(
                        URI.create(
                            downServer.baseUrl()
                                + "/$user-activity-report?identifier=urn:users%7Cdr-a"
                                + "&start=2026-01-01&end=2027-01-01&_format=text/csv"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(503);
      }
    }
  }
}
