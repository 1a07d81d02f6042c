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
    events.add(rich("r1", "2026-03-01T10:00:00Z", "2026-03-02T00:00:00Z", AuditEvent.AuditEventAction.E,
        "0", "u1", "Alice Smith", "10.0.0.1", "TREAT", "urn:policy:one", "SITE-A", "Patient/777", "1"));
    events.add(rich("r2", "2026-03-01T11:00:00Z", "2026-03-05T00:00:00Z", AuditEvent.AuditEventAction.U,
        "8", "u2", "Bob Jones", "192.168.1.20", "ETREAT", "urn:policy:two", "SITE-B", "DocumentReference/d2", "2"));
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
    assertThat(resource.getSearchParam()).extracting(p -> p.getName()).contains("date", "patient",
        "action", "agent", "agent-role", "based-on", "category", "code", "encounter", "entity", "entity-role",
        "outcome", "policy", "purpose", "source", "type", "subtype", "address", "entity-type", "agent-name", "altid",
        "site", "_id", "_lastUpdated", "_tag", "_security", "_text", "_content");
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
    assertThat(ids("date=2026-01-05T10:00:00Z,2026-01-06T08:00:00Z")).containsExactly("a4", "a1");
    assertThat(ids("date=ne2026-01-05&date=ge2026-01-01&date=lt2026-01-07")).containsExactly("a4", "a3");
  }

  @Test
  void search_unsupportedDatePrefix_is400() {
    assertThatThrownBy(() -> ids("date=ap2026-01-05")).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("ap");
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
  void search_r5TokenParameters() {
    assertThat(ids("action=E")).containsExactly("r1");
    assertThat(ids("action=http://hl7.org/fhir/audit-event-action|U")).containsExactly("r2");
    assertThat(ids("category=" + DCM + "|110112")).containsExactly("r2", "r1");
    assertThat(ids("code=urn:ihe:event-type-code|ITI-1,ITI-2")).containsExactly("r2", "r1");
    assertThat(ids("code=|ITI-1")).isEmpty(); // |code: only codings without a system
    assertThat(ids("agent-role=PROV2")).containsExactly("r2");
    assertThat(ids("entity-role=http://terminology.hl7.org/CodeSystem/object-role|1")).containsExactly("r1");
    assertThat(ids("purpose=ETREAT")).containsExactly("r2");
    assertThat(ids("outcome=0")).containsExactly("r1");
    assertThat(ids("outcome=error")).containsExactly("r2"); // DICOM 8 = issue-severity error
  }

  @Test
  void search_iti81Aliases() {
    assertThat(ids("type=110112&subtype=ITI-1")).containsExactly("r1");
    assertThat(ids("entity-type=DocumentReference")).containsExactly("r2");
    assertThat(ids("entity-type=http://hl7.org/fhir/resource-types|Patient&category=110112")).containsExactly("r1");
    assertThat(ids("agent-name=ali")).containsExactly("r1");
    assertThat(ids("agent-name:exact=Bob%20Jones")).containsExactly("r2");
    assertThat(ids("agent-name:exact=bob%20jones")).isEmpty();
    assertThat(ids("address=192.168")).containsExactly("r2");
    assertThat(ids("address:contains=0.0")).containsExactly("r1");
    assertThat(ids("altid=urn:alt|alt-u1")).containsExactly("r1");
    assertThat(ids("site=urn:sites|SITE-B")).containsExactly("r2");
  }

  @Test
  void search_referenceParametersAndChainedIdentifiers() {
    assertThat(ids("agent=Practitioner/u1")).containsExactly("r1");
    assertThat(ids("agent=u2")).containsExactly("r2");
    assertThat(ids("agent.identifier=urn:users|u1,urn:users|u2")).containsExactly("r2", "r1");
    assertThat(ids("agent:identifier=u2")).containsExactly("r2");
    assertThat(ids("agent.identifier=dr.who&date=2026-01-05")).containsExactly("a2", "a1");
    assertThat(ids("entity=DocumentReference/d2")).containsExactly("r2");
    assertThat(ids("entity.identifier=urn:docs|doc1")).containsExactly("r1");
    assertThat(ids("source=Device/dev1")).containsExactly("r1");
    assertThat(ids("source.identifier=urn:devices|src2")).containsExactly("r2");
    assertThat(ids("source.identifier=node1&date=2026-01-06")).containsExactly("a4", "a3");
    assertThat(ids("based-on=ServiceRequest/sr1")).containsExactly("r1");
    assertThat(ids("encounter=e2")).containsExactly("r2");
    assertThat(ids("encounter=Encounter/e1")).containsExactly("r1");
    assertThat(ids("patient=Patient/p2")).containsExactly("r2");
  }

  @Test
  void search_uriAndCommonParameters() {
    assertThat(ids("policy=urn:policy:two")).containsExactly("r2");
    assertThat(ids("_id=r1,a4")).containsExactly("r1", "a4");
    assertThat(ids("_tag=urn:tags|tag2")).containsExactly("r2");
    assertThat(ids("_security=R")).containsExactly("r2");
    assertThat(ids("_lastUpdated=ge2026-03-03")).containsExactly("r2");
    assertThat(ids("_lastUpdated=2026-03-02,2026-03-05")).containsExactly("r2", "r1");
    assertThat(ids("_text=alice")).containsExactly("r1");
    assertThat(ids("_content=bob&_text=jones")).containsExactly("r2");
    assertThat(ids("_content=alice&_text=jones")).isEmpty();
  }

  @Test
  void search_andAcrossRepeatsOrAcrossCommas() {
    assertThat(ids("code=ITI-1,ITI-2&code=ITI-2")).containsExactly("r2");
    assertThat(ids("agent=u1&agent=u2")).isEmpty();
  }

  @Test
  void search_missingAndNot() {
    assertThat(ids("encounter:missing=false")).containsExactly("r2", "r1");
    assertThat(ids("encounter:missing=true&date=2026-01-05")).containsExactly("a2", "a1");
    assertThat(ids("policy:missing=false")).containsExactly("r2", "r1");
    assertThat(ids("agent-name:missing=false")).containsExactly("r2", "r1");
    assertThat(ids("action:not=R")).containsExactly("r2", "r1");
    assertThat(ids("outcome:not=0&category=110112")).containsExactly("r2");
  }

  @Test
  void search_sort() {
    assertThat(ids("_id=r1,r2,a1&_sort=date")).containsExactly("a1", "r1", "r2");
    assertThat(ids("_id=r1,r2,a1&_sort=-date")).containsExactly("r2", "r1", "a1");
    assertThat(ids("_id=r1,r2,a1&_sort=_lastUpdated")).containsExactly("a1", "r1", "r2");
    assertThat(ids("_id=r1,r2&_sort=-_lastUpdated")).containsExactly("r2", "r1");
  }

  @Test
  void search_unsupportedModifiersAndSorts_are400() {
    assertThatThrownBy(() -> ids("_sort=outcome")).isInstanceOf(InvalidRequestException.class).hasMessageContaining("_sort");
    assertThatThrownBy(() -> ids("purpose:text=treat")).isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> ids("policy:below=urn:policy")).isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> ids("_text=a,b")).isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> ids("agent.name=x")).isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void search_nextLink_worksOnASecondInstance_andStaysExactWhileEventsArrive() {
    List<AuditEvent> walk = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      walk.add(event(String.format("walk-%02d", i), Instant.parse("2025-04-01T00:00:00Z").plusSeconds(i).toString(),
          OID, "WALK", null));
    }
    store.writer().write(walk);
    try (SearchServer second = new SearchServer("127.0.0.1", 0, FhirServerFactory.create(store.search())).start()) {
      IGenericClient secondClient = Fhir.context().newRestfulGenericClient(second.baseUrl());
      Bundle page = client.search().byUrl("AuditEvent?patient.identifier=" + OID + "|WALK&_count=10")
          .returnBundle(Bundle.class).execute();
      List<String> order = new ArrayList<>();
      page.getEntry().forEach(e -> order.add(e.getResource().getIdElement().getIdPart()));
      // newer events arrive between pages: they sort before the cursor and must not shift it
      store.writer().write(List.of(event("walk-new", "2025-04-02T00:00:00Z", OID, "WALK", null)));
      int pages = 1;
      while (page.getLink(Bundle.LINK_NEXT) != null) {
        String next = page.getLink(Bundle.LINK_NEXT).getUrl();
        // the first next link names the first instance; follow every link on the second one
        assertThat(next).startsWith(pages == 1 ? server.baseUrl() : second.baseUrl()).contains(CursorPages.CURSOR + "=");
        page = secondClient.fetchResourceFromUrl(Bundle.class, next.replace(server.baseUrl(), second.baseUrl()));
        page.getEntry().forEach(e -> order.add(e.getResource().getIdElement().getIdPart()));
        pages++;
      }
      assertThat(pages).isEqualTo(3);
      assertThat(order).hasSize(30).doesNotHaveDuplicates().startsWith("walk-29").endsWith("walk-00");
    }
  }

  @Test
  void search_postForm_pagesWithGetLinks() throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(server.baseUrl() + "/AuditEvent/_search"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString("patient.identifier=" + OID + "%7CBULK&_count=100")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    Bundle first = Fhir.context().newJsonParser().parseResource(Bundle.class, r.body());
    assertThat(first.getEntry()).hasSize(100);
    String next = first.getLink(Bundle.LINK_NEXT).getUrl();
    assertThat(next).startsWith(server.baseUrl() + "/AuditEvent?");
    assertThat(client.fetchResourceFromUrl(Bundle.class, next).getEntry()).hasSize(20);
  }

  @Test
  void search_oneSelfLink_elementsSubsetEntries_summaryCountHasNoEntries() {
    Bundle b = client.search().byUrl("AuditEvent?_id=r1&_elements=action,agent").returnBundle(Bundle.class).execute();
    assertThat(b.getLink()).filteredOn(l -> l.getRelation() == Bundle.LinkRelationTypes.SELF).hasSize(1);
    AuditEvent r1 = (AuditEvent) b.getEntryFirstRep().getResource();
    assertThat(r1.getAction()).isEqualTo(AuditEvent.AuditEventAction.E);
    assertThat(r1.getAgent()).hasSize(1);
    assertThat(r1.hasEntity()).isFalse();
    assertThat(r1.hasSource()).isFalse();
    assertThat(r1.getMeta().getTag()).extracting(Coding::getCode).contains("SUBSETTED");
    Bundle count = client.search().byUrl("AuditEvent?patient.identifier=" + OID + "|BULK&_summary=count")
        .returnBundle(Bundle.class).execute();
    assertThat(count.getTotal()).isEqualTo(120);
    assertThat(count.getEntry()).isEmpty();
    assertThatThrownBy(() -> ids("_id=r1&_elements=nonsense")).isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void search_foreignCursor_is400() {
    assertThatThrownBy(() -> ids("_cursor=bm90LWEtY3Vyc29y")).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("_cursor");
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
        HttpRequest.newBuilder(URI.create(server.baseUrl() + "/AuditEvent?date=ap2026")).build(),
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

  static final String DCM = "http://dicom.nema.org/resources/ontology/DCM";
  static final String ALT_USER = "http://hl7.org/fhir/StructureDefinition/auditevent-AlternativeUserID";

  /**
   * An event with every searchable element set, varied by the arguments; {@code n} numbers the
   * plain references (Encounter/e{n}, ServiceRequest/sr{n}, Device/dev{n}), the tag and the
   * security label.
   */
  static AuditEvent rich(String id, String recorded, String lastUpdated, AuditEvent.AuditEventAction action,
      String dicomOutcome, String user, String userName, String address, String purpose, String policy, String site,
      String entity, String n) {
    AuditEvent e = new AuditEvent();
    e.setId(id);
    e.setRecorded(Date.from(Instant.parse(recorded)));
    e.getMeta().setLastUpdated(Date.from(Instant.parse(lastUpdated)));
    e.getMeta().addTag("urn:tags", "tag" + n, null);
    e.getMeta().addSecurity(new Coding("http://terminology.hl7.org/CodeSystem/v3-Confidentiality", n.equals("1") ? "N" : "R", null));
    e.setAction(action);
    e.addCategory(new CodeableConcept(new Coding(DCM, "110112", "Query")));
    e.setCode(new CodeableConcept(new Coding("urn:ihe:event-type-code", "ITI-" + n, "Transaction " + n)));
    e.getOutcome().setCode(new Coding("http://terminology.hl7.org/CodeSystem/audit-event-outcome", dicomOutcome, null));
    e.addAuthorization(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActReason", purpose, null)));
    e.addBasedOn(new Reference("ServiceRequest/sr" + n));
    e.setEncounter(new Reference("Encounter/e" + n));
    e.setPatient(new Reference("Patient/p" + n));
    AuditEvent.AuditEventAgentComponent agent = e.addAgent();
    agent.setWho(new Reference("Practitioner/" + user).setDisplay(userName)
        .setIdentifier(new Identifier().setSystem("urn:users").setValue(user)));
    agent.addRole(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/v3-RoleClass", "PROV" + n, null)));
    agent.addPolicy(policy);
    agent.setNetwork(new org.hl7.fhir.r5.model.StringType(address));
    agent.addExtension(ALT_USER, new Identifier().setSystem("urn:alt").setValue("alt-" + user));
    e.getSource().setObserver(new Reference("Device/dev" + n)
        .setIdentifier(new Identifier().setSystem("urn:devices").setValue("src" + n)));
    e.getSource().setSite(new Reference().setIdentifier(new Identifier().setSystem("urn:sites").setValue(site)));
    AuditEvent.AuditEventEntityComponent ent = e.addEntity();
    ent.setWhat(new Reference(entity).setIdentifier(new Identifier().setSystem("urn:docs").setValue("doc" + n)));
    ent.setRole(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/object-role", n, null)));
    return e;
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
