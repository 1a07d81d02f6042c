package org.atnabridge.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.atnabridge.kafka.embedded.EmbeddedKafkaBroker;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.testing.KafkaBrokerExtension;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.Narrative;
import org.hl7.fhir.r5.model.OperationOutcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The FHIR Feed through HAPI's client and raw HTTP, into a real broker's {@code audit.events}. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(KafkaBrokerExtension.class)
class FhirFeedIT {

  private FeedServer fixture;
  private SearchServer server;
  private IGenericClient client;
  private KafkaConsumer<String, AuditEvent> events;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void start(EmbeddedKafkaBroker kafka, @TempDir Path indexDir) {
    fixture = FeedServer.start(kafka, indexDir, List.of());
    server = fixture.server();
    events = fixture.events();
    Fhir.context()
        .getRestfulClientFactory()
        .setServerValidationMode(ServerValidationModeEnum.NEVER);
    client = Fhir.context().newRestfulGenericClient(server.baseUrl());
  }

  @AfterAll
  void stop() {
    fixture.close();
  }

  @Test
  void create_valid_is201WithContentIdAndLandsInAuditEvents() {
    AuditEvent posted =
        AuditEventSearchIT.event("ignored", "2026-03-01T10:00:00Z", "urn:oid:1.2", "FEED-1", null);
    MethodOutcome first = client.create().resource(posted).execute();
    assertThat(first.getCreated()).isTrue();
    String id = first.getId().getIdPart();
    assertThat(id).hasSize(40).isNotEqualTo("ignored");

    // a client retry (same content, another client-side id) gets the same id: no duplicate
    posted.setId("something-else");
    assertThat(client.create().resource(posted).execute().getId().getIdPart()).isEqualTo(id);

    List<ConsumerRecord<String, AuditEvent>> written = pollFor(id, 2);
    assertThat(written)
        .allSatisfy(
            r -> {
              assertThat(r.key()).isEqualTo(id);
              assertThat(r.value().getPatient().getIdentifier().getValue()).isEqualTo("FEED-1");
            });
  }

  @Test
  void create_xmlBody_isAccepted() throws Exception {
    AuditEvent posted =
        AuditEventSearchIT.event("x", "2026-03-02T10:00:00Z", "urn:oid:1.2", "FEED-XML", null);
    HttpResponse<String> r =
        post(
            "/AuditEvent",
            Fhir.context().newXmlParser().encodeResourceToString(posted),
            "application/fhir+xml");
    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(r.headers().firstValue("Location"))
        .hasValueSatisfying(l -> assertThat(l).contains("/AuditEvent/"));
  }

  @Test
  void create_missingRequiredElements_is422NamingThem() {
    AuditEvent posted = new AuditEvent();
    posted.setAction(AuditEvent.AuditEventAction.R);
    assertThatThrownBy(() -> client.create().resource(posted).execute())
        .isInstanceOfSatisfying(
            UnprocessableEntityException.class,
            e -> {
              OperationOutcome oo = (OperationOutcome) e.getOperationOutcome();
              assertThat(oo.getIssue())
                  .extracting(i -> i.getExpression().get(0).getValue())
                  .contains(
                      "AuditEvent.code",
                      "AuditEvent.recorded",
                      "AuditEvent.agent",
                      "AuditEvent.source.observer");
            });
  }

  @Test
  void create_activeNarrative_isRefused() {
    for (String div :
        List.of(
            "<div xmlns=\"http://www.w3.org/1999/xhtml\"><script>alert(1)</script></div>",
            "<div xmlns=\"http://www.w3.org/1999/xhtml\"><a href=\" java\tscript:alert(1)\">x</a></div>",
            "<div xmlns=\"http://www.w3.org/1999/xhtml\"><img src=\"a.png\" onerror=\"alert(1)\"/></div>")) {
      AuditEvent posted =
          AuditEventSearchIT.event("n", "2026-03-03T10:00:00Z", "urn:oid:1.2", "FEED-N", null);
      Narrative narrative = new Narrative().setStatus(Narrative.NarrativeStatus.GENERATED);
      narrative.setDivAsString(div);
      posted.setText(narrative);
      assertThatThrownBy(() -> client.create().resource(posted).execute())
          .as(div)
          .isInstanceOfSatisfying(
              UnprocessableEntityException.class,
              e ->
                  assertThat(
                          ((OperationOutcome) e.getOperationOutcome()).getIssueFirstRep().getCode())
                      .isEqualTo(OperationOutcome.IssueType.SECURITY));
    }
  }

