package org.atnabridge.search.security;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.atnabridge.kafka.embedded.EmbeddedKafkaBroker;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.search.OperationOutputs;
import org.atnabridge.search.PostedEvents;
import org.atnabridge.testing.KafkaBrokerExtension;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The R4 base beside the R5 one: both CapabilityStatements validate against their FHIR version's
 * definition, R4 AuditEvents and Bundles are fed as R5 and answered in R4, R4 reads and searches
 * are self-audited, and immutability and unknown-parameter handling are the R5 base's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(KafkaBrokerExtension.class)
class R4BaseIT {

  private static final FhirContext R4 = FhirContext.forR4Cached();

  /** An R4 event as an R4 Audit Creator posts it, its client at 10.1.1.7 (type 2). */
  private static final String R4_EVENT =
      """
      {"resourceType":"AuditEvent",
       "type":{"system":"http://dicom.nema.org/resources/ontology/DCM","code":"110112"},
       "subtype":[{"system":"urn:ihe:event-type-code","code":"ITI-9"}],
       "action":"E","recorded":"2026-03-02T09:15:00Z","outcome":"4",
       "agent":[{"type":{"coding":[{"system":"http://dicom.nema.org/resources/ontology/DCM","code":"110153"}]},
                 "who":{"identifier":{"value":"r4-client"}},"requestor":true,
                 "network":{"address":"10.1.1.7","type":"2"}}],
       "source":{"observer":{"display":"r4-node"}}}
      """;

  private final TestIssuer issuer = new TestIssuer();
  private SecuredApi api;
  private PostedEvents posted;

  @BeforeAll
  void start(EmbeddedKafkaBroker kafka, @TempDir Path dir) {
    api = SecuredApi.start(kafka, dir, issuer.settings(), ApiSecurityIT.events(), s -> s);
    posted = PostedEvents.subscribe(kafka, "r4-base");
  }

  @AfterAll
  void stop() {
    posted.close();
    api.close();
  }

  private String token(String scope) {
    return issuer.es256(TestIssuer.claims("officer", scope));
  }

  private HttpResponse<String> r4(
      String method, String path, @Nullable String body, String contentType, String token) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(api.server().r4BaseUrl() + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
            .header("Content-Type", contentType);
    return SecuredApi.send(b, token);
  }

  @Test
  void metadata_bothBases_validateAgainstTheirCapabilityStatementDefinitions() {
    HttpResponse<String> r5 = api.get("/metadata", null);
    assertThat(r5.statusCode()).isEqualTo(200);
    OperationOutputs.assertValid(
        Fhir.jsonParser()
            .parseResource(org.hl7.fhir.r5.model.CapabilityStatement.class, r5.body()));

    HttpResponse<String> r4 = r4("GET", "/metadata", null, "application/fhir+json", null);
    assertThat(r4.statusCode()).isEqualTo(200);
    assertThat(r4ErrorsOf(r4.body())).isEmpty();
    CapabilityStatement cs = R4.newJsonParser().parseResource(CapabilityStatement.class, r4.body());
    assertThat(cs.getFhirVersion().toCode()).startsWith("4.0");
    var auditEvent =
        cs.getRestFirstRep().getResource().stream()
            .filter(x -> x.getType().equals("AuditEvent"))
            .findFirst()
            .orElseThrow();
    assertThat(auditEvent.getSearchParam().stream().map(p -> p.getName()))
        .contains(
            "date",
            "type",
            "subtype",
            "agent",
            "patient",
            "entity",
            "entity-type",
            "entity-role",
            "source",
            "address",
            "outcome",
            "altid",
            "policy",
            "purpose")
        .doesNotContain("category", "code")
        // every search parameter of the BALP 1.1.4 Audit Record Repository CapabilityStatement
        .contains(
            "_id",
            "_lastUpdated",
            "date",
            "address",
            "agent.identifier",
            "patient.identifier",
            "entity.identifier",
            "entity-type",
            "entity-role",
            "source.identifier",
            "type",
            "subtype",
            "outcome");
    assertThat(cs.getInstantiates().stream().map(c -> c.getValue()))
        .contains(
            "https://profiles.ihe.net/ITI/BALP/CapabilityStatement/IHE.BALP.ATNA.AuditRecordRepository");
    assertThat(auditEvent.getInteraction().stream().map(i -> i.getCode().toCode()))
        .contains("read", "search-type", "create");
    assertThat(
            cs.getRestFirstRep().getSecurity().getServiceFirstRep().getCodingFirstRep().getCode())
        .isEqualTo("SMART-on-FHIR");
  }

