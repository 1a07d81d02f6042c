package org.atnabridge.search.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.atnabridge.kafka.embedded.EmbeddedKafkaBroker;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.testing.KafkaBrokerExtension;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.CapabilityStatement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The clean-room checks of the security probe that held, kept as regression tests: a patient token
 * against another patient's events through every search parameter the server declares (with each
 * value form and modifier), POSTed searches, paging, counts and operations; and the XML attacks on
 * the FHIR Feed (XXE, external DTDs, entity expansion, XInclude, deep nesting). The forged-token
 * table is {@link ApiSecurityIT}'s 401 tests.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(KafkaBrokerExtension.class)
class ProbeRegressionIT {

  private static final Set<String> P1 = Set.of("p1-ref", "p1-ident");
  private static final Set<String> P2 = Set.of("p2-ref", "p2-ident", "p2-very");

  private final TestIssuer issuer = new TestIssuer();
  private SecuredApi api;

  @BeforeAll
  void start(EmbeddedKafkaBroker kafka, @TempDir Path dir) {
    api =
        SecuredApi.start(
            kafka,
            dir,
            issuer.settings().withPatientIdentifierSystem(SecuredApi.PATIENT_SYSTEM),
            ApiSecurityIT.events(),
            s -> s);
  }

  @AfterAll
  void stop() {
    api.close();
  }

