package org.atnabridge.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.store.AuditStore;
import org.atnabridge.store.AuditStores;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.CapabilityStatement;
import org.hl7.fhir.r5.model.CodeableConcept;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.Identifier;
import org.hl7.fhir.r5.model.Reference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The FHIR API over a real Lucene store, through HAPI's generic client and plain HTTP. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditEventSearchIT {

  static final String OID = "urn:oid:1.2.3.4";

  private AuditStore store;
  private SearchServer server;
  private IGenericClient client;

  @BeforeAll
  void start(@TempDir Path indexDir) {
    store = AuditStores.lucene(indexDir);
    List<AuditEvent> events = new ArrayList<>();
    events.add(event("a1", "2026-01-05T10:00:00Z", OID, "P1", "Patient/123"));
    events.add(event("a2", "2026-01-05T23:59:59.999Z", OID, "P1", null));
    events.add(event("a3", "2026-01-06T00:00:00Z", "urn:oid:9.9", "P1", null));
    events.add(event("a4", "2026-01-06T08:00:00Z", null, "P2", null));
    for (int i = 0; i < 120; i++) { // a bulk patient for paging
      events.add(event(String.format("bulk-%03d", i), Instant.parse("2026-02-01T00:00:00Z").plusSeconds(i).toString(),
          OID, "BULK", null));
    }
    store.writer().write(events);
    server = new SearchServer("127.0.0.1", 0, FhirServerFactory.create(store.search())).start();
    Fhir.context().getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
    client = Fhir.context().newRestfulGenericClient(server.baseUrl());
  }

  @AfterAll
  void stop() {
    server.close();
    store.close();
  }

  @Test
  void metadata_listsAuditEventSearchParameters() {
    CapabilityStatement cs = client.capabilities().ofType(CapabilityStatement.class).execute();
    var resource = cs.getRestFirstRep().getResource().stream()
        .filter(r -> r.getType().equals("AuditEvent")).findFirst().orElseThrow();
    assertThat(resource.getSearchParam()).extracting(p -> p.getName()).contains("date", "patient");
    assertThat(cs.getFhirVersion().toCode()).startsWith("5.0");
  }

  @Test
  void search_patientIdentifierModifier_matchesSystemAndValue() {
    assertThat(ids("patient:identifier=" + OID + "|P1")).containsExactly("a2", "a1");
    assertThat(ids("patient:identifier=P1")).containsExactlyInAnyOrder("a1", "a2", "a3");
    assertThat(ids("patient:identifier=|P2")).containsExactly("a4");
    assertThat(ids("patient:identifier=" + OID + "|P2")).isEmpty();
  }

  @Test
  void search_iti81ChainedIdentifier_matchesLikeTheModifier() {
    assertThat(ids("patient.identifier=" + OID + "|P1")).containsExactly("a2", "a1");
    assertThat(ids("patient.identifier=urn:oid:9.9|P1,|P2")).containsExactly("a4", "a3");
  }

  @Test
  void search_patientReference_matchesLiteralReference() {
    assertThat(ids("patient=Patient/123")).containsExactly("a1");
    assertThat(ids("patient=123")).containsExactly("a1");
  }

  @Test
  void search_datePrefixes_followPrecision() {
    assertThat(ids("date=2026-01-05")).containsExactlyInAnyOrder("a1", "a2");
    assertThat(ids("date=ge2026-01-06&date=lt2026-01-07")).containsExactlyInAnyOrder("a3", "a4");
    // gt with second precision starts after that whole second, so 23:59:59.999 is excluded
    assertThat(ids("date=gt2026-01-05T23:59:59Z&date=le2026-01-06T00:00:00Z")).containsExactly("a3");
    assertThat(ids("date=ge2026-01-05T23:59:59Z&date=le2026-01-06T00:00:00Z")).containsExactly("a3", "a2");
    assertThat(ids("date=lt2026-01-05T10:00:00Z")).isEmpty();
    assertThat(ids("date=le2026-01-05T10:00:00Z")).containsExactly("a1");
    assertThat(ids("date=2026-01-05&patient:identifier=" + OID + "|P1")).containsExactly("a2", "a1");
  }

  @Test
  void search_unsupportedDatePrefix_is400() {
    assertThatThrownBy(() -> ids("date=ne2026-01-05")).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("ne");
  }

  @Test
  void search_paging_walksAllPagesWithoutDuplicates() {
    Bundle page = client.search().byUrl("AuditEvent?patient:identifier=" + OID + "|BULK&_count=50")
        .returnBundle(Bundle.class).execute();
    assertThat(page.getTotal()).isEqualTo(120);
    Set<String> seen = new HashSet<>();
    List<String> order = new ArrayList<>();
    int pages = 0;
    while (true) {
      pages++;
      for (Bundle.BundleEntryComponent e : page.getEntry()) {
        String id = e.getResource().getIdElement().getIdPart();
        assertThat(seen.add(id)).as("duplicate %s", id).isTrue();
        order.add(id);
      }
      if (page.getLink(Bundle.LINK_NEXT) == null) {
        break;
      }
      page = client.loadPage().next(page).execute();
    }
    assertThat(pages).isEqualTo(3);
    assertThat(order).hasSize(120).startsWith("bulk-119", "bulk-118").endsWith("bulk-000");
  }

  @Test
  void read_existingAndUnknown() {
    AuditEvent a1 = client.read().resource(AuditEvent.class).withId("a1").execute();
    assertThat(a1.getPatient().getReference()).isEqualTo("Patient/123");
    assertThatThrownBy(() -> client.read().resource(AuditEvent.class).withId("nope").execute())
        .isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void responses_revealNoServerVersionOrStackTrace() throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(server.baseUrl() + "/AuditEvent?date=ne2026")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.headers().map().keySet()).noneMatch(h -> h.equalsIgnoreCase("x-powered-by") || h.equalsIgnoreCase("server"));
    assertThat(r.body()).doesNotContain("at org.", "at ca.uhn", "Exception");
  }

  private List<String> ids(String query) {
    Bundle b = client.search().byUrl("AuditEvent?" + query).returnBundle(Bundle.class).execute();
    assertThat(b.getType()).isEqualTo(Bundle.BundleType.SEARCHSET);
    return b.getEntry().stream().map(e -> e.getResource().getIdElement().getIdPart()).toList();
  }

  static AuditEvent event(String id, String recorded, String system, String value, String reference) {
    AuditEvent e = new AuditEvent();
    e.setId(id);
    e.setRecorded(Date.from(Instant.parse(recorded)));
    e.setAction(AuditEvent.AuditEventAction.R);
    e.setCode(new CodeableConcept(new Coding("http://dicom.nema.org/resources/ontology/DCM", "110110", "Patient Record")));
    Reference patient = new Reference().setIdentifier(new Identifier().setSystem(system).setValue(value));
    if (reference != null) {
      patient.setReference(reference);
    }
    e.setPatient(patient);
    e.getSource().setObserver(new Reference().setIdentifier(new Identifier().setValue("node1")));
    e.addAgent().setWho(new Reference().setIdentifier(new Identifier().setValue("dr.who")));
    return e;
  }
}
