package org.atnabridge.search.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jwt.JWTClaimsSet;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.atnabridge.kafka.embedded.EmbeddedKafkaBroker;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.schemas.vocab.CodeSystems;
import org.atnabridge.search.OperationOutputs;
import org.atnabridge.search.PostedEvents;
import org.atnabridge.testing.KafkaBrokerExtension;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.CapabilityStatement;
import org.hl7.fhir.r5.model.OperationOutcome;
import org.hl7.fhir.r5.model.Parameters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Authentication, scopes, the patient compartment, label clearance, the access-denied answers and
 * their Security Alerts, against a running server with real JWTs (RS256, ES256, EdDSA).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(KafkaBrokerExtension.class)
class ApiSecurityIT {

  static final String READ_ALL = "system/AuditEvent.rs";

  private final TestIssuer issuer = new TestIssuer();
  private SecuredApi api;
  private PostedEvents auditEvents;

  static List<AuditEvent> events() {
    return List.of(
        SecuredApi.event("p1-ref", "Patient/p1", null),
        SecuredApi.event("p1-ident", SecuredApi.PATIENT_SYSTEM + "|p1", null),
        SecuredApi.event("p1-other-system", "urn:oid:9.9|p1", null),
        SecuredApi.event("p1-restricted", "Patient/p1", "R"),
        SecuredApi.event("p2-ref", "Patient/p2", null),
        SecuredApi.event("p2-ident", SecuredApi.PATIENT_SYSTEM + "|p2", null),
        SecuredApi.event("p2-very", "Patient/p2", "V"));
  }

  @BeforeAll
  void start(EmbeddedKafkaBroker kafka, @TempDir Path dir) {
    api =
        SecuredApi.start(
            kafka,
            dir,
            issuer.settings().withPatientIdentifierSystem(SecuredApi.PATIENT_SYSTEM),
            events(),
            s -> s);
    auditEvents = PostedEvents.subscribe(kafka, "security-probe");
  }

  @AfterAll
  void stop() {
    auditEvents.close();
    api.close();
  }

  // ---- authentication --------------------------------------------------------------------

  @Test
  void goodTokens_rs256_es256_eddsa_areAccepted() {
    JWTClaimsSet claims = TestIssuer.claims("officer", READ_ALL);
    for (String token : List.of(issuer.rs256(claims), issuer.es256(claims), issuer.eddsa(claims))) {
      HttpResponse<String> r = api.get("/AuditEvent", token);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }
  }