  @Test
  void patientScope_everyDeclaredSearchParameter_everyValueForm_neverReachesAnotherPatient() {
    String token = patientToken("p1");
    List<String> parameters = declaredSearchParameters();
    assertThat(parameters)
        .as("the CapabilityStatement declares the AuditEvent parameters")
        .contains("patient", "entity", "agent", "_id", "date", "_security", "_tag", "_content");
    int served = 0;
    for (String name : parameters) {
      List<String> probes = probes(name);
      for (int i = 0; i < probes.size(); i++) {
        String query = probes.get(i);
        HttpResponse<String> get = api.get("/AuditEvent?" + query, token);
        served += checkOnlyOwnEvents(query, get);
        HttpResponse<String> count = api.get("/AuditEvent?_summary=count&" + query, token);
        if (count.statusCode() == 200) {
          assertThat(Fhir.jsonParser().parseResource(Bundle.class, count.body()).getTotal())
              .as("count " + query)
              .isLessThanOrEqualTo(P1.size());
        }
        if (i >= 3) {
          continue; // POST _search takes the same parser: its first value forms suffice
        }
        HttpResponse<String> post =
            SecuredApi.send(
                HttpRequest.newBuilder(URI.create(api.server().baseUrl() + "/AuditEvent/_search"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(query)),
                token);
        served += checkOnlyOwnEvents("POST " + query, post);
      }
    }
    // the table is no vacuous pass: most probes are valid searches answered with the caller's own
    // events
    assertThat(served).isGreaterThan(parameters.size());
  }

  @Test
  void patientScope_pagingReadsAndOperations_neverReachAnotherPatient() {
    String token = patientToken("p1");
    Set<String> walked = new LinkedHashSet<>();
    String next = api.server().baseUrl() + "/AuditEvent?_count=1";
    for (int pages = 0; next != null && pages < 20; pages++) {
      HttpResponse<String> page =
          SecuredApi.send(HttpRequest.newBuilder(URI.create(next)).GET(), token);
      walked.addAll(ids(page));
      Bundle b = Fhir.jsonParser().parseResource(Bundle.class, page.body());
      next = b.getLink("next") == null ? null : b.getLink("next").getUrl();
    }
    assertThat(walked).isEqualTo(P1);
    for (String id : P2) {
      assertThat(api.get("/AuditEvent/" + id, token).statusCode()).as(id).isEqualTo(404);
      assertThat(api.get("/AuditEvent/" + id + "?_summary=true", token).statusCode())
          .as(id)
          .isEqualTo(404);
    }
    for (String field :
        List.of("patient", "entity", "agent", "code", "action", "outcome", "source")) {
      HttpResponse<String> stats = api.get("/AuditEvent/$stats?field=" + field + "&top=50", token);
      assertThat(stats.statusCode()).as(field + ": " + stats.body()).isEqualTo(200);
      assertThat(stats.body()).as(field).doesNotContain("p2");
    }
    String window = "start=2026-01-01&end=2027-01-01";
    for (String report :
        List.of(
            "/Patient/p2/$access-report?" + window,
            "/Patient/$access-report?identifier="
                + enc(SecuredApi.PATIENT_SYSTEM + "|p2")
                + "&"
                + window,
            "/Patient/$access-report?identifier=p2&" + window)) {
      HttpResponse<String> r = api.get(report, token);
      assertThat(r.body())
          .as(report)
          .doesNotContain("p2-ref")
          .doesNotContain("p2-ident")
          .doesNotContain("p2-very");
    }
    assertThat(api.get("/AuditEvent/$verify", token).statusCode()).isEqualTo(403);
  }

  @Test
  void feedXmlAttacks_areRefused_leakNothing_andFetchNothing() throws IOException {
    String feeder = issuer.es256(TestIssuer.claims("feeder", "system/AuditEvent.c"));
    try (ServerSocket trap = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      String outside = "http://127.0.0.1:" + trap.getLocalPort() + "/evil";
      // a valid event but for the attack: a refusal can only come from the attack itself
      String event =
          "<code><coding><system value=\"http://dicom.nema.org/resources/ontology/DCM\"/>"
              + "<code value=\"110110\"/></coding></code><action value=\"R\"/>"
              + "<recorded value=\"2026-01-01T00:00:00Z\"/><outcome><code><system value=\"http://terminology.hl7.org/"
              + "CodeSystem/audit-event-outcome\"/><code value=\"0\"/></code></outcome>"
              + "<agent><who><display value=\"%s\"/></who></agent>"
              + "<source><observer><display value=\"node1\"/></observer></source>";
      String lol =
          "<!DOCTYPE AuditEvent [<!ENTITY a \"aaaaaaaaaa\">"
              + "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">"
              + "<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\"><!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">]>";
      StringBuilder deep = new StringBuilder();
      deep.append("<extension url=\"urn:x\">".repeat(5000)).append("</extension>".repeat(5000));
      List<String[]> attacks =
          List.of(
              new String[] {
                "XXE file",
                "<!DOCTYPE AuditEvent [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>",
                String.format(event, "&x;")
              },
              new String[] {
                "XXE http",
                "<!DOCTYPE AuditEvent [<!ENTITY x SYSTEM \"" + outside + "\">]>",
                String.format(event, "&x;")
              },
              new String[] {
                "external DTD",
                "<!DOCTYPE AuditEvent SYSTEM \"" + outside + ".dtd\">",
                String.format(event, "y")
              },
              new String[] {
                "parameter entity",
                "<!DOCTYPE AuditEvent [<!ENTITY % p SYSTEM \"" + outside + "\"> %p;]>",
                String.format(event, "y")
              },
              new String[] {"entity expansion", lol, String.format(event, "&e;")},
              new String[] {
                "XInclude",
                "",
                String.format(event, "y")
                    + "<xi:include xmlns:xi=\"http://www.w3.org/2001/XInclude\" href=\"file:///etc/passwd\" parse=\"text\"/>"
              },
              new String[] {"deep nesting", "", deep + String.format(event, "y")});
      HttpResponse<String> control =
          SecuredApi.send(
              HttpRequest.newBuilder(URI.create(api.server().baseUrl() + "/AuditEvent"))
                  .header("Content-Type", "application/fhir+xml")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "<AuditEvent xmlns=\"http://hl7.org/fhir\">"
                              + String.format(event, "control")
                              + "</AuditEvent>")),
              feeder);
      assertThat(control.statusCode())
          .as("the event without an attack: " + control.body())
          .isEqualTo(201);
      AtomicInteger fetched = new AtomicInteger();
      for (String[] attack : attacks) {
        String body =
            attack[1] + "<AuditEvent xmlns=\"http://hl7.org/fhir\">" + attack[2] + "</AuditEvent>";
        String bundle =
            attack[1]
                + "<Bundle xmlns=\"http://hl7.org/fhir\"><type value=\"batch\"/><entry><resource>"
                + "<AuditEvent>"
                + attack[2]
                + "</AuditEvent></resource><request><method value=\"POST\"/>"
                + "<url value=\"AuditEvent\"/></request></entry></Bundle>";
        for (String[] target :
            List.of(new String[] {"/AuditEvent", body}, new String[] {"", bundle})) {
          HttpResponse<String> r =
              SecuredApi.send(
                  HttpRequest.newBuilder(URI.create(api.server().baseUrl() + target[0]))
                      .header("Content-Type", "application/fhir+xml")
                      .POST(HttpRequest.BodyPublishers.ofString(target[1])),
                  feeder);
          String what = attack[0] + " to " + (target[0].isEmpty() ? "/fhir" : target[0]);
          assertThat(r.statusCode()).as(what + ": " + r.body()).isBetween(400, 499);
          assertThat(r.body()).as(what).contains("OperationOutcome");
          assertThat(r.body())
              .as(what)
              .doesNotContain("root:")
              .doesNotContain("aaaaaaaaaaaaaaaaaaaa")
              .doesNotContain("at org.")
              .doesNotContain("Exception");
        }
        trap.setSoTimeout(50);
        try {
          trap.accept().close();
          fetched.incrementAndGet();
        } catch (SocketTimeoutException expected) {
          // nothing came: the parser resolved no external entity or DTD
        }
        assertThat(api.get("/metadata", null).statusCode())
            .as("still serving after " + attack[0])
            .isEqualTo(200);
      }
      assertThat(fetched).as("connections to the attacker's URL").hasValue(0);
    }
  }

  /** Every value form and modifier worth trying on a parameter, aimed at patient p2. */
  private static List<String> probes(String name) {
    List<String> values =
        List.of(
            "Patient/p2",
            "p2",
            SecuredApi.PATIENT_SYSTEM + "|p2",
            "|p2",
            "p2-ref",
            "p2-ref,p2-ident,p2-very",
            "ge2000-01-01",
            "V",
            "http://terminology.hl7.org/CodeSystem/v3-Confidentiality|V");
    List<String> out = new ArrayList<>();
    for (String v : values) {
      out.add(name + "=" + enc(v));
    }
    for (String modifier :
        List.of(
            ":missing=true",
            ":missing=false",
            ":not=p1",
            ":identifier=" + enc(SecuredApi.PATIENT_SYSTEM + "|p2"),
            ":exact=p2",
            ":contains=p2",
            ".identifier=" + enc(SecuredApi.PATIENT_SYSTEM + "|p2"))) {
      out.add(name + modifier);
    }
    return out;
  }

  /** 200 with only p1's events (1), or a 4xx refusal of the form (0). */
  private static int checkOnlyOwnEvents(String query, HttpResponse<String> r) {
    assertThat(r.statusCode()).as(query + ": " + r.body()).isIn(200, 400);
    if (r.statusCode() != 200) {
      return 0;
    }
    assertThat(ids(r)).as(query).isSubsetOf(P1).doesNotContainAnyElementsOf(P2);
    return 1;
  }

  private List<String> declaredSearchParameters() {
    CapabilityStatement cs =
        Fhir.jsonParser()
            .parseResource(CapabilityStatement.class, api.get("/metadata", null).body());
    List<String> names = new ArrayList<>();
    cs.getRestFirstRep().getResource().stream()
        .filter(r -> r.getType().equals("AuditEvent"))
        .forEach(r -> r.getSearchParam().forEach(p -> names.add(p.getName())));
    return names;
  }

  private static Set<String> ids(HttpResponse<String> r) {
    Bundle b = Fhir.jsonParser().parseResource(Bundle.class, r.body());
    Set<String> ids = new LinkedHashSet<>();
    b.getEntry().stream()
        .filter(e -> e.getResource() instanceof AuditEvent)
        .forEach(e -> ids.add(e.getResource().getIdElement().getIdPart()));
    return ids;
  }

  private String patientToken(String patient) {
    return issuer.es256(
        TestIssuer.claims(
            "portal-user", "patient/AuditEvent.rs", b -> b.claim("patient", patient)));
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
