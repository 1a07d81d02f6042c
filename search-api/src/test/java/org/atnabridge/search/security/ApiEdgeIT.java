package org.atnabridge.search.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.atnabridge.kafka.embedded.EmbeddedKafkaBroker;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.search.PostedEvents;
import org.atnabridge.testing.KafkaBrokerExtension;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Parameters;
import org.hl7.fhir.r5.model.StringType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The findings of the security probe at the HTTP edge, each replayed against a running server:
 * credentials in requests reach no record, request text cannot forge log lines, POSTed criteria are
 * audited, TRACE is refused everywhere, links never come from the Host header, Jetty's own answers
 * carry the security headers. The listener limits are in {@link ApiListenerIT}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(KafkaBrokerExtension.class)
class ApiEdgeIT {

  static final String PUBLIC_BASE = "https://audit.example.org/fhir";
  static final String SELF_AUDIT = "110101";
  static final String SECURITY_ALERT = "110113";

  private final TestIssuer issuer = new TestIssuer();
  private final String officer = issuer.es256(TestIssuer.claims("officer", ApiSecurityIT.READ_ALL));
  private SecuredApi api;
  private PostedEvents auditEvents;

  @BeforeAll
  void start(EmbeddedKafkaBroker kafka, @TempDir Path dir) {
    api =
        SecuredApi.start(
            kafka,
            dir,
            issuer.settings().withPatientIdentifierSystem(SecuredApi.PATIENT_SYSTEM),
            ApiSecurityIT.events(),
            s ->
                s.publicBaseUrl(PUBLIC_BASE)
                    .addTextEndpoint("/metrics", "text/plain; charset=utf-8", () -> "up 1\n"));
    auditEvents = PostedEvents.subscribe(kafka, "edge-probe");
  }

  @AfterAll
  void stop() {
    auditEvents.close();
    api.close();
  }

  // ---- credentials never reach a record -----------------------------------------------

  /** One probe request: SECRET in its query and headers stands for a fresh credential value. */
  record Probe(
      String name,
      String query,
      Map<String, String> headers,
      boolean bearer,
      int status,
      String recorded) {}

  static final Map<String, String> CREDENTIAL_HEADERS =
      Map.of(
          "X-Auth-Token",
          "SECRET",
          "X-Forwarded-Authorization",
          "Bearer SECRET",
          "X-Amz-Security-Token",
          "SECRET",
          "Cookie",
          "session=SECRET",
          "X-Api-Key",
          "SECRET",
          "Referer",
          "https://portal.example.org/?access_token=SECRET");

  static final List<Probe> PROBES =
      List.of(
          new Probe(
              "access_token in the query, with a bearer header",
              "_count=1&access_token=SECRET",
              Map.of(),
              true,
              400,
              SECURITY_ALERT),
          new Probe(
              "access_token in the query, no header",
              "_count=1&access_token=SECRET",
              Map.of(),
              false,
              400,
              SECURITY_ALERT),
          new Probe(
              "access_token percent-encoded and upper case",
              "ACCESS%5FTOKEN=SECRET",
              Map.of(),
              false,
              400,
              SECURITY_ALERT),
          new Probe(
              "other credential parameters on a search",
              "password=SECRET&client_secret=SECRET&api_key=SECRET"
                  + "&id_token=SECRET&code=SECRET&Password:x=SECRET",
              Map.of(),
              true,
              200,
              SELF_AUDIT),
          new Probe(
              "other credential parameters on a 401",
              "password=SECRET&client_secret=SECRET&code=SECRET",
              Map.of(),
              false,
              401,
              SECURITY_ALERT),
          new Probe(
              "credential headers on a search", "", CREDENTIAL_HEADERS, true, 200, SELF_AUDIT),
          new Probe(
              "credential headers on a 401", "", CREDENTIAL_HEADERS, false, 401, SECURITY_ALERT));

