package org.atnabridge.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.atnabridge.kafka.embedded.EmbeddedKafkaBroker;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.testing.KafkaBrokerExtension;
import org.atnabridge.testing.TestVectors;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.Extension;
import org.hl7.fhir.r5.model.OperationOutcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the feed does with a body before the R5 path: the size limit (413, declared and chunked) and
 * R4 (BALP) AuditEvents converted to R5, single and in Bundles, JSON and XML, into a real broker's
 * {@code audit.events}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(KafkaBrokerExtension.class)
class FeedIntakeIT {

  static final String R4_JSON = "application/fhir+json; fhirVersion=4.0";
  static final String R4_XML = "application/fhir+xml; fhirVersion=4.0";
  static final int SIX_MIB = 6 * 1024 * 1024;

  private FeedServer fixture;
  private SearchServer server;
  private KafkaConsumer<String, AuditEvent> events;
  private final Map<String, AuditEvent> written = new HashMap<>();
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void start(EmbeddedKafkaBroker kafka, @TempDir Path indexDir) {
    fixture = FeedServer.start(kafka, indexDir, List.of());
    server = fixture.server();
    events = fixture.events();
  }

  @AfterAll
  void stop() {
    fixture.close();
  }

  @Test
  void bodyOverTheDefaultLimit_declaredLength_is413() throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(server.baseUrl() + "/AuditEvent"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bigJson(SIX_MIB)))
                .header("Content-Type", "application/fhir+json")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(413);
    OperationOutcome oo = Fhir.jsonParser().parseResource(OperationOutcome.class, r.body());
    assertThat(oo.getIssueFirstRep().getCode()).isEqualTo(OperationOutcome.IssueType.TOOCOSTLY);
    assertThat(oo.getIssueFirstRep().getDiagnostics()).contains(Long.toString(5L * 1024 * 1024));
  }

  @Test
  void bodyOverTheDefaultLimit_expectContinue_is413() throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(server.baseUrl() + "/AuditEvent"))
                .expectContinue(true)
                .POST(HttpRequest.BodyPublishers.ofByteArray(bigJson(SIX_MIB)))
                .header("Content-Type", "application/fhir+json")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(r.body()).contains("OperationOutcome");
  }

  @Test
  void bodyOverTheDefaultLimit_chunked_is413() throws Exception {
    byte[] body = bigJson(SIX_MIB);
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(server.baseUrl()))
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(body))) // no length: chunked
                .header("Content-Type", "application/fhir+json")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(r.body()).contains("OperationOutcome").contains("larger than the limit");
  }

  @Test
  void chunkedBodyWithinTheLimit_isAccepted() throws Exception {
    AuditEvent event =
        AuditEventSearchIT.event("c", "2026-04-01T10:00:00Z", "urn:oid:1.2", "CHUNKED-1", null);
    byte[] body = Fhir.toJson(event).getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(server.baseUrl() + "/AuditEvent"))
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .header("Content-Type", "application/fhir+json")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(201);
  }

  @Test
  void eventOfThreeMegabytes_withinTheBodyLimit_isWrittenAndAccepted() throws Exception {
    AuditEvent event =
        AuditEventSearchIT.event("large", "2026-04-01T10:00:00Z", "urn:oid:1.2", "LARGE-1", null);
    event
        .addEntity()
        .addDetail()
        .setType(new org.hl7.fhir.r5.model.CodeableConcept().setText("note"))
        .setValue(
            new org.hl7.fhir.r5.model.StringType(
                "x".repeat(3 * 1024 * 1024))); // over the producer default of 1 MiB
    byte[] body = Fhir.toJson(event).getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(server.baseUrl() + "/AuditEvent"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", "application/fhir+json")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode())
        .as(r.body())
        .isEqualTo(201); // answered only once audit.events has it
  }

  @Test
  void configuredLimit_appliesAndIsValidated() throws Exception {
    try (SearchServer small =
        new SearchServer(
                "127.0.0.1",
                0,
                FhirServerFactory.create(
                    fixture.store().search(),
                    fixture.feed(),
                    Clock.systemUTC(),
                    new ChainVerificationProvider(fixture.store().search()),
                    ApiSettings.DEFAULTS.withMaxRequestBytes(64 * 1024)))
            .start()) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(small.baseUrl() + "/AuditEvent"))
                  .POST(HttpRequest.BodyPublishers.ofByteArray(bigJson(100 * 1024)))
                  .header("Content-Type", "application/fhir+json")
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(413);
      assertThat(r.body()).contains("65536");
    }
    assertThatThrownBy(() -> ApiSettings.DEFAULTS.withMaxRequestBytes(10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxRequestBytes");
  }

  @Test
  void r4BalpExamples_areConvertedAndKeepNetworkSiteAndNames() throws Exception {
    List<Path> examples;
    try (Stream<Path> s = Files.list(TestVectors.root().resolve("balp-r4-examples"))) {
      examples = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    assertThat(examples).hasSizeGreaterThanOrEqualTo(10);
    Map<String, String> ids = new HashMap<>();
    for (Path example : examples) {
      HttpResponse<String> r = post("/AuditEvent", Files.readString(example), R4_JSON);
      assertThat(r.statusCode())
          .as(example.getFileName().toString() + ": " + r.body())
          .isEqualTo(201);
      ids.put(example.getFileName().toString(), idOf(r));
    }
    AuditEvent read = await(ids.get("AuditEvent-ex-auditBasicReadServer.json"));
    // R4 network {address, type 2 = IP} and {type 5 = URI}: dropped by AuditEvent40_50, restored
    assertThat(read.getAgent().get(0).getNetworkStringType().getValue())
        .isEqualTo("[2001:0db8:85a3:0000:0000:8a2e:0370:7334]");
    assertThat(
            read.getAgent()
                .get(0)
                .getExtensionByUrl(
                    "http://atna-bridge.org/fhir/StructureDefinition/network-access-point-type"))
        .isNotNull();
    assertThat(read.getAgent().get(1).getNetworkUriType().getValue())
        .isEqualTo("http://server.example.com/fhir");
    assertThat(read.getSource().getSite().getDisplay()).isEqualTo("server.example.com");
    assertThat(read.getAgent().get(2).getWho().getDisplay()).isEqualTo("John Smith");
    // R4 type/subtype/outcome, which the official converter maps
    assertThat(read.getCategoryFirstRep().getCodingFirstRep().getCode()).isEqualTo("rest");
    assertThat(read.getCode().getCodingFirstRep().getCode()).isEqualTo("read");
    assertThat(read.getOutcome().getCode().getCode()).isEqualTo("0");
    // BALP's patient entity becomes R5 AuditEvent.patient, which the patient search reads
    assertThat(read.getPatient().getReference()).isEqualTo("Patient/ex-patient");
    assertThat(
            read.getEntity()
                .get(1)
                .getExtensionByUrl(
                    "http://atna-bridge.org/fhir/StructureDefinition/participant-object-type"))
        .isNotNull();
  }

  @Test
  void r4AgentAndEntityNames_becomeWhoAndWhatDisplay() throws Exception {
    String r4 =
        Files.readString(
                TestVectors.root()
                    .resolve("balp-r4-examples/AuditEvent-ex-auditBasicReadServer.json"))
            .replace(
                "\"who\":{\"display\":\"John Smith\"}",
                "\"who\":{\"identifier\":{\"value\":\"jsmith\"}},"
                    + "\"name\":\"John Smith\",\"altId\":\"js-42\"")
            .replace(
                "\"what\":{\"reference\":\"List/ex-list\"}",
                "\"what\":{\"reference\":\"List/ex-list\"},"
                    + "\"name\":\"Lab results\",\"description\":\"the cleaned query\"");
    assertThat(r4).contains("\"name\":\"John Smith\"").contains("\"name\":\"Lab results\"");
    HttpResponse<String> r = post("/AuditEvent", r4, R4_JSON);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    AuditEvent stored = await(idOf(r));
    AuditEvent.AuditEventAgentComponent user = stored.getAgent().get(2);
    assertThat(user.getWho().getDisplay()).isEqualTo("John Smith");
    assertThat(user.getWho().getIdentifier().getValue()).isEqualTo("jsmith");
    assertThat(
            ((org.hl7.fhir.r5.model.Identifier)
                    user.getExtensionByUrl(
                            "http://hl7.org/fhir/StructureDefinition/auditevent-AlternativeUserID")
                        .getValue())
                .getValue())
        .isEqualTo("js-42");
    assertThat(stored.getEntity().get(0).getWhat().getDisplay()).isEqualTo("Lab results");
    Extension description =
        stored
            .getEntity()
            .get(0)
            .getExtensionByUrl(
                "http://atna-bridge.org/fhir/StructureDefinition/participant-object-description");
    assertThat(description.getExtensionString("text")).isEqualTo("the cleaned query");
  }

  @Test
  void r4Xml_fromTheHl7ConverterTests_isAccepted_invalidBase64Is400() throws Exception {
    HttpResponse<String> r =
        post(
            "/AuditEvent",
            Files.readString(
                TestVectors.root().resolve("fhir-r4-core/auditevent_40_with_base64binary.xml")),
            R4_XML);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    AuditEvent stored = await(idOf(r));
    assertThat(stored.getAgent().get(0).getNetworkStringType().getValue()).isEqualTo("[127.0.0.1]");
    assertThat(stored.getAgent().get(1).getNetworkStringType().getValue())
        .isEqualTo("Workstation1.ehr.familyclinic.com");
    assertThat(stored.getSource().getSite().getDisplay()).isEqualTo("Development");

    HttpResponse<String> bad =
        post(
            "/AuditEvent",
            Files.readString(
                TestVectors.root()
                    .resolve("fhir-r4-core/auditevent_40_with_invalid_base64binary.xml")),
            R4_XML);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("OperationOutcome").doesNotContain("Exception", "at org.");
  }

  @Test
  void r4Bundle_eachEntryConverted_andR4UnknownElementIs400() throws Exception {
    String read =
        Files.readString(
            TestVectors.root().resolve("balp-r4-examples/AuditEvent-ex-auditBasicReadServer.json"));
    String create =
        Files.readString(
            TestVectors.root()
                .resolve("balp-r4-examples/AuditEvent-ex-auditBasicCreateServer.json"));
    String bundle =
        "{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":["
            + "{\"resource\":"
            + read
            + ",\"request\":{\"method\":\"POST\",\"url\":\"AuditEvent\"}},"
            + "{\"resource\":"
            + create
            + ",\"request\":{\"method\":\"POST\",\"url\":\"AuditEvent\"}}]}";
    HttpResponse<String> r = post("", bundle, R4_JSON);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    Bundle response = Fhir.jsonParser().parseResource(Bundle.class, r.body());
    assertThat(response.getEntry())
        .extracting(e -> e.getResponse().getStatus())
        .allMatch(s -> s.startsWith("201"));
    AuditEvent stored =
        await(response.getEntry().get(0).getResponse().getLocation().replace("AuditEvent/", ""));
    assertThat(stored.getSource().getSite().getDisplay()).isEqualTo("server.example.com");

    HttpResponse<String> sneaky =
        post("/AuditEvent", read.replaceFirst("\\{", "{\"sneaky\":true,"), R4_JSON);
    assertThat(sneaky.statusCode()).isEqualTo(400);
    assertThat(sneaky.body()).contains("OperationOutcome").contains("sneaky");

    HttpResponse<String> dstu3 =
        post("/AuditEvent", read, "application/fhir+json; fhirVersion=3.0");
    assertThat(dstu3.statusCode()).isEqualTo(415);
    assertThat(dstu3.body()).contains("OperationOutcome").contains("fhirVersion=3.0");
  }

  @Test
  void reports_areServedAndSelfAudited_onAServerWithTheFeed() throws Exception {
    String marker = "REPORT-" + System.nanoTime();
    HttpResponse<String> csv =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        server.baseUrl()
                            + "/Patient/"
                            + marker
                            + "/$access-report?start=2026-01-01&end=2026-02-01&_format=text%2Fcsv"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(csv.statusCode()).isEqualTo(200);
    assertThat(csv.headers().firstValue("Content-Type"))
        .hasValueSatisfying(ct -> assertThat(ct).startsWith("text/csv"));
    assertThat(csv.body())
        .isEqualTo(
            "user,display,count,first_access,last_access,purposes_of_use,actions,outcomes\r\n");
    HttpResponse<String> stats =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        server.baseUrl()
                            + "/AuditEvent/$stats?patient="
                            + marker
                            + "&field=action"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(stats.statusCode()).isEqualTo(200);
    // both are uses of the audit trail: each leaves a self-audit record naming the request
    for (String op : List.of("$access-report", "$stats")) {
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      boolean found = false;
      while (!found && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, AuditEvent> r : events.poll(Duration.ofMillis(200))) {
          written.put(r.key(), r.value());
        }
        found =
            written.values().stream()
                .anyMatch(
                    e ->
                        e.getEntity().stream()
                            .anyMatch(
                                en ->
                                    en.hasQuery()
                                        && new String(en.getQuery(), StandardCharsets.UTF_8)
                                            .contains(op)
                                        && new String(en.getQuery(), StandardCharsets.UTF_8)
                                            .contains(marker)));
      }
      assertThat(found).as("self-audit of %s", op).isTrue();
    }
  }

  /** A syntactically plausible JSON body of about {@code size} octets. */
  private static byte[] bigJson(int size) {
    byte[] body = new byte[size];
    Arrays.fill(body, (byte) ' ');
    byte[] start = "{\"resourceType\":\"AuditEvent\",\"id\":\"".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(start, 0, body, 0, start.length);
    Arrays.fill(body, start.length, size - 2, (byte) 'x');
    body[size - 2] = '"';
    body[size - 1] = '}';
    return body;
  }

  private static String idOf(HttpResponse<String> r) {
    String location = r.headers().firstValue("Location").orElseThrow();
    String path = location.substring(location.indexOf("/AuditEvent/") + "/AuditEvent/".length());
    return path.contains("/") ? path.substring(0, path.indexOf('/')) : path;
  }

  private HttpResponse<String> post(String path, String body, String contentType) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", contentType)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The event as written to {@code audit.events}. */
  private AuditEvent await(String id) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!written.containsKey(id) && System.nanoTime() < deadline) {
      for (ConsumerRecord<String, AuditEvent> r : events.poll(Duration.ofMillis(200))) {
        written.put(r.key(), r.value());
      }
    }
    assertThat(written).as("audit.events has %s", id).containsKey(id);
    return written.get(id);
  }
}
