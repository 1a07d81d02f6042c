package org.atnabridge.search.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.atnabridge.kafka.embedded.EmbeddedKafkaBroker;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.schemas.RawRecordReference;
import org.atnabridge.schemas.Topics;
import org.atnabridge.schemas.chain.ChainLink;
import org.atnabridge.schemas.vocab.CodeSystems;
import org.atnabridge.schemas.vocab.Extensions;
import org.atnabridge.search.PostedEvents;
import org.atnabridge.testing.KafkaBrokerExtension;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.CodeType;
import org.hl7.fhir.r5.model.Extension;
import org.hl7.fhir.r5.model.OperationOutcome;
import org.hl7.fhir.r5.model.StringType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What only the server writes, replayed from the security probe against a running secured server: a
 * feed client cannot post server-owned marks nor choose its {@code meta.source}, and patient apps
 * see no chain fields.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(KafkaBrokerExtension.class)
class ServerOwnedDataIT {

  static final String OURS = Extensions.NAMESPACE;

  private final TestIssuer issuer = new TestIssuer();
  private SecuredApi api;
  private PostedEvents auditEvents;

  @BeforeAll
  void start(EmbeddedKafkaBroker kafka, @TempDir Path dir) {
    AuditEvent chained = SecuredApi.event("p1-chained", "Patient/p1", null);
    new ChainLink(
            0, 4711, "a".repeat(64), "b".repeat(64), "someone-elses-event", 4000L, "c".repeat(64))
        .applyTo(chained);
    RawRecordReference.of(Topics.ATNA_RAW.name(), 0, 123_456).applyTo(chained);
    api = SecuredApi.start(kafka, dir, issuer.settings(), List.of(chained), s -> s);
    auditEvents = PostedEvents.subscribe(kafka, "server-owned");
  }

  @AfterAll
  void stop() {
    auditEvents.close();
    api.close();
  }

  // ---- server-owned marks cannot be posted --------------------------------------------