  @Test
  void credentialsInQueryOrHeaders_reachNoRecord_andAQueryTokenIsRefused() {
    for (Probe probe : PROBES) {
      String secret = "secret-" + UUID.randomUUID();
      String marker = UUID.randomUUID().toString();
      String query =
          "_id="
              + marker
              + (probe.query().isEmpty() ? "" : "&" + probe.query().replace("SECRET", secret));
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create(api.server().baseUrl() + "/AuditEvent?" + query));
      probe
          .headers()
          .forEach((name, value) -> request.header(name, value.replace("SECRET", secret)));
      HttpResponse<String> r = SecuredApi.send(request, probe.bearer() ? officer : null);
      assertThat(r.statusCode()).as(probe.name() + ": " + r.body()).isEqualTo(probe.status());
      if (probe.status() == 400) { // RFC 6750 §3.1
        assertThat(r.headers().firstValue("WWW-Authenticate"))
            .as(probe.name())
            .get()
            .asString()
            .contains("error=\"invalid_request\"");
        ApiSecurityIT.assertOpaqueOutcome(r);
      }
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> {
                List<String> records = recordsNaming(marker);
                assertThat(records)
                    .as(probe.name())
                    .anySatisfy(text -> assertThat(text).contains(probe.recorded()));
                assertThat(records)
                    .as(probe.name())
                    .allSatisfy(text -> assertThat(text).doesNotContain(secret));
              });
    }
  }

  @Test
  void aQueryToken_isRefusedBeforeThePublicMetadata_too() {
    HttpResponse<String> r = api.get("/metadata?access_token=" + UUID.randomUUID(), null);
    assertThat(r.statusCode()).isEqualTo(400);
  }

  @Test
  void jwtTypHoldingALineBreak_forgesNoLogLine_andNoLineInTheAlert() {
    ch.qos.logback.classic.Logger log =
        (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(AuthenticationFilter.class);
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    log.addAppender(lines);
    String marker = UUID.randomUUID().toString();
    String forged =
        "\n2026-05-01 10:00:00.000 INFO  AuthenticationFilter - FORGED LOG LINE " + marker;
    try {
      HttpResponse<String> r =
          api.get(
              "/AuditEvent?_id=" + marker,
              issuer.es256WithType(forged, TestIssuer.claims("mallory", ApiSecurityIT.READ_ALL)));
      assertThat(r.statusCode()).isEqualTo(401);
      List<String> logged =
          lines.list.stream()
              .map(ILoggingEvent::getFormattedMessage)
              .filter(m -> m.contains("FORGED LOG LINE " + marker))
              .toList();
      assertThat(logged)
          .isNotEmpty()
          .allSatisfy(m -> assertThat(m).doesNotContain("\n", "\r").contains("\\n2026"));
    } finally {
      log.detachAppender(lines);
    }
    auditEvents.awaitAny(
        e -> {
          assertThat(e.getOutcome().getDetailFirstRep().getText())
              .contains("FORGED LOG LINE " + marker)
              .doesNotContain("\n", "\r");
        });
  }

  // ---- POSTed criteria are audited like GET's -----------------------------------------

  record Post(String name, String path, String contentType, String body) {}

  @Test
  void postedSearchesAndOperations_areAuditedWithTheirCriteria_scrubbed() {
    String form = "application/x-www-form-urlencoded";
    for (int i = 0; i < 4; i++) {
      String secret = "secret-" + UUID.randomUUID();
      String marker = UUID.randomUUID().toString();
      Parameters parameters = new Parameters();
      parameters.addParameter(
          "identifier", new StringType(SecuredApi.PATIENT_SYSTEM + "|" + marker));
      parameters.addParameter("start", new StringType("2026-01-01"));
      parameters.addParameter("end", new StringType("2027-01-01"));
      Post post =
          List.of(
                  new Post(
                      "POST AuditEvent/_search, form",
                      "/AuditEvent/_search",
                      form,
                      "patient:identifier=urn:oid:1.2.3%7C" + marker + "&password=" + secret),
                  new Post(
                      "POST AuditEvent/_search, criteria in URL and form",
                      "/AuditEvent/_search?_count=5&api_key=" + secret,
                      form,
                      "patient:identifier=urn:oid:1.2.3%7C" + marker),
                  new Post(
                      "POST Patient/$access-report, Parameters with a credential in them",
                      "/Patient/$access-report",
                      "application/fhir+json",
                      Fhir.toJson(parameters.copy().addParameter("password", secret))),
                  new Post(
                      "POST Patient/$access-report, Parameters",
                      "/Patient/$access-report?client_secret=" + secret,
                      "application/fhir+json",
                      Fhir.toJson(parameters)))
              .get(i);
      HttpResponse<String> r =
          SecuredApi.send(
              HttpRequest.newBuilder(URI.create(api.server().baseUrl() + post.path()))
                  .header("Content-Type", post.contentType())
                  .POST(HttpRequest.BodyPublishers.ofString(post.body())),
              officer);
      assertThat(r.statusCode()).as(post.name() + ": " + r.body()).isEqualTo(200);
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> {
                List<AuditEvent> records =
                    auditEvents.poll().stream().filter(e -> text(e).contains(marker)).toList();
                assertThat(records)
                    .as(post.name())
                    .anySatisfy(
                        e -> {
                          assertThat(text(e)).contains(SELF_AUDIT);
                          assertThat(queryString(e)).as(post.name()).contains(marker);
                          assertThat(rawRequest(e))
                              .as(post.name())
                              .startsWith("POST ")
                              .contains(marker);
                        });
                assertThat(records).allSatisfy(e -> assertThat(text(e)).doesNotContain(secret));
              });
    }
  }

  // ---- TRACE, Host, Jetty's own answers -----------------------------------------------

  @Test
  void trace_isRefusedOnEveryPath_andEchoesNothing() {
    for (String path : List.of("/metrics", "/fhir/metadata", "/fhir/AuditEvent", "/", "/nowhere")) {
      HttpResponse<String> r =
          SecuredApi.send(
              HttpRequest.newBuilder(URI.create(origin() + path))
                  .method("TRACE", HttpRequest.BodyPublishers.noBody())
                  .header("Cookie", "session=cookie-secret"),
              "bearer-secret");
      assertThat(r.statusCode()).as(path).isEqualTo(405);
      assertThat(r.body()).as(path).doesNotContain("bearer-secret", "cookie-secret");
      assertSecurityHeaders(
          path,
          r.headers().map().entrySet().stream()
              .collect(Collectors.toMap(h -> h.getKey().toLowerCase(), h -> h.getValue().get(0))));
    }
  }

  @Test
  void forgedHostHeaders_neverReachLinks_theConfiguredPublicBaseDoes() {
    RawHttp.Answer a =
        RawHttp.exchange(
            api.server().port(),
            "GET /fhir/AuditEvent?_count=1 HTTP/1.1\r\n"
                + "Host: evil.example\r\nX-Forwarded-Host: evil2.example\r\nForwarded: host=evil3.example\r\n"
                + "Authorization: Bearer "
                + officer
                + "\r\nAccept: application/fhir+json\r\nConnection: close\r\n\r\n");
    assertThat(a.status()).as(a.body()).isEqualTo(200);
    assertThat(a.body())
        .doesNotContain("evil")
        .contains("\"url\":\"" + PUBLIC_BASE + "/AuditEvent?")
        .contains("\"fullUrl\":\"" + PUBLIC_BASE + "/AuditEvent/");
  }

  /** Requests Jetty answers itself, before or beside the servlets. */
  record JettyAnswer(String name, String request, int status) {}

  @Test
  void jettysOwnErrorAnswers_carryTheSecurityHeaders() {
    String close = "Host: localhost\r\nConnection: close\r\n\r\n";
    for (JettyAnswer row :
        List.of(
            new JettyAnswer(
                "400 ambiguous path", "GET /fhir/AuditEvent/a%2F..%2Fb HTTP/1.1\r\n" + close, 400),
            new JettyAnswer("400 bad request line", "NONSENSE\r\n\r\n", 400),
            new JettyAnswer(
                "414 URI too long",
                "GET /fhir/AuditEvent?x=" + "a".repeat(20_000) + " HTTP/1.1\r\n" + close,
                414),
            new JettyAnswer(
                "431 header too large",
                "GET /fhir/metadata HTTP/1.1\r\nX-Big: " + "a".repeat(20_000) + "\r\n" + close,
                431),
            new JettyAnswer("405 TRACE", "TRACE /metrics HTTP/1.1\r\n" + close, 405),
            new JettyAnswer("404 outside /fhir", "GET /nowhere HTTP/1.1\r\n" + close, 404))) {
      RawHttp.Answer a = RawHttp.exchange(api.server().port(), row.request());
      assertThat(a.status()).as(row.name() + ": " + a.body()).isEqualTo(row.status());
      assertSecurityHeaders(row.name(), a.headers());
      assertThat(a.body())
          .as(row.name())
          .doesNotContain("Exception", "at org.", "jetty://", "Jetty");
    }
  }

  // ---- helpers ---------------------------------------------------------------------------

  private String origin() {
    return "http://127.0.0.1:" + api.server().port();
  }

  private static void assertSecurityHeaders(String what, Map<String, String> headers) {
    SecurityHeaders.ALL.forEach(
        (name, value) ->
            assertThat(headers.get(name.toLowerCase())).as(what + " " + name).isEqualTo(value));
  }

  /** The text of every record naming {@code marker}: its JSON and its decoded raw request. */
  private List<String> recordsNaming(String marker) {
    return auditEvents.poll().stream()
        .map(ApiEdgeIT::text)
        .filter(t -> t.contains(marker))
        .toList();
  }

  static String text(AuditEvent e) {
    return Fhir.toJson(e) + "\n" + rawRequest(e);
  }

  static String rawRequest(AuditEvent e) {
    return e.getEntity().stream()
        .filter(AuditEvent.AuditEventEntityComponent::hasQuery)
        .map(en -> new String(en.getQuery(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("\n"));
  }

  static String queryString(AuditEvent e) {
    return e.getEntity().stream()
        .flatMap(en -> en.getDetail().stream())
        .filter(d -> "query-string".equals(d.getType().getText()))
        .map(d -> d.getValue().primitiveValue())
        .collect(Collectors.joining("\n"));
  }
}
