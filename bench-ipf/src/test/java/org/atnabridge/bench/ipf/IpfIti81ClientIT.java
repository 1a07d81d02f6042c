package org.atnabridge.bench.ipf;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openehealth.ipf.commons.ihe.fhir.Constants;
import org.openehealth.ipf.commons.ihe.fhir.QueryClientRequestFactory;

/**
 * IPF 5.1.0's ITI-81 (Retrieve ATNA Audit Event) consumer request — {@code
 * QueryClientRequestFactory} for AuditEvent/Bundle, which is all IPF's {@code
 * Iti81ClientRequestFactory} is — on HAPI 8.2's R4 generic client, against the packaged product's
 * {@code /fhir/R4} base: by patient, by date range and by agent, with two events a page so every
 * search walks several pages. The product runs as {@code serve} (embedded KRaft broker, Lucene) in
 * its own process, loaded with the DICOM test vectors over TCP syslog; what each search must find
 * is what {@code atna-bridge convert} makes of the same vectors.
 */
class IpfIti81ClientIT {

  private static final int PAGE = 2;
  private static final String PATIENT_SYSTEM = "urn:oid:2.16.840.1.113883.3.37.4.1.1.2.1.1";
  private static final String PATIENT_ID = "27";
  private static final String AGENT_ID = "BLUB";

  @TempDir Path work;
  private ProductServe serve;

  @AfterEach
  void stop() throws InterruptedException {
    if (serve != null) {
      serve.close();
    }
  }

  @Test
  void ipfIti81Consumer_findsByPatientDateAndAgent_readingEveryPage() throws Exception {
    Path jar = ProductConvert.packagedJar();
    List<Path> vectors = dicomVectors();
    List<JsonNode> expected = new ProductConvert(jar, work).convertR5(vectors);

    Instant started = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    serve = ProductServe.start(jar, work).awaitReady(Duration.ofSeconds(120));
    String token = serve.token(jar, "system/AuditEvent.rs");
    List<String> xml = new ArrayList<>();
    for (Path v : vectors) {
      xml.add(Files.readString(v, StandardCharsets.UTF_8));
    }
    serve.sendSyslog(xml);

    FhirContext r4 = FhirContext.forR4();
    r4.getRestfulClientFactory()
        .setServerValidationMode(ca.uhn.fhir.rest.client.api.ServerValidationModeEnum.NEVER);
    IGenericClient client = r4.newRestfulGenericClient(serve.fhirR4Base());
    client.registerInterceptor(new BearerTokenAuthInterceptor(token));
    QueryClientRequestFactory<Bundle> iti81 =
        new QueryClientRequestFactory<>(AuditEvent.class, Bundle.class);

    awaitStored(client, iti81, started, expected.size());

    // by patient: ITI-81's chained patient.identifier=system|value
    List<AuditEvent> byPatient =
        allPages(
            client,
            iti81,
            AuditEvent.PATIENT.hasChainedProperty(
                Patient.IDENTIFIER.exactly().systemAndIdentifier(PATIENT_SYSTEM, PATIENT_ID)));
    assertThat(byPatient)
        .hasSize(count(expected, IpfIti81ClientIT::aboutPatient))
        .hasSizeGreaterThan(PAGE - 1)
        .allSatisfy(
            e ->
                assertThat(e.getEntity())
                    .anySatisfy(
                        en -> {
                          assertThat(en.getWhat().getIdentifier().getSystem())
                              .isEqualTo(PATIENT_SYSTEM);
                          assertThat(en.getWhat().getIdentifier().getValue()).isEqualTo(PATIENT_ID);
                        }));

    // by date range (AuditEvent.recorded), as a query string the way IPF's consumer also takes it
    List<AuditEvent> byDate =
        allPages(client, iti81, "AuditEvent?date=ge2020-03-19&date=lt2020-03-20");
    Instant from = Instant.parse("2020-03-19T00:00:00Z");
    Instant to = Instant.parse("2020-03-20T00:00:00Z");
    assertThat(byDate)
        .hasSize(count(expected, e -> within(e, from, to)))
        .hasSizeGreaterThan(PAGE)
        .allSatisfy(
            e -> {
              assertThat(e.getRecorded().toInstant()).isAfterOrEqualTo(from).isBefore(to);
              // the R4 representation: R4's type (R5 category) as IPF's R4 model reads it
              assertThat(e.getType().getCode()).isNotBlank();
            });

    // by agent: ITI-81's chained agent.identifier
    List<AuditEvent> byAgent =
        allPages(
            client,
            iti81,
            AuditEvent.AGENT.hasChainedProperty(Practitioner.IDENTIFIER.exactly().code(AGENT_ID)));
    assertThat(byAgent)
        .hasSize(count(expected, IpfIti81ClientIT::byAgent))
        .hasSizeGreaterThan(PAGE)
        .allSatisfy(
            e ->
                assertThat(e.getAgent())
                    .anySatisfy(
                        a ->
                            assertThat(a.getWho().getIdentifier().getValue()).isEqualTo(AGENT_ID)));
  }

