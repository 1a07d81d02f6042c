package org.atnabridge.search.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.schemas.vocab.CodeSystems;
import org.atnabridge.search.FhirServerFactory;
import org.atnabridge.search.Integer64JsonInterceptor;
import org.atnabridge.search.OperationOutputs;
import org.atnabridge.search.SearchServer;
import org.atnabridge.search.TestVectorEvents;
import org.atnabridge.store.AuditQuery;
import org.atnabridge.store.AuditStore;
import org.atnabridge.store.AuditStores;
import org.atnabridge.store.Criterion;
import org.atnabridge.store.SearchField;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.CapabilityStatement;
import org.hl7.fhir.r5.model.CodeableConcept;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.DataType;
import org.hl7.fhir.r5.model.Identifier;
import org.hl7.fhir.r5.model.Parameters;
import org.hl7.fhir.r5.model.Patient;
import org.hl7.fhir.r5.model.Reference;
import org.hl7.fhir.r5.model.StringType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Patient/$access-report} and {@code AuditEvent/$stats} against a running server over a real
 * Lucene store holding the shared test vectors (converted by the real converter) and a hand-made
 * month of accesses to one patient whose answer is known exactly. An Elasticsearch variant
 * overrides {@link #newStore} (the expectations hold for any store: Lucene and Elasticsearch order
 * terms and buckets alike).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReportsIT {

  static final String ACT_REASON = CodeSystems.V3_ACT_REASON;
  static final String ACTION = CodeSystems.AUDIT_EVENT_ACTION;
  static final String OUTCOME = CodeSystems.AUDIT_EVENT_OUTCOME;

  /** A patient of several test vectors: ipf-pdqv3, ipf-pixfeedmergesource, ipf-xpidsource. */
  static final String VECTOR_PATIENT = "urn:oid:1.3.6.1.4.1.21367.13.20.1000|IHERED-2340";

  static final String PROBE_CELL = "jdoe;=cmd|' /C calc'!A0;";

  private AuditStore store;
  private SearchServer server;
  private IGenericClient client;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void start(@TempDir Path indexDir) {
    store = newStore(indexDir);
    List<AuditEvent> events = new ArrayList<>(TestVectorEvents.load());
    events.add(
        access(
            "h1",
            "2026-06-02T08:00:00Z",
            "pat-1",
            "dr-a",
            "Alice Adams",
            "TREAT",
            AuditEvent.AuditEventAction.R,
            "0"));
    events.add(
        access(
            "h2",
            "2026-06-10T12:30:00Z",
            "pat-1",
            "dr-a",
            "Alice Adams",
            "ETREAT",
            AuditEvent.AuditEventAction.R,
            "0"));
    events.add(
        access(
            "h3",
            "2026-06-20T17:45:00Z",
            "pat-1",
            "dr-a",
            "Alice Adams",
            "TREAT",
            AuditEvent.AuditEventAction.U,
            "8"));
    events.add(
        access(
            "h4",
            "2026-06-15T09:00:00Z",
            "pat-1",
            "dr-b",
            "Bob, Jr.",
            "HPAYMT",
            AuditEvent.AuditEventAction.R,
            "0"));
    events.add(
        access(
            "h5",
            "2026-06-16T10:00:00Z",
            "pat-1",
            "mallory",
            "=HYPERLINK(\"http://x\")",
            "TREAT",
            AuditEvent.AuditEventAction.E,
            "4"));
    // outside the window [2026-06-01, 2026-07-01): just before, and exactly at the exclusive end
    events.add(
        access(
            "h6",
            "2026-05-31T23:59:59Z",
            "pat-1",
            "dr-a",
            "Alice Adams",
            "TREAT",
            AuditEvent.AuditEventAction.R,
            "0"));
    events.add(
        access(
            "h7",
            "2026-07-01T00:00:00Z",
            "pat-1",
            "dr-a",
            "Alice Adams",
            "TREAT",
            AuditEvent.AuditEventAction.R,
            "0"));
    // dr-a and another patient
    events.add(
        access(
            "h10",
            "2026-06-25T11:00:00Z",
            "pat-4",
            "dr-a",
            "Alice Adams",
            "TREAT",
            AuditEvent.AuditEventAction.R,
            "0"));
    // another patient
    events.add(
        access(
            "h8",
            "2026-06-05T00:00:00Z",
            "pat-2",
            "dr-c",
            "Carol",
            "TREAT",
            AuditEvent.AuditEventAction.R,
            "0"));
    // an attacker's user name: harmless with "," as the delimiter, a formula with ";"
    events.add(
        access(
            "h9",
            "2026-06-07T00:00:00Z",
            "pat-3",
            "jdoe",
            PROBE_CELL,
            "TREAT",
            AuditEvent.AuditEventAction.R,
            "0"));
    store.writer().write(events);
    server = new SearchServer("127.0.0.1", 0, FhirServerFactory.create(store.search())).start();
    Fhir.context()
        .getRestfulClientFactory()
        .setServerValidationMode(ServerValidationModeEnum.NEVER);
    client = Fhir.context().newRestfulGenericClient(server.baseUrl());
  }

  /** The store under the server; written once, read by every test. */
  protected AuditStore newStore(Path indexDir) {
    return AuditStores.lucene(indexDir);
  }

  @AfterAll
  void stop() {
    server.close();
    store.close();
  }

  @Test
  void metadata_declaresBothReports() {
    CapabilityStatement cs = client.capabilities().ofType(CapabilityStatement.class).execute();
    var resources = cs.getRestFirstRep().getResource();
    assertThat(resources)
        .filteredOn(r -> r.getType().equals("Patient"))
        .singleElement()
        .satisfies(
            r ->
                assertThat(r.getOperation())
                    .extracting(o -> o.getName())
                    .containsExactly("access-report"));
    assertThat(resources)
        .filteredOn(r -> r.getType().equals("AuditEvent"))
        .singleElement()
        .satisfies(
            r ->
                assertThat(r.getOperation())
                    .extracting(o -> o.getName())
                    .contains("stats", "verify"));
    assertThat(cs.getRestFirstRep().getOperation())
        .extracting(o -> o.getName())
        .contains("user-activity-report");
  }

  // ---- $user-activity-report -----------------------------------------------------------------

  /**
   * dr-a's month: h1 (R, TREAT), h2 (R), h3 (U, failed), all about pat-1; h6 and h7 lie outside.
   */
  @Test
  void userActivity_countsByActionAndCode_distinctPatients_andTheEvents() throws Exception {
    // a second patient for dr-a, in the window
    Parameters report =
        OperationOutputs.assertValidParameters(
            get("/$user-activity-report?identifier="
                    + enc("urn:users|dr-a")
                    + "&start=2026-06-01&end=2026-07-01")
                .body());

    assertThat(((Reference) report.getParameter("user").getValue()).getIdentifier().getValue())
        .isEqualTo("dr-a");
    assertThat(report.getParameterValue("eventsMatching").primitiveValue()).isEqualTo("4");
    assertThat(report.getParameterValue("complete").primitiveValue()).isEqualTo("true");
    Map<String, Long> actions = new LinkedHashMap<>();
    report
        .getParameters("action")
        .forEach(
            a ->
                actions.put(
                    part(a, "code").primitiveValue(),
                    Long.parseLong(part(a, "count").primitiveValue())));
    assertThat(actions).containsExactly(Map.entry("R", 3L), Map.entry("U", 1L));
    assertThat(report.getParameters("code"))
        .singleElement()
        .satisfies(
            c -> {
              assertThat(((Coding) part(c, "coding")).getCode()).isEqualTo("110110");
              assertThat(part(c, "count").primitiveValue()).isEqualTo("4");
            });
    assertThat(report.getParameterValue("patientCount").primitiveValue()).isEqualTo("2");
    assertThat(report.getParameters("patient"))
        .extracting(
            p ->
                ((Reference) part(p, "who")).getReference()
                    + "="
                    + part(p, "count").primitiveValue())
        .containsExactly("Patient/pat-1=3", "Patient/pat-4=1");
    // the events, newest first
    assertThat(report.getParameters("event"))
        .extracting(e -> ((Reference) part(e, "event")).getReference())
        .containsExactly("AuditEvent/h10", "AuditEvent/h3", "AuditEvent/h2", "AuditEvent/h1");
    Parameters.ParametersParameterComponent h3 = report.getParameters("event").get(1);
    assertThat(part(h3, "action").primitiveValue()).isEqualTo("U");
    assertThat(((Coding) part(h3, "outcome")).getCode()).isEqualTo("8");
    assertThat(((Reference) part(h3, "patient")).getReference()).isEqualTo("Patient/pat-1");
  }

  @Test
  void userActivity_valueAlone_matchesAnySystem_andAnotherSystemNothing() throws Exception {
    String window = "&start=2026-06-01&end=2026-07-01";
    Parameters anySystem =
        OperationOutputs.assertValidParameters(
            get("/$user-activity-report?identifier=dr-a" + window).body());
    assertThat(anySystem.getParameterValue("eventsMatching").primitiveValue()).isEqualTo("4");
    Parameters other =
        OperationOutputs.assertValidParameters(
            get("/$user-activity-report?identifier=" + enc("urn:other|dr-a") + window).body());
    assertThat(other.getParameterValue("eventsMatching").primitiveValue()).isEqualTo("0");
    assertThat(other.getParameter("patientCount").getValue().primitiveValue()).isEqualTo("0");
  }

  /**
   * openatna-application-login: misys failed to log in (DCM 110114 User Authentication, outcome 8).
   */
  @Test
  void userActivity_overTheConvertedTestVectors_showsAFailedLogin() throws Exception {
    Parameters report =
        OperationOutputs.assertValidParameters(
            get("/$user-activity-report?identifier=misys" + "&start=2000-01-01&end=2100-01-01")
                .body());
    assertThat(report.getParameterValue("eventsMatching").primitiveValue()).isEqualTo("1");
    assertThat(report.getParameters("category"))
        .singleElement()
        .satisfies(c -> assertThat(((Coding) part(c, "coding")).getCode()).isEqualTo("110114"));
    Parameters.ParametersParameterComponent login = report.getParameters("event").get(0);
    assertThat(((Coding) part(login, "outcome")).getCode()).isEqualTo("8");
    assertThat(report.getParameterValue("patientCount").primitiveValue()).isEqualTo("0");

    // echoes the system the caller gave ("BLA", no URI): parsed, not validated
    Parameters ihe =
        Fhir.jsonParser()
            .parseResource(
                Parameters.class,
                get("/$user-activity-report?identifier="
                        + enc("BLA|IHE_SYS_IHERED")
                        + "&start=2000-01-01&end=2100-01-01")
                    .body());
    assertThat(ihe.getParameterValue("eventsMatching").primitiveValue())
        .isEqualTo("0"); // BLA| is no system here
    Parameters byValue =
        OperationOutputs.assertValidParameters(
            get("/$user-activity-report?identifier="
                    + enc("|BLA|IHE_SYS_IHERED")
                    + "&start=2000-01-01&end=2100-01-01")
                .body());
    assertThat(Long.parseLong(byValue.getParameterValue("eventsMatching").primitiveValue()))
        .isGreaterThanOrEqualTo(2);
    assertThat(byValue.getParameters("patient"))
        .extracting(p -> ((Reference) part(p, "who")).getIdentifier().getValue())
        .contains("IHERED-2340");
  }

  @Test
  void userActivity_csv_oneLinePerEvent_noFormulas() throws Exception {
    HttpResponse<String> r =
        get(
            "/$user-activity-report?identifier=dr-a&start=2026-06-01&end=2026-07-01&_format="
                + enc("text/csv"));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(ct -> assertThat(ct).startsWith("text/csv"));
    assertThat(r.body())
        .isEqualTo(
            "recorded,event,action,category,code,outcome,patients\r\n"
                + "2026-06-25T11:00:00Z,h10,R,,Patient Record,Success,Patient/pat-4\r\n"
                + "2026-06-20T17:45:00Z,h3,U,,Patient Record,Serious failure,Patient/pat-1\r\n"
                + "2026-06-10T12:30:00Z,h2,R,,Patient Record,Success,Patient/pat-1\r\n"
                + "2026-06-02T08:00:00Z,h1,R,,Patient Record,Success,Patient/pat-1\r\n");
  }

  @Test
  void userActivity_missingUserOrWindow_is400() throws Exception {
    for (String query :
        List.of(
            "start=2026-06-01&end=2026-07-01",
            "identifier=dr-a&end=2026-07-01",
            "identifier=dr-a&start=2026-06-01",
            "identifier=dr-a&start=2026-07-01&end=2026-06-01",
            "identifier=dr-a&start=soon&end=2026-07-01")) {
      HttpResponse<String> r = get("/$user-activity-report?" + query);
      assertThat(r.statusCode()).as(query).isEqualTo(400);
      assertThat(r.body())
          .as(query)
          .contains("OperationOutcome")
          .doesNotContain("Exception", "at org.");
    }
  }

  /** The Parameters answer stops at the cap and says so; the CSV export streams every event. */
  @Test
  void userActivity_overTheCap_parametersSayIncomplete_csvHasEveryEvent() throws Exception {
    RestfulServer capped = new RestfulServer(Fhir.context());
    capped.registerProvider(new UserActivityReportProvider(store.search(), 2));
    capped.registerInterceptor(new Integer64JsonInterceptor()); // as FhirServerFactory does
    try (SearchServer small = new SearchServer("127.0.0.1", 0, capped).start()) {
      String url =
          small.baseUrl()
              + "/$user-activity-report?identifier=dr-a&start=2026-01-01&end=2027-01-01";
      Parameters report =
          OperationOutputs.assertValidParameters(
              http.send(
                      HttpRequest.newBuilder(URI.create(url)).build(),
                      HttpResponse.BodyHandlers.ofString())
                  .body());
      assertThat(report.getParameterValue("complete").primitiveValue()).isEqualTo("false");
      assertThat(report.getParameterValue("eventsCounted").primitiveValue()).isEqualTo("2");
      assertThat(report.getParameterValue("eventsMatching").primitiveValue()).isEqualTo("6");
      assertThat(report.getParameters("event")).hasSize(2);
      HttpResponse<String> csv =
          http.send(
              HttpRequest.newBuilder(URI.create(url + "&_format=text/csv")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(csv.statusCode()).isEqualTo(200);
      assertThat(csv.headers().firstValue("X-Report-Complete")).isEmpty();
      List<String> lines = List.of(csv.body().split("\r\n"));
      assertThat(lines.get(0)).isEqualTo("recorded,event,action,category,code,outcome,patients");
      // every one of the 6 matching events, each once, newest first, though the cap is 2
      assertThat(lines.subList(1, lines.size()))
          .extracting(l -> l.split(",")[1])
          .containsExactly("h7", "h10", "h3", "h2", "h1", "h6");
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Test
  void accessReport_byId_onePerUserWithCountsFirstLastPurposesActionsOutcomes() {
    Parameters in = new Parameters();
    in.addParameter().setName("start").setValue(new StringType("2026-06-01"));
    in.addParameter().setName("end").setValue(new StringType("2026-07-01"));
    Parameters report =
        client
            .operation()
            .onInstance("Patient/pat-1")
            .named("$access-report")
            .withParameters(in)
            .useHttpGet()
            .returnResourceType(Parameters.class)
            .execute();
    OperationOutputs.assertValid(report);

    assertThat(((Reference) report.getParameter("patient").getValue()).getReference())
        .isEqualTo("Patient/pat-1");
    assertThat(report.getParameterValue("eventsMatching").primitiveValue()).isEqualTo("5");
    assertThat(report.getParameterValue("complete").primitiveValue()).isEqualTo("true");
    List<Parameters.ParametersParameterComponent> users = report.getParameters("user");
    assertThat(users)
        .extracting(u -> ((Reference) part(u, "who")).getReference())
        .containsExactly("Practitioner/dr-a", "Practitioner/mallory", "Practitioner/dr-b");

    Parameters.ParametersParameterComponent alice = users.get(0);
    assertThat(part(alice, "display").primitiveValue()).isEqualTo("Alice Adams");
    assertThat(part(alice, "count").primitiveValue()).isEqualTo("3");
    assertThat(instant(alice, "firstAccess")).isEqualTo("2026-06-02T08:00:00Z");
    assertThat(instant(alice, "lastAccess")).isEqualTo("2026-06-20T17:45:00Z");
    assertThat(parts(alice, "purposeOfUse"))
        .extracting(t -> ((Coding) t).getCode())
        .containsExactly("ETREAT", "TREAT");
    assertThat(parts(alice, "action"))
        .extracting(DataType::primitiveValue)
        .containsExactly("R", "U");
    assertThat(parts(alice, "outcome"))
        .extracting(t -> ((Coding) t).getCode())
        .containsExactly("0", "8");

    Parameters.ParametersParameterComponent bob = users.get(2);
    assertThat(part(bob, "count").primitiveValue()).isEqualTo("1");
    assertThat(instant(bob, "firstAccess"))
        .isEqualTo("2026-06-15T09:00:00Z")
        .isEqualTo(instant(bob, "lastAccess"));
    assertThat(parts(bob, "purposeOfUse"))
        .extracting(t -> ((Coding) t).getCode())
        .containsExactly("HPAYMT");
  }

  @Test
  void accessReport_byIdentifier_coversTheConvertedTestVectors() {
    Parameters in = new Parameters();
    in.addParameter().setName("identifier").setValue(new StringType(VECTOR_PATIENT));
    in.addParameter().setName("start").setValue(new StringType("2000-01-01"));
    in.addParameter().setName("end").setValue(new StringType("2100-01-01"));
    Parameters report =
        client
            .operation()
            .onType(Patient.class)
            .named("$access-report")
            .withParameters(in)
            .useHttpGet()
            .returnResourceType(Parameters.class)
            .execute();
    // users known by identifier only have no display: no empty "display" part (inv-1)
    OperationOutputs.assertValid(report);

    assertThat(report.getParameterValue("eventsMatching").primitiveValue()).isEqualTo("3");
    Map<String, String> counts = new LinkedHashMap<>();
    Map<String, List<String>> actions = new LinkedHashMap<>();
    for (Parameters.ParametersParameterComponent u : report.getParameters("user")) {
      Identifier id = ((Reference) part(u, "who")).getIdentifier();
      counts.put(id.getValue(), part(u, "count").primitiveValue());
      actions.put(
          id.getValue(), parts(u, "action").stream().map(DataType::primitiveValue).toList());
    }
    // ipf-pixfeedmergesource and ipf-xpidsource (update by BLA|IHE_SYS_IHERED), ipf-pdqv3 (query)
    assertThat(counts)
        .containsExactly(Map.entry("BLA|IHE_SYS_IHERED", "2"), Map.entry("unknown", "1"));
    assertThat(actions)
        .containsEntry("BLA|IHE_SYS_IHERED", List.of("U"))
        .containsEntry("unknown", List.of("E"));
  }

  @Test
  void accessReport_csv_rfc4180WithHeaderAndNoFormulas() throws Exception {
    HttpResponse<String> r =
        get(
            "/Patient/pat-1/$access-report?start=2026-06-01&end=2026-07-01&_format="
                + URLEncoder.encode("text/csv", StandardCharsets.UTF_8));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(ct -> assertThat(ct).startsWith("text/csv"));
    assertThat(r.body())
        .isEqualTo(
            "user,display,count,first_access,last_access,purposes_of_use,actions,outcomes\r\n"
                + "Practitioner/dr-a,Alice Adams,3,2026-06-02T08:00:00Z,2026-06-20T17:45:00Z,\"ETREAT; TREAT\",\"R; U\","
                + "\"Success; Serious failure\"\r\n"
                + "Practitioner/mallory,\"'=HYPERLINK(\"\"http://x\"\")\",1,2026-06-16T10:00:00Z,2026-06-16T10:00:00Z,"
                + "TREAT,E,Minor failure\r\n"
                + "Practitioner/dr-b,\"Bob, Jr.\",1,2026-06-15T09:00:00Z,2026-06-15T09:00:00Z,HPAYMT,R,Success\r\n");
  }

  @Test
  void accessReport_csv_cellWithASemicolon_isQuoted_soNoDelimiterMakesAFormula() throws Exception {
    HttpResponse<String> r =
        get(
            "/Patient/pat-3/$access-report?start=2026-06-01&end=2026-07-01&_format="
                + URLEncoder.encode("text/csv", StandardCharsets.UTF_8));
    assertThat(r.statusCode()).isEqualTo(200);
    String row = r.body().split("\r\n")[1];
    assertThat(row)
        .isEqualTo(
            "Practitioner/jdoe,\"jdoe;'=cmd|' /C calc'!A0;\",1,2026-06-07T00:00:00Z,"
                + "2026-06-07T00:00:00Z,TREAT,R,Success");
    // as a semicolon-locale spreadsheet reads it (a quote that does not open a field is literal)
    assertThat(semicolonCells(row))
        .hasSize(3)
        .noneMatch(cell -> !cell.isEmpty() && "=+-@\t\r".indexOf(cell.charAt(0)) >= 0);
  }

  /**
   * A row split on ";" as a spreadsheet in a semicolon locale splits it: a quote counts only at the
   * start of a field (RFC 4180 §2.5), elsewhere it is an ordinary character.
   */
  private static List<String> semicolonCells(String row) {
    List<String> cells = new ArrayList<>();
    int start = 0;
    while (start <= row.length()) {
      int end;
      if (start < row.length() && row.charAt(start) == '"') {
        int close = row.indexOf('"', start + 1);
        while (close >= 0 && close + 1 < row.length() && row.charAt(close + 1) == '"') {
          close = row.indexOf('"', close + 2);
        }
        end = row.indexOf(';', close < 0 ? row.length() : close);
      } else {
        end = row.indexOf(';', start);
      }
      end = end < 0 ? row.length() : end;
      cells.add(row.substring(start, end));
      start = end + 1;
    }
    return cells;
  }

  @Test
  void accessReport_missingOrInvalidWindow_is400() throws Exception {
    for (String query :
        List.of(
            "end=2026-07-01",
            "start=2026-06-01",
            "start=yesterday&end=2026-07-01",
            "start=2026-07-01&end=2026-06-01")) {
      HttpResponse<String> r = get("/Patient/pat-1/$access-report?" + query);
      assertThat(r.statusCode()).as(query).isEqualTo(400);
      assertThat(r.body())
          .as(query)
          .contains("OperationOutcome")
          .doesNotContain("Exception", "at org.");
    }
    HttpResponse<String> noPatient = get("/Patient/$access-report?start=2026-06-01&end=2026-07-01");
    assertThat(noPatient.statusCode()).isEqualTo(400);
    assertThat(noPatient.body()).contains("identifier");
  }

  @Test
  void accessReport_largeWindow_stopsAtTheCapAndSaysSo() {
    AuditQuery.Builder query =
        AuditQuery.builder()
            .reference(SearchField.PATIENT, Criterion.ReferenceValue.literal("Patient/pat-1"));
    AccessReport report = AccessReport.run(store.search(), query, 2);
    assertThat(report.eventsCounted()).isEqualTo(2);
    assertThat(report.eventsMatching()).isEqualTo(7);
    assertThat(report.complete()).isFalse();
    // newest first: h7 and h3, both by dr-a
    assertThat(report.users()).extracting(AccessReport.UserAccess::count).containsExactly(2L);
  }

  /** The Parameters answer stops at the cap and says so; the CSV export folds every event. */
  @Test
  void accessReport_overTheCap_parametersSayIncomplete_csvCountsEveryEvent() throws Exception {
    RestfulServer capped = new RestfulServer(Fhir.context());
    capped.registerProvider(new AccessReportProvider(store.search(), 2));
    try (SearchServer small = new SearchServer("127.0.0.1", 0, capped).start()) {
      String url =
          small.baseUrl() + "/Patient/pat-1/$access-report?start=2026-01-01&end=2027-01-01";
      Parameters report =
          Fhir.jsonParser()
              .parseResource(
                  Parameters.class,
                  http.send(
                          HttpRequest.newBuilder(URI.create(url)).build(),
                          HttpResponse.BodyHandlers.ofString())
                      .body());
      assertThat(report.getParameterValue("complete").primitiveValue()).isEqualTo("false");
      assertThat(report.getParameterValue("eventsCounted").primitiveValue()).isEqualTo("2");
      assertThat(report.getParameterValue("eventsMatching").primitiveValue()).isEqualTo("7");
      HttpResponse<String> csv =
          http.send(
              HttpRequest.newBuilder(URI.create(url + "&_format=text/csv")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(csv.statusCode()).isEqualTo(200);
      assertThat(csv.headers().firstValue("X-Report-Complete")).isEmpty();
      List<String> lines = List.of(csv.body().split("\r\n"));
      assertThat(lines.get(0)).startsWith("user,display,count,");
      // the counts of the user lines add up to all 7 matching events, though the cap is 2
      assertThat(
              lines.subList(1, lines.size()).stream()
                  .mapToLong(l -> Long.parseLong(l.replaceAll("\"[^\"]*\"", "").split(",")[2]))
                  .sum())
          .isEqualTo(7);
    }
  }

  /** The events here carry no chain link: $verify answers with findings, and they validate too. */
  @Test
  void verify_answerWithFindings_isValidR5() throws Exception {
    Parameters verified = OperationOutputs.assertValidParameters(get("/AuditEvent/$verify").body());
    assertThat(verified.getParameterValue("intact").primitiveValue()).isEqualTo("false");
    assertThat(verified.getParameters("finding")).isNotEmpty();
  }

  @Test
  void stats_countsByFieldAndDateHistogram() {
    Parameters stats =
        client
            .operation()
            .onType(AuditEvent.class)
            .named("$stats")
            .withSearchParameter(
                Parameters.class,
                "patient",
                new ca.uhn.fhir.rest.param.ReferenceParam("Patient/pat-1"))
            .andSearchParameter("field", new ca.uhn.fhir.rest.param.StringParam("action"))
            .andSearchParameter("interval", new ca.uhn.fhir.rest.param.TokenParam("month"))
            .useHttpGet()
            .returnResourceType(Parameters.class)
            .execute();
    OperationOutputs.assertValid(stats);
    assertThat(stats.getParameterValue("total").primitiveValue()).isEqualTo("7");
    assertThat(terms(stats))
        .containsExactly(
            Map.entry(ACTION + "|R", 5L),
            Map.entry(ACTION + "|E", 1L),
            Map.entry(ACTION + "|U", 1L));
    assertThat(buckets(stats))
        .containsExactly(
            Map.entry("2026-05-01T00:00:00Z", 1L),
            Map.entry("2026-06-01T00:00:00Z", 5L),
            Map.entry("2026-07-01T00:00:00Z", 1L));
  }

  @Test
  void stats_takeTheSearchFiltersOverConvertedVectors() throws Exception {
    Parameters stats =
        Fhir.jsonParser()
            .parseResource(
                Parameters.class,
                get("/AuditEvent/$stats?patient.identifier="
                        + URLEncoder.encode(VECTOR_PATIENT, StandardCharsets.UTF_8)
                        + "&field=action&interval=day")
                    .body());
    assertThat(stats.getParameterValue("total").primitiveValue()).isEqualTo("3");
    assertThat(terms(stats))
        .containsExactly(Map.entry(ACTION + "|U", 2L), Map.entry(ACTION + "|E", 1L));
    assertThat(buckets(stats).values().stream().mapToLong(Long::longValue).sum()).isEqualTo(3);

    Parameters june =
        Fhir.jsonParser()
            .parseResource(
                Parameters.class,
                get("/AuditEvent/$stats?date=ge2026-06-01&date=lt2026-07-01&patient=Patient/pat-1&field=agent&top=2")
                    .body());
    assertThat(june.getParameterValue("total").primitiveValue()).isEqualTo("5");
    assertThat(terms(june))
        .containsExactly(Map.entry("Device/ehr", 5L), Map.entry("Practitioner/dr-a", 3L));
    assertThat(buckets(june)).hasSize(5).allSatisfy((day, n) -> assertThat(n).isEqualTo(1L));
  }

  @Test
  void stats_takeEverySearchParameterTheServerDeclares() throws Exception {
    CapabilityStatement cs = client.capabilities().ofType(CapabilityStatement.class).execute();
    var params =
        cs.getRestFirstRep().getResource().stream()
            .filter(r -> r.getType().equals("AuditEvent"))
            .findFirst()
            .orElseThrow()
            .getSearchParam();
    assertThat(params).hasSizeGreaterThan(20);
    for (var p : params) {
      if (p.getName().equals("_cursor")) {
        continue; // a position in a page walk, not a filter
      }
      String value =
          switch (p.getType()) {
            case DATE -> "ge2026-01-01";
            case REFERENCE -> "Patient/x";
            case URI -> "urn:x";
            default -> "x";
          };
      HttpResponse<String> r = get("/AuditEvent/$stats?" + p.getName() + "=" + value);
      assertThat(r.statusCode()).as(p.getName() + ": " + r.body()).isEqualTo(200);
    }
  }

  @Test
  void stats_badParameters_are400() throws Exception {
    for (String query :
        List.of(
            "field=date",
            "field=nonsense",
            "interval=year",
            "top=0",
            "top=many",
            "pateint=Patient/pat-1",
            "date=ap2026-06-01")) {
      HttpResponse<String> r = get("/AuditEvent/$stats?" + query);
      assertThat(r.statusCode()).as(query).isEqualTo(400);
      assertThat(r.body()).as(query).contains("OperationOutcome").doesNotContain("Exception");
    }
    HttpResponse<String> post =
        http.send(
            HttpRequest.newBuilder(URI.create(server.baseUrl() + "/AuditEvent/$stats"))
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":"
                            + "\"patient\",\"valueString\":\"Patient/pat-1\"}]}"))
                .header("Content-Type", "application/fhir+json")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(400);
    assertThat(post.body()).contains("GET");
    assertThatThrownBy(
            () ->
                client
                    .operation()
                    .onType(AuditEvent.class)
                    .named("$stats")
                    .withSearchParameter(
                        Parameters.class,
                        "interval",
                        new ca.uhn.fhir.rest.param.TokenParam("fortnight"))
                    .useHttpGet()
                    .returnResourceType(Parameters.class)
                    .execute())
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("interval");
  }

  private static Map<String, Long> terms(Parameters p) {
    Map<String, Long> out = new LinkedHashMap<>();
    p.getParameters("term")
        .forEach(
            t ->
                out.put(
                    part(t, "value").primitiveValue(),
                    Long.parseLong(part(t, "count").primitiveValue())));
    return out;
  }

  private static Map<String, Long> buckets(Parameters p) {
    Map<String, Long> out = new LinkedHashMap<>();
    p.getParameters("bucket")
        .forEach(
            b ->
                out.put(
                    ((org.hl7.fhir.r5.model.InstantType) part(b, "start"))
                        .getValue()
                        .toInstant()
                        .toString(),
                    Long.parseLong(part(b, "count").primitiveValue())));
    return out;
  }

  private static DataType part(Parameters.ParametersParameterComponent p, String name) {
    return p.getPart().stream()
        .filter(x -> x.getName().equals(name))
        .findFirst()
        .orElseThrow()
        .getValue();
  }

  private static List<DataType> parts(Parameters.ParametersParameterComponent p, String name) {
    return p.getPart().stream()
        .filter(x -> x.getName().equals(name))
        .map(x -> x.getValue())
        .toList();
  }

  private static String instant(Parameters.ParametersParameterComponent p, String name) {
    return ((org.hl7.fhir.r5.model.InstantType) part(p, name)).getValue().toInstant().toString();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * One access to {@code Patient/<patient>} by {@code Practitioner/<user>} (requestor) through
   * Device/ehr.
   */
  static AuditEvent access(
      String id,
      String recorded,
      String patient,
      String user,
      String display,
      String purpose,
      AuditEvent.AuditEventAction action,
      String outcome) {
    AuditEvent e = new AuditEvent();
    e.setId(id);
    e.setRecorded(Date.from(Instant.parse(recorded)));
    e.setAction(action);
    e.setCode(new CodeableConcept(new Coding(CodeSystems.DCM, "110110", "Patient Record")));
    String display0 =
        switch (outcome) {
          case "0" -> "Success";
          case "4" -> "Minor failure";
          case "8" -> "Serious failure";
          default -> "Major failure";
        };
    e.getOutcome().setCode(new Coding(OUTCOME, outcome, display0));
    e.addAuthorization(new CodeableConcept(new Coding(ACT_REASON, purpose, null)));
    e.setPatient(new Reference("Patient/" + patient));
    e.addAgent()
        .setRequestor(true)
        .setWho(
            new Reference("Practitioner/" + user)
                .setDisplay(display)
                .setIdentifier(new Identifier().setSystem("urn:users").setValue(user)));
    e.addAgent().setRequestor(false).setWho(new Reference("Device/ehr"));
    e.getSource().setObserver(new Reference("Device/ehr"));
    return e;
  }
}