  @Test
  void noToken_is401_withBearerChallenge_andNoReason() {
    HttpResponse<String> r = api.get("/AuditEvent", null);
    assertThat(r.statusCode()).isEqualTo(401);
    // RFC 6750 §3.1: no error code when the request carried no credentials
    assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"atna-bridge\"");
    assertOpaqueOutcome(r);
  }

  @Test
  void badSignature_is401_invalidToken() {
    assertInvalidToken(issuer.rs256ForgedKey(TestIssuer.claims("mallory", READ_ALL)));
  }

  @Test
  void algNone_is401() {
    assertInvalidToken(TestIssuer.unsigned(TestIssuer.claims("mallory", READ_ALL)));
  }

  @Test
  void hmacWithThePublicKeyAsSecret_is401() {
    assertInvalidToken(issuer.hs256WithPublicKey(TestIssuer.claims("mallory", READ_ALL)));
  }

  @Test
  void expired_is401_butWithinTheClockSkewIsAccepted() {
    Instant now = Instant.now();
    assertInvalidToken(
        issuer.es256(
            TestIssuer.claims(
                "late",
                READ_ALL,
                b ->
                    b.issueTime(Date.from(now.minusSeconds(600)))
                        .notBeforeTime(Date.from(now.minusSeconds(600)))
                        .expirationTime(Date.from(now.minusSeconds(120))))));
    String justExpired =
        issuer.es256(
            TestIssuer.claims(
                "late", READ_ALL, b -> b.expirationTime(Date.from(now.minusSeconds(5)))));
    assertThat(api.get("/AuditEvent", justExpired).statusCode()).isEqualTo(200);
  }

  @Test
  void notYetValid_is401() {
    assertInvalidToken(
        issuer.es256(
            TestIssuer.claims(
                "early",
                READ_ALL,
                b -> b.notBeforeTime(Date.from(Instant.now().plusSeconds(300))))));
  }

  @Test
  void wrongIssuer_is401() {
    assertInvalidToken(
        issuer.es256(TestIssuer.claims("x", READ_ALL, b -> b.issuer("https://evil.test"))));
  }

  @Test
  void wrongAudience_is401() {
    assertInvalidToken(
        issuer.es256(TestIssuer.claims("x", READ_ALL, b -> b.audience("another-api"))));
  }

  @Test
  void emptyOrBlankSubject_is401() {
    for (String subject : List.of("", " ", "\t")) {
      assertInvalidToken(issuer.es256(TestIssuer.claims(subject, READ_ALL)));
    }
  }

  @Test
  void notABearerToken_is401() {
    HttpResponse<String> r =
        SecuredApi.send(
            HttpRequest.newBuilder(URI.create(api.server().baseUrl() + "/AuditEvent"))
                .header("Authorization", "Basic YWRtaW46YWRtaW4="),
            null);
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("WWW-Authenticate"))
        .hasValue("Bearer realm=\"atna-bridge\", error=\"invalid_token\"");
  }

  @Test
  void metadata_isPublic_andAdvertisesSmartOnFhir() {
    HttpResponse<String> r = api.get("/metadata", null);
    assertThat(r.statusCode()).isEqualTo(200);
    CapabilityStatement cs = Fhir.jsonParser().parseResource(CapabilityStatement.class, r.body());
    assertThat(cs.getRestFirstRep().getSecurity().getService())
        .anySatisfy(s -> assertThat(s.getCodingFirstRep().getCode()).isEqualTo("SMART-on-FHIR"));
  }

  // ---- scopes ----------------------------------------------------------------------------

  @Test
  void missingScope_is403_insufficientScope() {
    for (String scope :
        List.of(
            "system/Patient.rs",
            "system/AuditEvent.c",
            "openid profile",
            "system/AuditEvent.rs?category=rest")) {
      HttpResponse<String> r =
          api.get("/AuditEvent", issuer.es256(TestIssuer.claims("clerk", scope)));
      assertThat(r.statusCode()).as(scope).isEqualTo(403);
      // RFC 6750 §3: the scopes that would have allowed the search, any one of them
      assertThat(r.headers().firstValue("WWW-Authenticate"))
          .hasValue(
              "Bearer realm=\"atna-bridge\", "
                  + "error=\"insufficient_scope\", scope=\"system/AuditEvent.s user/AuditEvent.s patient/AuditEvent.s\"");
      assertOpaqueOutcome(r);
    }
  }

  @Test
  void searchOnlyScope_cannotRead_andReadScopeCannotFeed() {
    assertThat(
            api.get(
                    "/AuditEvent/p1-ref",
                    issuer.es256(TestIssuer.claims("s", "system/AuditEvent.s")))
                .statusCode())
        .isEqualTo(403);
    String event = Fhir.toJson(SecuredApi.event("new", "Patient/p1", null));
    HttpResponse<String> post =
        SecuredApi.send(
            HttpRequest.newBuilder(URI.create(api.server().baseUrl() + "/AuditEvent"))
                .header("Content-Type", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString(event)),
            issuer.es256(TestIssuer.claims("reader", READ_ALL)));
    assertThat(post.statusCode()).isEqualTo(403);
  }

  @Test
  void v1AndWildcardScopes_areAccepted() {
    for (String scope :
        List.of(
            "user/AuditEvent.read",
            "system/*.read",
            "user/AuditEvent.*",
            "user/AuditEvent.cruds")) {
      HttpResponse<String> r =
          api.get("/AuditEvent/p1-ref", issuer.es256(TestIssuer.claims("u", scope)));
      assertThat(r.statusCode()).as(scope).isEqualTo(200);
    }
  }

  // ---- patient compartment ---------------------------------------------------------------

  @Test
  void patientScope_seesOnlyItsPatientsEvents_byReferenceAndByIdentifierOfTheConfiguredSystem() {
    String token = patientToken("p1");
    assertThat(ids(api.get("/AuditEvent", token))).containsExactlyInAnyOrder("p1-ref", "p1-ident");
    assertThat(api.get("/AuditEvent/p1-ident", token).statusCode()).isEqualTo(200);
  }

  @Test
  void patientScope_cannotReachAnotherPatient_byAnyRoute() {
    String token = patientToken("p1");
    assertThat(api.get("/AuditEvent/p2-ref", token).statusCode()).isEqualTo(404);
    assertThat(api.get("/AuditEvent/p2-ident", token).statusCode()).isEqualTo(404);
    for (String query :
        List.of(
            "patient=Patient/p2",
            "patient=p2",
            "patient.identifier=urn:oid:1.2.3%7Cp2",
            "patient:identifier=urn:oid:1.2.3%7Cp2",
            "patient:identifier=p2",
            "_id=p2-ref,p2-ident,p2-very",
            "entity=Patient/p2",
            "entity:identifier=urn:oid:1.2.3%7Cp2",
            "entity.identifier=urn:oid:1.2.3%7Cp2",
            "patient:missing=false",
            "_security:not=http://terminology.hl7.org/CodeSystem/v3-Confidentiality%7CN")) {
      HttpResponse<String> r = api.get("/AuditEvent?" + query, token);
      assertThat(r.statusCode()).as(query).isEqualTo(200);
      assertThat(ids(r))
          .as(query)
          .isSubsetOf("p1-ref", "p1-ident")
          .doesNotContain("p2-ref", "p2-ident", "p2-very");
    }
    assertThat(total(api.get("/AuditEvent?_summary=count", token))).isEqualTo(2);
  }

  @Test
  void patientScope_sameValueInAnotherIdentifierSystem_isNotThePatient() {
    assertThat(api.get("/AuditEvent/p1-other-system", patientToken("p1")).statusCode())
        .isEqualTo(404);
  }

  @Test
  void patientScope_identifierClaim_matchesThatIdentifierOnly() {
    String token = issuer.patientToken("portal", "urn:oid:9.9|p1");
    assertThat(ids(api.get("/AuditEvent", token))).containsExactly("p1-other-system");
  }

  @Test
  void patientScope_withoutPatientClaim_seesNothing() {
    String token = issuer.es256(TestIssuer.claims("portal", "patient/AuditEvent.rs"));
    assertThat(ids(api.get("/AuditEvent", token))).isEmpty();
    assertThat(api.get("/AuditEvent/p1-ref", token).statusCode()).isEqualTo(404);
  }

  @Test
  void patientScope_verifyOperation_is403_systemAndUserScopesAreServed() {
    // gap ranges, sequence numbers and checkpoint counts reveal the whole repository's volume
    HttpResponse<String> patient = api.get("/AuditEvent/$verify", patientToken("p1"));
    assertThat(patient.statusCode()).as(patient.body()).isEqualTo(403);
    assertThat(patient.headers().firstValue("WWW-Authenticate"))
        .hasValue(
            "Bearer realm=\"atna-bridge\", "
                + "error=\"insufficient_scope\", scope=\"system/AuditEvent.rs user/AuditEvent.rs\"");
    assertOpaqueOutcome(patient);
    for (String scope : List.of(READ_ALL, "user/AuditEvent.rs")) {
      HttpResponse<String> r =
          api.get("/AuditEvent/$verify", issuer.es256(TestIssuer.claims("officer", scope)));
      assertThat(r.statusCode()).as(scope + ": " + r.body()).isEqualTo(200);
      Parameters p = OperationOutputs.assertValidParameters(r.body());
      assertThat(p.getParameter("eventsChecked").getValue().primitiveValue())
          .as(scope)
          .isEqualTo("5");
    }
  }

  @Test
  void patientScope_accessReportAndStats_coverOnlyItsPatient() {
    String token = patientToken("p1");
    String window = "start=2026-01-01&end=2027-01-01";
    assertThat(eventsMatching(api.get("/Patient/p2/$access-report?" + window, token))).isZero();
    assertThat(
            eventsMatching(
                api.get("/Patient/$access-report?identifier=urn:oid:1.2.3%7Cp2&" + window, token)))
        .isZero();
    assertThat(eventsMatching(api.get("/Patient/p1/$access-report?" + window, token))).isEqualTo(1);
    assertThat(statsTotal(api.get("/AuditEvent/$stats", token))).isEqualTo(2);
    assertThat(statsTotal(api.get("/AuditEvent/$stats?patient=Patient/p2", token))).isZero();
    assertThat(statsTotal(api.get("/AuditEvent/$stats?field=patient&top=50", token))).isEqualTo(2);
  }

  @Test
  void labelsAboveClearance_areNotCountedInStatsOrReports() {
    String normal = issuer.es256(TestIssuer.claims("officer", READ_ALL));
    assertThat(statsTotal(api.get("/AuditEvent/$stats", normal))).isEqualTo(5);
    assertThat(
            eventsMatching(
                api.get("/Patient/p2/$access-report?start=2026-01-01&end=2027-01-01", normal)))
        .isEqualTo(1); // p2-ref, not p2-very
    String all =
        issuer.es256(TestIssuer.claims("officer", READ_ALL, b -> b.claim("label_clearance", "V")));
    assertThat(statsTotal(api.get("/AuditEvent/$stats", all))).isEqualTo(7);
  }

  @Test
  void userActivityReport_patientScope_coversOnlyItsPatient_clearanceHidesLabelled() {
    String window = "&start=2026-01-01&end=2027-01-01";
    HttpResponse<String> own =
        api.get("/$user-activity-report?identifier=dr.who" + window, patientToken("p1"));
    assertThat(eventsMatching(own)).isEqualTo(2); // p1-ref and p1-ident; p1-restricted is above N
    Parameters report = Fhir.jsonParser().parseResource(Parameters.class, own.body());
    assertThat(report.getParameters("event"))
        .extracting(
            e -> ((org.hl7.fhir.r5.model.Reference) e.getPart().get(0).getValue()).getReference())
        .containsExactlyInAnyOrder("AuditEvent/p1-ref", "AuditEvent/p1-ident");
    assertThat(own.body()).doesNotContain("p2");

    String normal = issuer.es256(TestIssuer.claims("officer", READ_ALL));
    assertThat(eventsMatching(api.get("/$user-activity-report?identifier=dr.who" + window, normal)))
        .isEqualTo(5);
    String all =
        issuer.es256(TestIssuer.claims("officer", READ_ALL, b -> b.claim("label_clearance", "V")));
    assertThat(eventsMatching(api.get("/$user-activity-report?identifier=dr.who" + window, all)))
        .isEqualTo(7);

    String feedOnly = issuer.es256(TestIssuer.claims("feeder", "system/AuditEvent.c"));
    assertThat(api.get("/$user-activity-report?identifier=dr.who" + window, feedOnly).statusCode())
        .isEqualTo(403);
  }

  /**
   * Free text matches identifiers, so it must not find what the caller may not read: the caller's
   * restrictions are criteria of the same query, hidden events neither match nor count.
   */
  @Test
  void freeText_neverFindsOrCountsWhatTheCallerMayNotRead() {
    // "p2" is the identifier value or reference id of p2-ref, p2-ident and p2-very (V)
    String all =
        issuer.es256(TestIssuer.claims("officer", READ_ALL, b -> b.claim("label_clearance", "V")));
    assertThat(ids(api.get("/AuditEvent?_content=p2", all)))
        .containsExactlyInAnyOrder("p2-ref", "p2-ident", "p2-very");
    String normal = issuer.es256(TestIssuer.claims("officer", READ_ALL));
    assertThat(ids(api.get("/AuditEvent?_content=p2", normal)))
        .containsExactlyInAnyOrder("p2-ref", "p2-ident");
    assertThat(total(api.get("/AuditEvent?_text=p2&_summary=count", normal))).isEqualTo(2);
    assertThat(ids(api.get("/AuditEvent?_content=p2", patientToken("p1")))).isEmpty();
    assertThat(total(api.get("/AuditEvent?_content=p2&_summary=count", patientToken("p1"))))
        .isZero();
    assertThat(statsTotal(api.get("/AuditEvent/$stats?_content=p2", patientToken("p1")))).isZero();
    assertThat(ids(api.get("/AuditEvent?_content=p1", patientToken("p1"))))
        .containsExactlyInAnyOrder("p1-ref", "p1-ident");
  }

  @Test
  void reportsWithoutReadScope_are403() {
    String feedOnly = issuer.es256(TestIssuer.claims("feeder", "system/AuditEvent.c"));
    assertThat(api.get("/AuditEvent/$stats", feedOnly).statusCode()).isEqualTo(403);
    assertThat(
            api.get("/Patient/p1/$access-report?start=2026-01-01&end=2027-01-01", feedOnly)
                .statusCode())
        .isEqualTo(403);
    // a Patient scope is no AuditEvent scope
    String patientRead = issuer.es256(TestIssuer.claims("x", "system/Patient.rs"));
    assertThat(
            api.get("/Patient/p1/$access-report?start=2026-01-01&end=2027-01-01", patientRead)
                .statusCode())
        .isEqualTo(403);
  }

  @Test
  void patientScope_cannotFeed() {
    String event = Fhir.toJson(SecuredApi.event("fake", "Patient/p1", null));
    HttpResponse<String> post =
        SecuredApi.send(
            HttpRequest.newBuilder(URI.create(api.server().baseUrl() + "/AuditEvent"))
                .header("Content-Type", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString(event)),
            issuer.es256(
                TestIssuer.claims(
                    "portal", "patient/AuditEvent.crs", b -> b.claim("patient", "p1"))));
    assertThat(post.statusCode()).isEqualTo(403);
  }

  // ---- label clearance -------------------------------------------------------------------

  @Test
  void labelsAboveClearance_areInvisible_inSearchReadAndCount() {
    String normal = issuer.es256(TestIssuer.claims("officer", READ_ALL));
    assertThat(ids(api.get("/AuditEvent", normal)))
        .doesNotContain("p1-restricted", "p2-very")
        .hasSize(5);
    assertThat(api.get("/AuditEvent/p1-restricted", normal).statusCode()).isEqualTo(404);
    assertThat(total(api.get("/AuditEvent?_summary=count", normal))).isEqualTo(5);
    assertThat(
            ids(
                api.get(
                    "/AuditEvent?_security=http://terminology.hl7.org/CodeSystem/v3-Confidentiality%7CR",
                    normal)))
        .isEmpty();

    String restricted =
        issuer.es256(TestIssuer.claims("officer", READ_ALL, b -> b.claim("label_clearance", "R")));
    assertThat(ids(api.get("/AuditEvent", restricted)))
        .contains("p1-restricted")
        .doesNotContain("p2-very");
    assertThat(api.get("/AuditEvent/p2-very", restricted).statusCode()).isEqualTo(404);

    String all =
        issuer.es256(
            TestIssuer.claims(
                "officer", READ_ALL, b -> b.claim("label_clearance", List.of("V", "R"))));
    assertThat(ids(api.get("/AuditEvent", all))).hasSize(7);
    assertThat(api.get("/AuditEvent/p2-very", all).statusCode()).isEqualTo(200);
  }

  @Test
  void patientScope_andClearance_combine() {
    String token =
        issuer.es256(
            TestIssuer.claims(
                "portal",
                "patient/AuditEvent.rs",
                b -> b.claim("patient", "p1").claim("label_clearance", "R")));
    assertThat(ids(api.get("/AuditEvent", token)))
        .containsExactlyInAnyOrder("p1-ref", "p1-ident", "p1-restricted");
  }

  @Test
  void unknownClearanceCode_isAnInvalidToken() {
    assertInvalidToken(
        issuer.es256(
            TestIssuer.claims("x", READ_ALL, b -> b.claim("label_clearance", "TOPSECRET"))));
  }

  // ---- audit of refusals and of use ------------------------------------------------------

  @Test
  void everyRefusal_isASecurityAlert_namingTheCaller() {
    String marker = UUID.randomUUID().toString();
    api.get("/AuditEvent?_id=" + marker + "-401", null);
    api.get(
        "/AuditEvent?_id=" + marker + "-403",
        issuer.es256(TestIssuer.claims("sub-403", "system/Patient.rs")));
    api.get("/AuditEvent/p2-ref?_pretty=" + marker, issuer.patientToken("sub-404", "p1"));

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              List<AuditEvent> alerts =
                  auditEvents.poll().stream()
                      .filter(
                          e ->
                              e.getCategory().stream()
                                  .anyMatch(c -> c.getCodingFirstRep().getCode().equals("110113")))
                      .filter(
                          e ->
                              e.getEntity().stream()
                                  .anyMatch(
                                      en ->
                                          en.getDetail().stream()
                                              .anyMatch(
                                                  d ->
                                                      d.getValue().primitiveValue().contains(marker)
                                                          || d.getValue()
                                                              .primitiveValue()
                                                              .contains(
                                                                  "p2-ref?_pretty=" + marker))))
                      .toList();
              assertThat(alerts)
                  .extracting(
                      e ->
                          e.getOutcome().getDetailFirstRep().getText().substring(0, 3)
                              + " "
                              + e.getAgentFirstRep().getWho().getIdentifier().getValue())
                  .containsExactlyInAnyOrder("401 unauthenticated", "403 sub-403", "404 sub-404");
              assertThat(alerts)
                  .allSatisfy(
                      e -> {
                        assertThat(e.getOutcome().getCode().getCode()).isEqualTo("4");
                        assertThat(e.getSource().getObserver().getIdentifier().getValue())
                            .isEqualTo("atna-bridge");
                      });
            });
  }

  @Test
  void selfAudit_namesTheTokenSubject() {
    String marker = UUID.randomUUID().toString();
    api.get(
        "/AuditEvent?_id=" + marker,
        issuer.es256(TestIssuer.claims("officer-" + marker, READ_ALL)));
    auditEvents.awaitAny(
        e -> {
          assertThat(e.getCategory())
              .anySatisfy(
                  c ->
                      assertThat(c.getCoding())
                          .anySatisfy(cd -> assertThat(cd.getCode()).isEqualTo("110101")));
          assertThat(e.getAgent())
              .anySatisfy(
                  a -> {
                    assertThat(a.getRequestor()).isTrue();
                    assertThat(a.getWho().getIdentifier().getValue())
                        .isEqualTo("officer-" + marker);
                  });
        });
  }

  // ---- labels follow the patient into self-audit and alert records -----------------------

  /** One request and what its self-audit (110101) or alert (110113) record must inherit. */
  record Inherits(
      String what,
      String pathAndQuery,
      @org.jspecify.annotations.Nullable String clearance,
      String category,
      @org.jspecify.annotations.Nullable String patient,
      @org.jspecify.annotations.Nullable String label) {}

  @Test
  void selfAuditAndAlertRecords_inheritThePatientsTheyName_andTheLabelsOfTheEventsReturned() {
    String conf = CodeSystems.V3_CONFIDENTIALITY;
    List<Inherits> table =
        List.of(
            // the case that once leaked: a cleared officer's search about a V patient; its record
            // names the patient, carries V
            new Inherits(
                "search by patient",
                "/AuditEvent?patient=Patient/p2",
                "V",
                "110101",
                "Patient/p2",
                "V"),
            new Inherits(
                "search by identifier, nothing returned",
                "/AuditEvent?patient:identifier=" + SecuredApi.PATIENT_SYSTEM + "%7Cp9",
                "V",
                "110101",
                SecuredApi.PATIENT_SYSTEM + "|p9",
                null),
            new Inherits(
                "search not naming the patient, V event returned",
                "/AuditEvent?_id=p2-very",
                "V",
                "110101",
                "Patient/p2",
                "V"),
            new Inherits(
                "read of a V event refused by clearance",
                "/AuditEvent/p2-very",
                null,
                "110113",
                "Patient/p2",
                "V"),
            new Inherits(
                "401 naming a patient",
                "/AuditEvent?patient=Patient/p7",
                "none",
                "110113",
                "Patient/p7",
                null),
            new Inherits(
                "a value alone names no one",
                "/AuditEvent?patient:identifier=p9",
                "V",
                "110101",
                null,
                null));
    for (Inherits c : table) {
      String marker = UUID.randomUUID().toString();
      String token =
          "none".equals(c.clearance())
              ? null
              : issuer.es256(
                  TestIssuer.claims(
                      "officer",
                      READ_ALL,
                      b -> c.clearance() == null ? b : b.claim("label_clearance", c.clearance())));
      api.get(
          c.pathAndQuery() + (c.pathAndQuery().contains("?") ? "&" : "?") + "_pretty=" + marker,
          token);

      await(c.what())
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> {
                AuditEvent record =
                    auditEvents.poll().stream()
                        .filter(
                            e ->
                                e.getCategory().stream()
                                    .anyMatch(
                                        cc ->
                                            cc.getCoding().stream()
                                                .anyMatch(cd -> cd.getCode().equals(c.category()))))
                        .filter(e -> mentions(e, marker))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("no record yet"));
                List<String> patients =
                    record.getEntity().stream()
                        .filter(en -> en.getRole().getCodingFirstRep().getCode().equals("1"))
                        .map(
                            en ->
                                en.getWhat().hasReference()
                                    ? en.getWhat().getReference()
                                    : en.getWhat().getIdentifier().getSystem()
                                        + "|"
                                        + en.getWhat().getIdentifier().getValue())
                        .toList();
                if (c.patient() == null) {
                  assertThat(patients).as(c.what()).isEmpty();
                } else {
                  assertThat(patients).as(c.what()).contains(c.patient());
                }
                List<String> labels =
                    record.getMeta().getSecurity().stream()
                        .filter(l -> conf.equals(l.getSystem()))
                        .map(l -> l.getCode())
                        .toList();
                if (c.label() == null) {
                  assertThat(labels).as(c.what()).isEmpty();
                } else {
                  assertThat(labels).as(c.what()).containsExactly(c.label());
                }
              });
    }
  }

  /**
   * Whether the record's recorded request (query entity, its details, the alert's request) holds
   * the text.
   */
  private static boolean mentions(AuditEvent e, String text) {
    return e.getEntity().stream()
        .anyMatch(
            en ->
                (en.hasQuery()
                        && new String(en.getQuery(), java.nio.charset.StandardCharsets.UTF_8)
                            .contains(text))
                    || en.getDetail().stream()
                        .anyMatch(
                            d ->
                                d.hasValue()
                                    && String.valueOf(d.getValue().primitiveValue())
                                        .contains(text)));
  }

  // ---- browser safety headers ------------------------------------------------------------

  @Test
  void securityHeaders_onEveryResponse() {
    for (HttpResponse<String> r :
        List.of(
            api.get("/AuditEvent", issuer.es256(TestIssuer.claims("o", READ_ALL))),
            api.get("/AuditEvent", null),
            api.get("/metadata", null),
            api.get("/AuditEvent?_format=html", issuer.es256(TestIssuer.claims("o", READ_ALL))))) {
      assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
      assertThat(r.headers().firstValue("Content-Security-Policy"))
          .get()
          .asString()
          .contains("default-src 'none'")
          .contains("frame-ancestors 'none'");
      assertThat(r.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
      assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
      assertThat(r.headers().firstValue("Access-Control-Allow-Origin"))
          .isEmpty(); // CORS is off by default
    }
  }

  // ---- helpers ---------------------------------------------------------------------------

  private String patientToken(String patient) {
    return issuer.patientToken("portal-user", patient);
  }

  private void assertInvalidToken(String token) {
    HttpResponse<String> r = api.get("/AuditEvent", token);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
    assertThat(r.headers().firstValue("WWW-Authenticate"))
        .hasValue("Bearer realm=\"atna-bridge\", error=\"invalid_token\"");
    assertOpaqueOutcome(r);
  }

  /** An OperationOutcome that says nothing about why: no reason, no class names, no stack trace. */
  static void assertOpaqueOutcome(HttpResponse<String> r) {
    OperationOutcome oo = Fhir.jsonParser().parseResource(OperationOutcome.class, r.body());
    assertThat(oo.getIssue()).hasSize(1);
    assertThat(r.body())
        .doesNotContain(
            "Exception",
            "at org.",
            "at com.",
            "signature",
            "expired",
            "issuer",
            "audience",
            "nimbus",
            "scope ");
  }

  static Set<String> ids(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    Bundle b = Fhir.jsonParser().parseResource(Bundle.class, r.body());
    return b.getEntry().stream().map(e -> e.getResource().getIdPart()).collect(Collectors.toSet());
  }

  static int total(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return Fhir.jsonParser().parseResource(Bundle.class, r.body()).getTotal();
  }

  static long eventsMatching(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return Long.parseLong(
        Fhir.jsonParser()
            .parseResource(Parameters.class, r.body())
            .getParameter("eventsMatching")
            .getValue()
            .primitiveValue());
  }

  static long statsTotal(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return Long.parseLong(
        Fhir.jsonParser()
            .parseResource(Parameters.class, r.body())
            .getParameter("total")
            .getValue()
            .primitiveValue());
  }
}