  /** Every page of an ITI-81 search, following {@code next}; each event exactly once. */
  private static List<AuditEvent> allPages(
      IGenericClient client, QueryClientRequestFactory<Bundle> iti81, Object query) {
    Bundle page =
        iti81.getClientExecutable(client, query, Map.of(Constants.FHIR_COUNT, PAGE)).execute();
    List<AuditEvent> events = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    int pages = 0;
    while (true) {
      pages++;
      assertThat(page.getEntry()).hasSizeLessThanOrEqualTo(PAGE);
      for (Bundle.BundleEntryComponent entry : page.getEntry()) {
        if (entry.getResource() instanceof AuditEvent event) {
          assertThat(ids.add(event.getIdElement().getIdPart()))
              .as("%s returned twice", event.getId())
              .isTrue();
          events.add(event);
        }
      }
      if (page.getLink(Bundle.LINK_NEXT) == null) {
        break;
      }
      page = client.loadPage().next(page).execute();
    }
    assertThat(pages).as("pages of %s", query).isGreaterThanOrEqualTo(events.size() / PAGE);
    return events;
  }

  /**
   * Waits until the store holds every event the vectors make (ingest → Kafka → index). The vectors'
   * events were all recorded before the test started; the server's own records of these searches
   * (its self-audit) after, so they are not counted.
   */
  static void awaitStored(
      IGenericClient client, QueryClientRequestFactory<Bundle> iti81, Instant started, int expected)
      throws InterruptedException {
    Instant until = Instant.now().plus(Duration.ofSeconds(90));
    int total = -1;
    while (Instant.now().isBefore(until)) {
      Bundle stored =
          iti81
              .getClientExecutable(
                  client, "AuditEvent?date=lt" + started, Map.of(Constants.FHIR_COUNT, 1000))
              .execute();
      total = stored.getEntry().size();
      if (total >= expected) {
        break;
      }
      Thread.sleep(250);
    }
    assertThat(total).as("events stored").isEqualTo(expected);
  }

  private static List<Path> dicomVectors() throws IOException {
    try (Stream<Path> files = Files.list(IpfBenchmarks.corpus().resolve("dicom-audit-xml"))) {
      return files.filter(Files::isRegularFile).sorted().toList();
    }
  }

  private static int count(List<JsonNode> events, Predicate<JsonNode> filter) {
    return (int) events.stream().filter(filter).count();
  }

  private static boolean aboutPatient(JsonNode r5) {
    JsonNode id = r5.at("/patient/identifier");
    return PATIENT_SYSTEM.equals(id.path("system").asText())
        && PATIENT_ID.equals(id.path("value").asText());
  }

  private static boolean within(JsonNode r5, Instant from, Instant to) {
    Instant recorded = Instant.parse(r5.path("recorded").asText());
    return !recorded.isBefore(from) && recorded.isBefore(to);
  }

  private static boolean byAgent(JsonNode r5) {
    for (JsonNode agent : r5.path("agent")) {
      if (AGENT_ID.equals(agent.at("/who/identifier/value").asText())) {
        return true;
      }
    }
    return false;
  }
}