  @Test
  void create_activeStyleInNarrative_is422NamingIt() throws Exception {
    // styles an attacker uses: a CSS escape hiding url(, and IE's expression()
    for (String style :
        List.of("background:u\\72l(https://evil.test/x.png)", "width:expression(alert(1))")) {
      AuditEvent posted =
          AuditEventSearchIT.event("s", "2026-03-03T11:00:00Z", "urn:oid:1.2", "FEED-S", null);
      String narrative =
          "\"text\":{\"status\":\"generated\",\"div\":\"<div xmlns=\\\"http://www.w3.org/1999/xhtml\\\">"
              + "<p style=\\\""
              + style.replace("\\", "\\\\")
              + "\\\">x</p></div>\"},";
      String event = Fhir.toJson(posted);
      int afterResourceType = event.indexOf(',') + 1;
      String json =
          event.substring(0, afterResourceType) + narrative + event.substring(afterResourceType);
      HttpResponse<String> r = post("/AuditEvent", json, "application/fhir+json");
      assertThat(r.statusCode()).as(style + ": " + r.body()).isEqualTo(422);
      OperationOutcome oo = Fhir.jsonParser().parseResource(OperationOutcome.class, r.body());
      assertThat(oo.getIssueFirstRep().getDiagnostics()).as(style).contains("style attribute");
      assertThat(oo.getIssueFirstRep().getExpression().get(0).getValue())
          .isEqualTo("AuditEvent.text.div");
    }
  }

  @Test
  void create_unknownElement_is400() throws Exception {
    String json =
        Fhir.toJson(
                AuditEventSearchIT.event(
                    "u", "2026-03-04T10:00:00Z", "urn:oid:1.2", "FEED-U", null))
            .replaceFirst("\\{", "{\"sneaky\":true,");
    HttpResponse<String> r = post("/AuditEvent", json, "application/fhir+json");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body())
        .contains("OperationOutcome")
        .contains("sneaky")
        .doesNotContain("at org.", "Exception");
  }

  @Test
  void batch_answersPerEntry_transactionIsAllOrNothing() {
    AuditEvent good =
        AuditEventSearchIT.event("g", "2026-03-05T10:00:00Z", "urn:oid:1.2", "FEED-B1", null);
    AuditEvent bad =
        new AuditEvent()
            .setAction(AuditEvent.AuditEventAction.R); // no code, recorded, agent, source
    Bundle batch = new Bundle().setType(Bundle.BundleType.BATCH);
    batch
        .addEntry()
        .setResource(good)
        .getRequest()
        .setMethod(Bundle.HTTPVerb.POST)
        .setUrl("AuditEvent");
    batch
        .addEntry()
        .setResource(bad)
        .getRequest()
        .setMethod(Bundle.HTTPVerb.POST)
        .setUrl("AuditEvent");
    Bundle response = client.transaction().withBundle(batch).execute();
    assertThat(response.getType()).isEqualTo(Bundle.BundleType.BATCHRESPONSE);
    assertThat(response.getEntry().get(0).getResponse().getStatus()).startsWith("201");
    assertThat(response.getEntry().get(1).getResponse().getStatus()).startsWith("422");
    String goodId =
        response.getEntry().get(0).getResponse().getLocation().replace("AuditEvent/", "");
    assertThat(pollFor(goodId, 1)).hasSize(1);

    AuditEvent other =
        AuditEventSearchIT.event("t", "2026-03-05T11:00:00Z", "urn:oid:1.2", "FEED-T1", null);
    Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    transaction
        .addEntry()
        .setResource(other)
        .getRequest()
        .setMethod(Bundle.HTTPVerb.POST)
        .setUrl("AuditEvent");
    transaction
        .addEntry()
        .setResource(bad)
        .getRequest()
        .setMethod(Bundle.HTTPVerb.POST)
        .setUrl("AuditEvent");
    assertThatThrownBy(() -> client.transaction().withBundle(transaction).execute())
        .isInstanceOf(UnprocessableEntityException.class);

    Bundle update = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    update
        .addEntry()
        .setResource(other)
        .getRequest()
        .setMethod(Bundle.HTTPVerb.PUT)
        .setUrl("AuditEvent/1");
    assertThatThrownBy(() -> client.transaction().withBundle(update).execute())
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("immutable");
  }

  @Test
  void changesAndHistory_are405() throws Exception {
    String body =
        Fhir.toJson(
            AuditEventSearchIT.event("p", "2026-03-06T10:00:00Z", "urn:oid:1.2", "FEED-P", null));
    for (String method : List.of("PUT", "PATCH", "DELETE")) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(server.baseUrl() + "/AuditEvent/abc"))
                  .method(method, HttpRequest.BodyPublishers.ofString(body))
                  .header("Content-Type", "application/fhir+json")
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(method).isEqualTo(405);
      assertThat(r.body()).as(method).contains("OperationOutcome").contains("immutable");
    }
    for (String path :
        List.of("/AuditEvent/abc/_history", "/AuditEvent/abc/_history/1", "/AuditEvent/_history")) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(path).isEqualTo(405);
    }
  }

  private HttpResponse<String> post(String path, String body, String contentType) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", contentType)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private List<ConsumerRecord<String, AuditEvent>> pollFor(String id, int count) {
    List<ConsumerRecord<String, AuditEvent>> found = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (found.size() < count && System.nanoTime() < deadline) {
      for (ConsumerRecord<String, AuditEvent> r : events.poll(Duration.ofMillis(200))) {
        if (r.key().equals(id)) {
          found.add(r);
        }
      }
    }
    return found;
  }
}