  /**
   * Forging posts: each mark one got stored as sent before it was refused, and where the 422 must
   * point.
   */
  static Stream<Arguments> probePosts() {
    return Stream.of(
        row(
            "meta.tag record-origin|self-audit",
            e -> e.getMeta().addTag(OURS + "CodeSystem/record-origin", "self-audit", null),
            "AuditEvent.meta.tag[0]"),
        row(
            "meta.tag retention|legal-hold",
            e -> e.getMeta().addTag(OURS + "CodeSystem/retention", "legal-hold", "Legal hold"),
            "AuditEvent.meta.tag[0]"),
        row(
            "raw-receipt claiming tls from 10.0.0.5:6514",
            e -> {
              Extension receipt = e.addExtension().setUrl(Extensions.RAW_RECEIPT);
              receipt.addExtension(Extensions.RECEIPT_TRANSPORT, new CodeType("tls"));
              receipt.addExtension(Extensions.RECEIPT_PEER, new StringType("10.0.0.5:6514"));
            },
            "AuditEvent.extension[0]"),
        row(
            "observer atna-bridge",
            e -> e.getSource().getObserver().getIdentifier().setValue("atna-bridge"),
            "AuditEvent.source.observer"),
        row(
            "a confidentiality label",
            e ->
                e.getMeta()
                    .addSecurity(
                        new org.hl7.fhir.r5.model.Coding(
                            CodeSystems.V3_CONFIDENTIALITY, "V", null)),
            "AuditEvent.meta.security[0]"),
        row(
            "a chain link",
            e -> new ChainLink(0, 1, "0".repeat(64), "1".repeat(64), null, null, null).applyTo(e),
            "AuditEvent.extension[0]"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("probePosts")
  void feed_serverOwnedMark_is422NamingTheElement_onEveryFeedEndpoint(
      String name, Consumer<AuditEvent> mark, String expression) {
    AuditEvent event = SecuredApi.event("posted", "Patient/p9", null);
    mark.accept(event);
    String feeder = feederToken("feeder");

    HttpResponse<String> create = post("/AuditEvent", Fhir.toJson(event), feeder);
    assertThat(create.statusCode()).as(create.body()).isEqualTo(422);
    assertRefused(
        Fhir.jsonParser().parseResource(OperationOutcome.class, create.body()), expression);

    Bundle batch = bundle(Bundle.BundleType.BATCH, event);
    HttpResponse<String> batchResponse = post("", Fhir.toJson(batch), feeder);
    assertThat(batchResponse.statusCode()).as(batchResponse.body()).isEqualTo(200);
    Bundle.BundleEntryResponseComponent entry =
        Fhir.jsonParser()
            .parseResource(Bundle.class, batchResponse.body())
            .getEntryFirstRep()
            .getResponse();
    assertThat(entry.getStatus()).startsWith("422");
    assertRefused((OperationOutcome) entry.getOutcome(), expression);

    HttpResponse<String> transaction =
        post("", Fhir.toJson(bundle(Bundle.BundleType.TRANSACTION, event)), feeder);
    assertThat(transaction.statusCode()).as(transaction.body()).isEqualTo(422);
    assertRefused(
        Fhir.jsonParser().parseResource(OperationOutcome.class, transaction.body()), expression);
  }

  @Test
  void feed_metaSource_isTheAuthenticatedClient_whateverWasPosted() {
    String marker = UUID.randomUUID().toString();
    AuditEvent event = SecuredApi.event("posted", "Patient/" + marker, null);
    event.getMeta().setSource("urn:forged-source");
    HttpResponse<String> first =
        post("/AuditEvent", Fhir.toJson(event), feederToken("feeder-" + marker));
    assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
    // the forger's second step: the same event with another meta.source
    event.getMeta().setSource("urn:another-forged-source");
    HttpResponse<String> again =
        post(
            "",
            Fhir.toJson(bundle(Bundle.BundleType.BATCH, event)),
            feederToken("feeder-" + marker));
    assertThat(again.statusCode()).as(again.body()).isEqualTo(200);

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(auditEvents.poll())
                    .filteredOn(e -> ("Patient/" + marker).equals(e.getPatient().getReference()))
                    .hasSize(2)
                    .allSatisfy(
                        e -> assertThat(e.getMeta().getSource()).isEqualTo("feeder-" + marker)));
  }

  // ---- $verify and chain fields are not for patient apps --------------------------------

  @Test
  void patientScope_seesNoChainFields_inReadOrSearch_whileSystemScopesDo() {
    String patient = issuer.patientToken("portal", "p1");
    for (AuditEvent shown : List.of(read("/AuditEvent/p1-chained", patient), searchOne(patient))) {
      assertThat(shown.getIdPart()).isEqualTo("p1-chained");
      assertThat(shown.getExtension())
          .extracting(Extension::getUrl)
          .doesNotContain(Extensions.CHAIN, Extensions.RAW_RECORD);
    }
    String system = issuer.es256(TestIssuer.claims("officer", "system/AuditEvent.rs"));
    assertThat(ChainLink.from(read("/AuditEvent/p1-chained", system)))
        .isNotNull()
        .satisfies(link -> assertThat(link.seq()).isEqualTo(4711));
    assertThat(RawRecordReference.from(searchOne(system))).isNotNull();
  }

  // ---- helpers ---------------------------------------------------------------------------

  private static Arguments row(String name, Consumer<AuditEvent> mark, String expression) {
    return Arguments.of(name, mark, expression);
  }

  private static void assertRefused(OperationOutcome outcome, String expression) {
    assertThat(outcome.getIssue())
        .singleElement()
        .satisfies(
            issue -> {
              assertThat(issue.getExpression())
                  .extracting(e -> e.getValue())
                  .containsExactly(expression);
              assertThat(issue.getCode()).isEqualTo(OperationOutcome.IssueType.FORBIDDEN);
              assertThat(issue.getDiagnostics()).contains("set by this repository only");
            });
  }

  private static Bundle bundle(Bundle.BundleType type, AuditEvent event) {
    Bundle bundle = new Bundle().setType(type);
    bundle
        .addEntry()
        .setResource(event)
        .getRequest()
        .setMethod(Bundle.HTTPVerb.POST)
        .setUrl("AuditEvent");
    return bundle;
  }

  private String feederToken(String subject) {
    return issuer.es256(TestIssuer.claims(subject, "system/AuditEvent.c"));
  }

  private HttpResponse<String> post(String path, String json, String token) {
    return SecuredApi.send(
        HttpRequest.newBuilder(URI.create(api.server().baseUrl() + path))
            .header("Content-Type", "application/fhir+json")
            .POST(HttpRequest.BodyPublishers.ofString(json)),
        token);
  }

  private AuditEvent read(String path, String token) {
    HttpResponse<String> r = api.get(path, token);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return Fhir.jsonParser().parseResource(AuditEvent.class, r.body());
  }

  private AuditEvent searchOne(String token) {
    HttpResponse<String> r = api.get("/AuditEvent?_id=p1-chained", token);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return (AuditEvent)
        Fhir.jsonParser().parseResource(Bundle.class, r.body()).getEntryFirstRep().getResource();
  }
}
