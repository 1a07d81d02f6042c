package org.atnabridge.search.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.atnabridge.accesslog.AccessLogConversion;
import org.atnabridge.accesslog.AccessLogConverter;
import org.atnabridge.accesslog.AccessLogSource;
import org.atnabridge.accesslog.LineOrigin;
import org.atnabridge.kafka.embedded.EmbeddedKafkaBroker;
import org.atnabridge.schemas.vocab.CodeSystems;
import org.atnabridge.schemas.vocab.Extensions;
import org.atnabridge.testing.KafkaBrokerExtension;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Coding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The raw access log line of an event ({@code access-log-line}) is part of the event, so the API
 * returns it exactly where it returns the event: to a caller allowed to read it, never to a
 * patient-scoped caller of another patient nor to a caller without clearance for the event's label,
 * whether by read or by search.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(KafkaBrokerExtension.class)
class AccessLogLineSecurityIT {

  /** A read of patient p1's record. */
  private static final String P1_READ =
      "10.0.0.9 - dr.who [06/Dec/2026:17:00:00 +0000] \"GET /Patient/p1 HTTP/1.1\" 200 812 \"-\""
          + " \"curl/8.5\"";

  /** A search of p1's observations, labelled restricted (as enrichment labels it). */
  private static final String P1_RESTRICTED =
      "10.0.0.9 - dr.who [06/Dec/2026:17:00:01 +0000] \"GET /Observation?patient=p1&category=hiv"
          + " HTTP/1.1\" 200 90 \"-\" \"curl/8.5\"";

  private final TestIssuer issuer = new TestIssuer();
  private SecuredApi api;
  private AuditEvent read;
  private AuditEvent restricted;

  @BeforeAll
  void start(EmbeddedKafkaBroker kafka, @TempDir Path dir) {
    read = convert(P1_READ);
    restricted = convert(P1_RESTRICTED);
    restricted.getMeta().addSecurity(new Coding(CodeSystems.V3_CONFIDENTIALITY, "R", null));
    api = SecuredApi.start(kafka, dir, issuer.settings(), List.of(read, restricted), s -> s);
  }

  @AfterAll
  void stop() {
    api.close();
  }

  @Test
  void callerAllowedToReadTheEvent_getsItsLine() {
    String officer = issuer.es256(TestIssuer.claims("officer", ApiSecurityIT.READ_ALL));
    HttpResponse<String> byId = api.get("/AuditEvent/" + read.getIdPart(), officer);
    assertThat(byId.statusCode()).as(byId.body()).isEqualTo(200);
    assertThat(byId.body()).contains(Extensions.ACCESS_LOG_LINE, "GET /Patient/p1 HTTP/1.1");

    String patient = patientToken("p1");
    assertThat(api.get("/AuditEvent?code=read", patient).body())
        .contains(Extensions.ACCESS_LOG_LINE, "GET /Patient/p1 HTTP/1.1");

    String cleared =
        issuer.es256(
            TestIssuer.claims(
                "officer", ApiSecurityIT.READ_ALL, b -> b.claim("label_clearance", "R")));
    assertThat(api.get("/AuditEvent/" + restricted.getIdPart(), cleared).body())
        .contains("category=hiv");
  }

  @Test
  void patientScopedCallerOfAnotherPatient_neverGetsTheLine() {
    String other = patientToken("p2");
    assertThat(api.get("/AuditEvent/" + read.getIdPart(), other).statusCode()).isEqualTo(404);
    for (String query :
        List.of("", "?code=read", "?patient=Patient/p1", "?_id=" + read.getIdPart())) {
      HttpResponse<String> r = api.get("/AuditEvent" + query, other);
      assertThat(r.statusCode()).as(query).isEqualTo(200);
      assertThat(r.body()).as(query).doesNotContain(Extensions.ACCESS_LOG_LINE, "/Patient/p1");
    }
  }

  @Test
  void callerWithoutClearanceForTheLabel_neverGetsTheLine() {
    String officer = issuer.es256(TestIssuer.claims("officer", ApiSecurityIT.READ_ALL));
    assertThat(api.get("/AuditEvent/" + restricted.getIdPart(), officer).statusCode())
        .isEqualTo(404);
    for (String query : List.of("", "?patient=Patient/p1", "?_id=" + restricted.getIdPart())) {
      HttpResponse<String> r = api.get("/AuditEvent" + query, officer);
      assertThat(r.statusCode()).as(query).isEqualTo(200);
      assertThat(r.body()).as(query).doesNotContain("category=hiv");
    }
  }

  private String patientToken(String patient) {
    return issuer.es256(
        TestIssuer.claims(
            "portal-user", "patient/AuditEvent.rs", b -> b.claim("patient", patient)));
  }

  private static AuditEvent convert(String line) {
    AccessLogConversion result =
        new AccessLogConverter()
            .convert(
                line,
                AccessLogSource.defaults(),
                new LineOrigin("fhir.example.org", "10.0.0.9:50000", Instant.now()));
    AuditEvent event = ((AccessLogConversion.Converted) result).events().get(0);
    assertThat(event.getExtensionByUrl(Extensions.ACCESS_LOG_LINE)).isNotNull();
    return event;
  }
}