  private static synchronized List<String> r4ErrorsOf(String json) {
    return OperationOutputs.newValidator(R4).validateWithResult(json).getMessages().stream()
        .filter(m -> m.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal())
        .map(m -> m.getLocationString() + ": " + m.getMessage())
        .toList();
  }

  @Test
  void feed_r4AuditEvent_isStoredAsR5_andAnsweredInR4() {
    HttpResponse<String> r =
        r4("POST", "/AuditEvent", R4_EVENT, "application/fhir+json", token("system/AuditEvent.c"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    assertThat(r.headers().firstValue("Location").orElseThrow()).contains("/fhir/R4/AuditEvent/");
    org.hl7.fhir.r4.model.AuditEvent answered =
        R4.newJsonParser().parseResource(org.hl7.fhir.r4.model.AuditEvent.class, r.body());
    String id = answered.getIdElement().getIdPart();
    assertThat(answered.getType().getCode()).isEqualTo("110112");
    posted.awaitAny(
        e -> {
          assertThat(e.getIdPart()).isEqualTo(id);
          assertThat(e.getCategoryFirstRep().getCodingFirstRep().getCode()).isEqualTo("110112");
          assertThat(e.getOutcome().getCode().getCode()).isEqualTo("4");
          assertThat(e.getAgentFirstRep().getNetworkStringType().getValue())
              .isEqualTo("[10.1.1.7]");
        });
  }

  @Test
  void feed_r4BatchBundle_answersAnR4BatchResponse() {
    String bundle =
        "{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[{\"resource\":"
            + R4_EVENT.replace("r4-client", "r4-batch-client")
            + ",\"request\":{\"method\":\"POST\",\"url\":\"AuditEvent\"}}]}";
    HttpResponse<String> r =
        r4("POST", "", bundle, "application/fhir+json", token("system/AuditEvent.c"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    Bundle answer = R4.newJsonParser().parseResource(Bundle.class, r.body());
    assertThat(answer.getType()).isEqualTo(Bundle.BundleType.BATCHRESPONSE);
    assertThat(answer.getEntryFirstRep().getResponse().getStatus()).startsWith("201");
  }

  @Test
  void feed_invalidR4Event_is422WithAnR4Outcome_andR5VersionIs415() {
    String noWho = R4_EVENT.replace("\"who\":{\"identifier\":{\"value\":\"r4-client\"}},", "");
    HttpResponse<String> r =
        r4("POST", "/AuditEvent", noWho, "application/fhir+json", token("system/AuditEvent.c"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
    OperationOutcome oo = R4.newJsonParser().parseResource(OperationOutcome.class, r.body());
    assertThat(oo.getIssue()).isNotEmpty();
    HttpResponse<String> r5 =
        r4(
            "POST",
            "/AuditEvent",
            R4_EVENT,
            "application/fhir+json; fhirVersion=5.0",
            token("system/AuditEvent.c"));
    assertThat(r5.statusCode()).isEqualTo(415);
  }

  @Test
  void r4Search_isSelfAudited_unknownParametersAndChangesAreRefusedAsOnR5() {
    String token = token("user/AuditEvent.rs");
    HttpResponse<String> search =
        r4("GET", "/AuditEvent?address=10.1.1.7", null, "application/fhir+json", token);
    assertThat(search.statusCode()).as(search.body()).isEqualTo(200);
    posted.awaitAny(
        e ->
            assertThat(
                    e.getEntity().stream()
                        .filter(x -> x.hasQuery())
                        .map(x -> new String(x.getQuery(), StandardCharsets.UTF_8)))
                .anyMatch(q -> q.startsWith("GET /fhir/R4/AuditEvent?address=")));
    // R5's name for R4's type is not a parameter of the R4 base
    HttpRequest.Builder strict =
        HttpRequest.newBuilder(URI.create(api.server().r4BaseUrl() + "/AuditEvent?category=110112"))
            .header("Prefer", "handling=strict");
    assertThat(SecuredApi.send(strict, token).statusCode()).isEqualTo(400);
    HttpResponse<String> lenient =
        r4("GET", "/AuditEvent?category=110112", null, "application/fhir+json", token);
    assertThat(lenient.statusCode()).isEqualTo(200);
    Bundle b = R4.newJsonParser().parseResource(Bundle.class, lenient.body());
    assertThat(b.getEntry())
        .anySatisfy(e -> assertThat(e.getResource()).isInstanceOf(OperationOutcome.class));
    assertThat(
            r4("DELETE", "/AuditEvent/p1-ref", null, "application/fhir+json", token).statusCode())
        .isEqualTo(405);
  }
}
