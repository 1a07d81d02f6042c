package org.atnabridge.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.schemas.vocab.CodeSystems;
import org.atnabridge.schemas.vocab.Extensions;
import org.atnabridge.store.AuditStore;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.CapabilityStatement;
import org.hl7.fhir.r5.model.CodeableConcept;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.Identifier;
import org.hl7.fhir.r5.model.OperationOutcome;
import org.hl7.fhir.r5.model.Reference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The FHIR search API contract, run once per store engine (like audit-store's AuditStoreContract):
 * a real server over a real store, driven through HAPI's generic client and plain HTTP. The store
 * holds hand-made events with every searchable element set and the shared test vectors converted by
 * the real converter.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractFhirSearchIT {

  static final String OID = "urn:oid:1.2.3.4";

  private AuditStore store;
  private AuditStore secondStore;
  private AuditStore corpusStore;
  private final List<SearchServer> servers = new ArrayList<>();
  SearchServer server;
  IGenericClient client;

  /** A server over the converted test vectors only, so they cannot disturb exact expectations. */
  IGenericClient corpusClient;

  List<AuditEvent> corpus;
  final HttpClient http = HttpClient.newHttpClient();

  /** An empty store of the engine under test; {@code name} tells two stores of a suite apart. */
  protected abstract AuditStore newStore(String name);

  /**
   * A second store instance over the same data, as a second server process would open it (for an
   * engine that allows only one, the same instance).
   */
  protected abstract AuditStore secondInstance(AuditStore first);

  @BeforeAll
  void start() {
    store = newStore("main");
    List<AuditEvent> events = new ArrayList<>();
    events.add(event("a1", "2026-01-05T10:00:00Z", OID, "P1", "Patient/123"));
    events.add(event("a2", "2026-01-05T23:59:59.999Z", OID, "P1", null));
    events.add(event("a3", "2026-01-06T00:00:00Z", "urn:oid:9.9", "P1", null));
    events.add(event("a4", "2026-01-06T08:00:00Z", null, "P2", null));
    events.add(
        rich(
            "r1",
            "2026-03-01T10:00:00Z",
            "2026-03-02T00:00:00Z",
            AuditEvent.AuditEventAction.E,
            "0",
            "u1",
            "Alice Smith",
            "10.0.0.1",
            "TREAT",
            "urn:policy:one",
            "SITE-A",
            "Patient/777",
            "1"));
    events.add(
        rich(
            "r2",
            "2026-03-01T11:00:00Z",
            "2026-03-05T00:00:00Z",
            AuditEvent.AuditEventAction.U,
            "8",
            "u2",
            "Bob Jones",
            "192.168.1.20",
            "ETREAT",
            "urn:policy:two",
            "SITE-B",
            "DocumentReference/d2",
            "2"));
    for (int i = 0; i < 120; i++) { // a bulk patient for paging
      events.add(
          event(
              String.format("bulk-%03d", i),
              Instant.parse("2026-02-01T00:00:00Z").plusSeconds(i).toString(),
              OID,
              "BULK",
              null));
    }
    store.writer().write(events);
    corpus = TestVectorEvents.load();
    corpusStore = newStore("corpus");
    corpusStore.writer().write(corpus);
    secondStore = secondInstance(store);
    server = start(FhirServerFactory.create(store.search()));
    Fhir.context()
        .getRestfulClientFactory()
        .setServerValidationMode(ServerValidationModeEnum.NEVER);
    client = Fhir.context().newRestfulGenericClient(server.baseUrl());
    corpusClient =
        Fhir.context()
            .newRestfulGenericClient(
                start(FhirServerFactory.create(corpusStore.search())).baseUrl());
  }

  /** Another server over this suite's store; closed after the class. */
  SearchServer start(RestfulServer fhir) {
    SearchServer s = new SearchServer("127.0.0.1", 0, fhir).start();
    servers.add(s);
    return s;
  }

  @AfterAll
  void stop() {
    servers.forEach(SearchServer::close);
    if (secondStore != null && secondStore != store) {
      secondStore.close();
    }
    if (corpusStore != null) {
      corpusStore.close();
    }
    if (store != null) {
      store.close();
    }
  }

  @Test
  void metadata_listsAuditEventSearchParameters() {
    CapabilityStatement cs = client.capabilities().ofType(CapabilityStatement.class).execute();
    var resource =
        cs.getRestFirstRep().getResource().stream()
            .filter(r -> r.getType().equals("AuditEvent"))
            .findFirst()
            .orElseThrow();
    assertThat(resource.getSearchParam())
        .extracting(p -> p.getName())
        .contains(
            "date",
            "patient",
            "action",
            "agent",
            "agent-role",
            "based-on",
            "category",
            "code",
            "encounter",
            "entity",
            "entity-role",
            "outcome",
            "policy",
            "purpose",
            "source",
            "type",
            "subtype",
            "address",
            "entity-type",
            "agent-name",
            "altid",
            "site",
            "_id",
            "_lastUpdated",
            "_tag",
            "_security",
            "_text",
            "_content");
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
    assertThat(ids("date=gt2026-01-05T23:59:59Z&date=le2026-01-06T00:00:00Z"))
        .containsExactly("a3");
    assertThat(ids("date=ge2026-01-05T23:59:59Z&date=le2026-01-06T00:00:00Z"))
        .containsExactly("a3", "a2");
    assertThat(ids("date=lt2026-01-05T10:00:00Z")).isEmpty();
    assertThat(ids("date=le2026-01-05T10:00:00Z")).containsExactly("a1");
    assertThat(ids("date=2026-01-05&patient:identifier=" + OID + "|P1"))
        .containsExactly("a2", "a1");
    assertThat(ids("date=2026-01-05T10:00:00Z,2026-01-06T08:00:00Z")).containsExactly("a4", "a1");
    assertThat(ids("date=ne2026-01-05&date=ge2026-01-01&date=lt2026-01-07"))
        .containsExactly("a4", "a3");
  }

  @Test
  void search_unsupportedDatePrefix_is400() {
    assertThatThrownBy(() -> ids("date=ap2026-01-05"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("ap");
  }

  @Test
  void search_paging_walksAllPagesWithoutDuplicates() {
    Bundle page =
        client
            .search()
            .byUrl("AuditEvent?patient:identifier=" + OID + "|BULK&_count=50")
            .returnBundle(Bundle.class)
            .execute();
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
    assertThat(ids("entity-role=http://terminology.hl7.org/CodeSystem/object-role|1"))
        .containsExactly("r1");
    assertThat(ids("purpose=ETREAT")).containsExactly("r2");
    assertThat(ids("outcome=0")).containsExactly("r1");
    assertThat(ids("outcome=error")).containsExactly("r2"); // DICOM 8 = issue-severity error
  }

  @Test
  void search_iti81Aliases() {
    assertThat(ids("type=110112&subtype=ITI-1")).containsExactly("r1");
    assertThat(ids("entity-type=DocumentReference")).containsExactly("r2");
    assertThat(ids("entity-type=http://hl7.org/fhir/resource-types|Patient&category=110112"))
        .containsExactly("r1");
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
    assertThatThrownBy(() -> ids("_sort=outcome"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("_sort");
    assertThatThrownBy(() -> ids("purpose:text=treat")).isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> ids("policy:below=urn:policy"))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> ids("_text=a,b")).isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> ids("agent.name=x")).isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void search_nextLink_worksOnASecondInstance_andStaysExactWhileEventsArrive() {
    List<AuditEvent> walk = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      walk.add(
          event(
              String.format("walk-%02d", i),
              Instant.parse("2025-04-01T00:00:00Z").plusSeconds(i).toString(),
              OID,
              "WALK",
              null));
    }
    store.writer().write(walk);
    SearchServer second = start(FhirServerFactory.create(secondStore.search()));
    {
      IGenericClient secondClient = Fhir.context().newRestfulGenericClient(second.baseUrl());
      Bundle page =
          client
              .search()
              .byUrl("AuditEvent?patient.identifier=" + OID + "|WALK&_count=10")
              .returnBundle(Bundle.class)
              .execute();
      List<String> order = new ArrayList<>();
      page.getEntry().forEach(e -> order.add(e.getResource().getIdElement().getIdPart()));
      // newer events arrive between pages: they sort before the cursor and must not shift it
      store.writer().write(List.of(event("walk-new", "2025-04-02T00:00:00Z", OID, "WALK", null)));
      int pages = 1;
      while (page.getLink(Bundle.LINK_NEXT) != null) {
        String next = page.getLink(Bundle.LINK_NEXT).getUrl();
        // the first next link names the first instance; follow every link on the second one
        assertThat(next)
            .startsWith(pages == 1 ? server.baseUrl() : second.baseUrl())
            .contains(CursorPages.CURSOR + "=");
        page =
            secondClient.fetchResourceFromUrl(
                Bundle.class, next.replace(server.baseUrl(), second.baseUrl()));
        page.getEntry().forEach(e -> order.add(e.getResource().getIdElement().getIdPart()));
        pages++;
      }
      assertThat(pages).isEqualTo(3);
      assertThat(order)
          .hasSize(30)
          .doesNotHaveDuplicates()
          .startsWith("walk-29")
          .endsWith("walk-00");
    }
  }

  @Test
  void search_postForm_pagesWithGetLinks() throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(server.baseUrl() + "/AuditEvent/_search"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "patient.identifier=" + OID + "%7CBULK&_count=100&foo=bar"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    Bundle first = Fhir.context().newJsonParser().parseResource(Bundle.class, r.body());
    assertThat(matches(first)).hasSize(100);
    String next = first.getLink(Bundle.LINK_NEXT).getUrl();
    assertThat(next).startsWith(server.baseUrl() + "/AuditEvent?").doesNotContain("foo");
    assertThat(first.getEntry())
        .filteredOn(e -> e.getSearch().getMode() == Bundle.SearchEntryMode.OUTCOME)
        .hasSize(1);
    assertThat(client.fetchResourceFromUrl(Bundle.class, next).getEntry()).hasSize(20);
  }

  @Test
  void search_oneSelfLink_elementsSubsetEntries_summaryCountHasNoEntries() {
    Bundle b =
        client
            .search()
            .byUrl("AuditEvent?_id=r1&_elements=action,agent")
            .returnBundle(Bundle.class)
            .execute();
    assertThat(b.getLink())
        .filteredOn(l -> l.getRelation() == Bundle.LinkRelationTypes.SELF)
        .hasSize(1);
    AuditEvent r1 = (AuditEvent) b.getEntryFirstRep().getResource();
    assertThat(r1.getAction()).isEqualTo(AuditEvent.AuditEventAction.E);
    assertThat(r1.getAgent()).hasSize(1);
    assertThat(r1.hasEntity()).isFalse();
    assertThat(r1.hasSource()).isFalse();
    assertThat(r1.getMeta().getTag()).extracting(Coding::getCode).contains("SUBSETTED");
    Bundle count =
        client
            .search()
            .byUrl("AuditEvent?patient.identifier=" + OID + "|BULK&_summary=count")
            .returnBundle(Bundle.class)
            .execute();
    assertThat(count.getTotal()).isEqualTo(120);
    assertThat(count.getEntry()).isEmpty();
    assertThatThrownBy(() -> ids("_id=r1&_elements=nonsense"))
        .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void search_foreignCursor_is400() {
    assertThatThrownBy(() -> ids("_cursor=bm90LWEtY3Vyc29y"))
        .isInstanceOf(InvalidRequestException.class)
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
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(server.baseUrl() + "/AuditEvent?date=ap2026"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.headers().map().keySet())
        .noneMatch(h -> h.equalsIgnoreCase("x-powered-by") || h.equalsIgnoreCase("server"));
    assertThat(r.body()).doesNotContain("at org.", "at ca.uhn", "Exception");
  }

  // --- unknown parameters and invalid values -------------------------------------------------

  @Test
  void search_unknownParameterLenient_isIgnoredReportedAndLeftOutOfTheSelfLink() throws Exception {
    Bundle b =
        client
            .search()
            .byUrl("AuditEvent?_id=r1&foo=bar&bar:exact=x")
            .returnBundle(Bundle.class)
            .execute();

    assertThat(matches(b)).containsExactly("r1");
    assertThat(b.getTotal()).isEqualTo(1);
    String self = b.getLink(Bundle.LINK_SELF).getUrl();
    assertThat(self).isEqualTo(server.baseUrl() + "/AuditEvent?_id=r1");
    assertThat(b.getLink())
        .filteredOn(l -> l.getRelation() == Bundle.LinkRelationTypes.SELF)
        .hasSize(1);
    Bundle.BundleEntryComponent outcome =
        b.getEntry().stream()
            .filter(e -> e.getSearch().getMode() == Bundle.SearchEntryMode.OUTCOME)
            .findFirst()
            .orElseThrow();
    OperationOutcome oo = (OperationOutcome) outcome.getResource();
    assertThat(oo.getIssueFirstRep().getSeverity())
        .isEqualTo(OperationOutcome.IssueSeverity.WARNING);
    assertThat(oo.getIssueFirstRep().getDiagnostics()).contains("bar:exact", "foo");
    // Prefer: handling=lenient says the same explicitly
    HttpResponse<String> r = get("/AuditEvent?_id=r1&foo=bar", "Prefer", "handling=lenient");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(matches(parse(r, Bundle.class))).containsExactly("r1");
  }

  @Test
  void search_unknownParameterStrict_is400NamingIt() throws Exception {
    HttpResponse<String> r = get("/AuditEvent?_id=r1&foo=bar", "Prefer", "handling=strict");

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(parse(r, OperationOutcome.class).getIssueFirstRep().getDiagnostics())
        .contains("foo");
    assertThat(
            get("/AuditEvent?_id=r1&date=ge2026-01-01", "Prefer", "handling=strict").statusCode())
        .isEqualTo(200);
  }

  @Test
  void search_invalidValuesOfKnownParameters_are400NamingTheParameter() throws Exception {
    for (String[] c :
        new String[][] {
          {"date=xx2026-01-05", "date"},
          {"date=2026-13-45", "date"},
          {"date=ge2026-01-01&date=notadate", "date"},
          {"_lastUpdated=yesterday", "_lastUpdated"},
          {"_total=some", "_total"},
          {"_count=-1", "_count"},
          {"date=ap2026-01-05", "date"}
        }) {
      HttpResponse<String> r = get("/AuditEvent?" + c[0]);
      assertThat(r.statusCode()).as(c[0]).isEqualTo(400);
      OperationOutcome oo = parse(r, OperationOutcome.class);
      assertThat(oo.getIssueFirstRep().getSeverity())
          .isEqualTo(OperationOutcome.IssueSeverity.ERROR);
      assertThat(oo.getIssueFirstRep().getDiagnostics()).as(c[0]).contains(c[1]);
      assertThat(r.body()).doesNotContain("Exception", "at org.", "at ca.uhn");
    }
  }

  // --- totals, counts, summaries ----------------------------------------------------------------

  @Test
  void search_total_accurateIsExact_andNoneStillGivesTheExactTotal() {
    String bulk = "AuditEvent?patient.identifier=" + OID + "|BULK&_count=10";
    assertThat(
            client
                .search()
                .byUrl(bulk + "&_total=accurate")
                .returnBundle(Bundle.class)
                .execute()
                .getTotal())
        .isEqualTo(120);
    assertThat(client.search().byUrl(bulk).returnBundle(Bundle.class).execute().getTotal())
        .isEqualTo(120);
    // none lets a server omit the total; this one always knows it exactly
    Bundle none = client.search().byUrl(bulk + "&_total=none").returnBundle(Bundle.class).execute();
    assertThat(none.getTotal()).isEqualTo(120);
    assertThat(none.getEntry()).hasSize(10);
  }

  @Test
  void search_summaryCountAndCountZero_giveTheTotalOnly() {
    for (String q : List.of("&_summary=count", "&_count=0")) {
      Bundle b =
          client
              .search()
              .byUrl("AuditEvent?patient.identifier=" + OID + "|BULK" + q)
              .returnBundle(Bundle.class)
              .execute();
      assertThat(b.getTotal()).as(q).isEqualTo(120);
      assertThat(b.getEntry()).as(q).isEmpty();
      assertThat(b.getLink(Bundle.LINK_NEXT)).as(q).isNull();
    }
  }

  @Test
  void search_count_defaultsTo50_andIsClampedToTheMaximum() {
    Bundle byDefault =
        client
            .search()
            .byUrl("AuditEvent?patient.identifier=" + OID + "|BULK")
            .returnBundle(Bundle.class)
            .execute();
    assertThat(byDefault.getEntry()).hasSize(50);
    SearchServer small =
        start(
            FhirServerFactory.create(
                store.search(),
                null,
                java.time.Clock.systemUTC(),
                new ChainVerificationProvider(store.search()),
                new ApiSettings(10, 30, false)));
    Bundle clamped =
        Fhir.context()
            .newRestfulGenericClient(small.baseUrl())
            .search()
            .byUrl("AuditEvent?patient.identifier=" + OID + "|BULK&_count=500")
            .returnBundle(Bundle.class)
            .execute();
    assertThat(clamped.getEntry()).hasSize(30);
    assertThat(clamped.getLink(Bundle.LINK_NEXT)).isNotNull();
  }

  @Test
  void search_summaryModes_followFhir() {
    AuditEvent full = first("AuditEvent?_id=r1");
    AuditEvent summary = first("AuditEvent?_id=r1&_summary=true");
    var definition = Fhir.context().getResourceDefinition("AuditEvent");
    List<String> nonSummaryPresent = new ArrayList<>();
    for (var child : definition.getChildren()) {
      if (!child.isSummary()
          && !child.getElementName().equals("text")
          && !full.getNamedProperty(child.getElementName()).getValues().isEmpty()) {
        nonSummaryPresent.add(child.getElementName());
      }
    }
    assertThat(nonSummaryPresent).as("r1 has elements outside the summary").isNotEmpty();
    for (String name : nonSummaryPresent) {
      assertThat(summary.getNamedProperty(name).getValues()).as(name).isEmpty();
    }
    assertThat(summary.getMeta().getTag()).extracting(Coding::getCode).contains("SUBSETTED");
    assertThat(summary.getRecorded()).isEqualTo(full.getRecorded());
    assertThat(first("AuditEvent?_id=r1&_summary=false").equalsDeep(full)).isTrue();
    AuditEvent data = first("AuditEvent?_id=r1&_summary=data");
    assertThat(data.hasText()).isFalse();
    assertThat(data.getAgent()).hasSize(1);
    AuditEvent text = first("AuditEvent?_id=r1&_summary=text");
    assertThat(text.hasAgent()).isTrue(); // agent is mandatory (1..*), so text mode keeps it
    assertThat(text.hasEntity()).isFalse();
  }

  // --- paging -------------------------------------------------------------------------------

  @Test
  void search_previousLinks_walkBackThroughTheSamePages_selfLinksRepeatThem() {
    List<List<String>> forward = new ArrayList<>();
    Bundle page =
        client
            .search()
            .byUrl("AuditEvent?patient.identifier=" + OID + "|BULK&_count=50")
            .returnBundle(Bundle.class)
            .execute();
    assertThat(page.getLink(Bundle.LINK_PREV)).isNull();
    forward.add(matches(page));
    while (page.getLink(Bundle.LINK_NEXT) != null) {
      page = client.loadPage().next(page).execute();
      forward.add(matches(page));
      // the self link is this page again, on any instance
      assertThat(
              matches(
                  client.fetchResourceFromUrl(
                      Bundle.class, page.getLink(Bundle.LINK_SELF).getUrl())))
          .isEqualTo(matches(page));
    }
    assertThat(forward).extracting(List::size).containsExactly(50, 50, 20);
    List<List<String>> backward = new ArrayList<>();
    backward.add(matches(page));
    while (page.getLink(Bundle.LINK_PREV) != null) {
      assertThat(page.getLink(Bundle.LINK_PREV).getUrl()).contains(CursorPages.CURSOR + "=");
      page = client.loadPage().previous(page).execute();
      backward.add(0, matches(page));
    }
    assertThat(backward).isEqualTo(forward);
  }

  // --- date window ----------------------------------------------------------------------------

  @Test
  void search_dateWindowRequired_refusesSearchesWithoutBothBounds() {
    SearchServer strict =
        start(
            FhirServerFactory.create(
                store.search(),
                null,
                java.time.Clock.systemUTC(),
                new ChainVerificationProvider(store.search()),
                ApiSettings.DEFAULTS.withRequireDateWindow(true)));
    IGenericClient c = Fhir.context().newRestfulGenericClient(strict.baseUrl());
    for (String q :
        List.of(
            "patient.identifier=" + OID + "|P1",
            "date=ge2026-01-01",
            "date=lt2026-02-01",
            "date=ne2026-01-05")) {
      assertThatThrownBy(
              () -> c.search().byUrl("AuditEvent?" + q).returnBundle(Bundle.class).execute())
          .as(q)
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("date window");
    }
    assertThat(
            matches(
                c.search()
                    .byUrl(
                        "AuditEvent?patient.identifier="
                            + OID
                            + "|P1&date=ge2026-01-05&date=lt2026-01-06")
                    .returnBundle(Bundle.class)
                    .execute()))
        .containsExactly("a2", "a1");
    assertThat(
            matches(
                c.search()
                    .byUrl("AuditEvent?date=2026-01-05")
                    .returnBundle(Bundle.class)
                    .execute()))
        .containsExactly("a2", "a1");
    // off by default
    assertThat(ids("patient.identifier=" + OID + "|P1")).containsExactlyInAnyOrder("a1", "a2");
  }

  // --- interactions that do not exist ------------------------------------------------------------

  @Test
  void historyAndVread_are405WithAnOperationOutcome() throws Exception {
    for (String path :
        List.of(
            "/AuditEvent/a1/_history",
            "/AuditEvent/a1/_history/1",
            "/AuditEvent/_history",
            "/_history")) {
      HttpResponse<String> r = get(path);
      assertThat(r.statusCode()).as(path).isEqualTo(405);
      assertThat(parse(r, OperationOutcome.class).getIssueFirstRep().getDiagnostics())
          .as(path)
          .contains("history");
    }
    assertThatThrownBy(
            () -> client.read().resource(AuditEvent.class).withIdAndVersion("a1", "1").execute())
        .isInstanceOf(ca.uhn.fhir.rest.server.exceptions.MethodNotAllowedException.class);
  }

  @Test
  void updatePatchDelete_are405() throws Exception {
    String body = Fhir.jsonParser().encodeResourceToString(first("AuditEvent?_id=a1"));
    for (String method : List.of("PUT", "PATCH", "DELETE")) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(server.baseUrl() + "/AuditEvent/a1"))
                  .header("Content-Type", "application/fhir+json")
                  .method(
                      method,
                      method.equals("DELETE")
                          ? HttpRequest.BodyPublishers.noBody()
                          : HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(method).isEqualTo(405);
      assertThat(parse(r, OperationOutcome.class).getIssueFirstRep().getDiagnostics())
          .contains("immutable");
    }
  }

  @Test
  void metadata_declaresExactlyWhatWorks() throws Exception {
    CapabilityStatement cs = client.capabilities().ofType(CapabilityStatement.class).execute();
    CapabilityStatement.CapabilityStatementRestResourceComponent auditEvent =
        cs.getRestFirstRep().getResource().stream()
            .filter(r -> r.getType().equals("AuditEvent"))
            .findFirst()
            .orElseThrow();
    // a server without a feed: read and search, nothing else
    assertThat(auditEvent.getInteraction())
        .extracting(i -> i.getCode().toCode())
        .containsExactlyInAnyOrder("read", "search-type");
    assertThat(auditEvent.getVersioning())
        .isNotEqualTo(CapabilityStatement.ResourceVersionPolicy.VERSIONED);
    assertThat(cs.getRestFirstRep().getInteraction())
        .extracting(i -> i.getCode().toCode())
        .doesNotContain("history-system");
    List<String> declared = auditEvent.getSearchParam().stream().map(p -> p.getName()).toList();
    assertThat(declared)
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(AuditEventResourceProvider.SEARCH_PARAMETERS);
    // every declared parameter is accepted under strict handling; an undeclared one is refused
    for (var param : auditEvent.getSearchParam()) {
      if (param.getName().equals(CursorPages.CURSOR)) {
        continue; // takes only cursors this server issued: the paging tests follow them
      }
      String value =
          switch (param.getType()) {
            case DATE -> "ge2026-01-01";
            case REFERENCE -> "Patient/123";
            case URI -> "urn:x";
            default -> "x";
          };
      HttpResponse<String> r =
          get("/AuditEvent?" + param.getName() + "=" + value, "Prefer", "handling=strict");
      assertThat(r.statusCode()).as(param.getName() + ": " + r.body()).isEqualTo(200);
    }
    for (String undeclared :
        List.of("_has:Patient:link:x=y", "_profile=urn:p", "name=x", "identifier=x")) {
      assertThat(get("/AuditEvent?" + undeclared, "Prefer", "handling=strict").statusCode())
          .as(undeclared)
          .isEqualTo(400);
    }
  }

  // --- formats -----------------------------------------------------------------------------------

  @Test
  void formats_jsonAndXmlByFormatOrAccept_prettyOnRequest_noServerHeaders() throws Exception {
    HttpResponse<String> xml = get("/AuditEvent?_id=r1&_format=xml");
    assertThat(xml.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("application/fhir+xml");
    assertThat(matches(Fhir.context().newXmlParser().parseResource(Bundle.class, xml.body())))
        .containsExactly("r1");
    HttpResponse<String> accepted = get("/AuditEvent?_id=r1", "Accept", "application/fhir+xml");
    assertThat(accepted.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("application/fhir+xml");
    assertThat(accepted.body()).startsWith("<Bundle");
    HttpResponse<String> json = get("/AuditEvent?_id=r1&_format=json");
    assertThat(json.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("application/fhir+json");
    assertThat(json.body()).doesNotContain("\n  \"");
    HttpResponse<String> defaulted = get("/AuditEvent?_id=r1");
    assertThat(defaulted.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("application/fhir+json");
    HttpResponse<String> pretty = get("/AuditEvent?_id=r1&_format=json&_pretty=true");
    assertThat(pretty.body()).contains("\n  \"resourceType\"");
    assertThat(parse(pretty, Bundle.class).getEntry()).hasSize(1);
    HttpResponse<String> prettyXml = get("/AuditEvent/r1?_format=xml&_pretty=true");
    assertThat(prettyXml.body()).contains("\n   <id value=\"r1\"");
    for (HttpResponse<String> r : List.of(xml, accepted, json, pretty, prettyXml)) {
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().map().keySet())
          .noneMatch(h -> h.equalsIgnoreCase("server") || h.equalsIgnoreCase("x-powered-by"));
    }
  }

  // --- the test vectors, converted ------------------------------------------------------------

  @Test
  void corpus_everyConvertedEventIsFoundByItsOwnValues() {
    assertThat(corpus).hasSizeGreaterThan(20);
    for (AuditEvent e : corpus) {
      String id = e.getIdPart();
      assertThat(corpusIds("_id=" + id)).containsExactly(id);
      Coding code = e.getCode().getCodingFirstRep();
      assertThat(corpusIds("code=" + code.getSystem() + "|" + code.getCode() + "&_id=" + id))
          .as(id)
          .containsExactly(id);
      assertThat(corpusIds("subtype=" + code.getCode() + "&_id=" + id)).as(id).containsExactly(id);
      assertThat(corpusIds("action=" + e.getAction().toCode() + "&_id=" + id))
          .as(id)
          .containsExactly(id);
      if (e.hasCategory()) {
        Coding category = e.getCategoryFirstRep().getCodingFirstRep();
        assertThat(
                corpusIds("type=" + category.getSystem() + "|" + category.getCode() + "&_id=" + id))
            .as(id)
            .containsExactly(id);
      }
      if (e.getOutcome().hasCode()) {
        assertThat(corpusIds("outcome=" + e.getOutcome().getCode().getCode() + "&_id=" + id))
            .as(id)
            .containsExactly(id);
      }
      Instant recorded = e.getRecorded().toInstant();
      assertThat(
              corpusIds(
                  "date=ge"
                      + recorded.minusSeconds(1)
                      + "&date=le"
                      + recorded.plusSeconds(1)
                      + "&_id="
                      + id))
          .as(id)
          .containsExactly(id);
      for (AuditEvent.AuditEventAgentComponent agent : e.getAgent()) {
        Identifier who = agent.getWho().getIdentifier();
        if (who.hasValue()) {
          assertThat(
                  corpusIds(
                      "agent.identifier="
                          + (who.hasSystem() ? who.getSystem() + "|" : "")
                          + escape(who.getValue())
                          + "&_id="
                          + id))
              .as(id + " agent " + who.getValue())
              .containsExactly(id);
        }
      }
      for (AuditEvent.AuditEventEntityComponent entity : e.getEntity()) {
        Identifier what = entity.getWhat().getIdentifier();
        if (what.hasValue()) {
          assertThat(
                  corpusIds(
                      "entity.identifier="
                          + (what.hasSystem() ? what.getSystem() + "|" : "")
                          + escape(what.getValue())
                          + "&_id="
                          + id))
              .as(id + " entity " + what.getValue())
              .containsExactly(id);
        }
      }
      Identifier observer = e.getSource().getObserver().getIdentifier();
      if (observer.hasValue()) {
        assertThat(corpusIds("source.identifier=" + escape(observer.getValue()) + "&_id=" + id))
            .as(id)
            .containsExactly(id);
      }
    }
    // and as a set: the corpus is found as a whole by its conversion date window
    long inCorpusWindow =
        corpus.stream()
            .filter(
                e ->
                    e.getCode()
                        .getCodingFirstRep()
                        .getCode()
                        .equals(corpus.get(0).getCode().getCodingFirstRep().getCode()))
            .count();
    Coding c0 = corpus.get(0).getCode().getCodingFirstRep();
    assertThat(
            corpusClient
                .search()
                .byUrl("AuditEvent?code=" + c0.getSystem() + "|" + c0.getCode() + "&_summary=count")
                .returnBundle(Bundle.class)
                .execute()
                .getTotal())
        .isEqualTo((int) inCorpusWindow);
  }

  /**
   * A ParticipantObjectID that is a relative literal reference (PDQm ITI-78 audits carry {@code
   * Patient/id}) is found by the {@code patient} reference, literal or bare id, and still by its
   * identifier.
   */
  @Test
  void corpus_relativeReferencePatient_isFoundByReferenceAndByIdentifier() {
    Set<String> expected = new HashSet<>();
    for (AuditEvent e : corpus) {
      if ("Patient/IHERED-2340".equals(e.getPatient().getReference())) {
        expected.add(e.getIdPart());
      }
    }
    assertThat(expected).isNotEmpty();
    assertThat(corpusIds("patient=Patient/IHERED-2340"))
        .containsExactlyInAnyOrderElementsOf(expected);
    assertThat(corpusIds("patient=IHERED-2340")).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(corpusIds("entity=Patient/IHERED-2340"))
        .containsExactlyInAnyOrderElementsOf(expected);
    assertThat(corpusIds("patient.identifier=Patient/IHERED-2340"))
        .containsExactlyInAnyOrderElementsOf(expected);
  }

  /**
   * A DICOM sender's NetworkAccessPointID (type 2) is stored as R5's IP literal "[127.0.0.1]": an
   * ITI-81 client's plain address finds the same events as the bracketed form, on this engine.
   */
  @Test
  void corpus_address_plainAndBracketedIpFindTheSameEvents() {
    Set<String> expected =
        corpus.stream()
            .filter(
                e ->
                    e.getAgent().stream()
                        .anyMatch(
                            a ->
                                a.hasNetworkStringType()
                                    && a.getNetworkStringType().getValue().equals("[127.0.0.1]")))
            .map(e -> e.getIdPart())
            .collect(java.util.stream.Collectors.toSet());
    assertThat(expected).isNotEmpty();
    for (String q : List.of("127.0.0.1", "%5B127.0.0.1%5D")) {
      assertThat(Set.copyOf(corpusIds("address:exact=" + q + "&_count=1000")))
          .as(q)
          .isEqualTo(expected);
    }
  }

  private static String escape(String value) {
    // FHIR search escaping (\, \| \$ \,) then URL encoding
    String fhir =
        value.replace("\\", "\\\\").replace("|", "\\|").replace(",", "\\,").replace("$", "\\$");
    return java.net.URLEncoder.encode(fhir, java.nio.charset.StandardCharsets.UTF_8);
  }

  private List<String> corpusIds(String query) {
    return matches(
        corpusClient.search().byUrl("AuditEvent?" + query).returnBundle(Bundle.class).execute());
  }

  private AuditEvent first(String url) {
    Bundle b = client.search().byUrl(url).returnBundle(Bundle.class).execute();
    return (AuditEvent)
        b.getEntry().stream()
            .filter(e -> e.getSearch().getMode() == Bundle.SearchEntryMode.MATCH)
            .findFirst()
            .orElseThrow()
            .getResource();
  }

  HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(server.baseUrl() + path));
    for (int i = 0; i < headers.length; i += 2) {
      r.header(headers[i], headers[i + 1]);
    }
    return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  static <T extends org.hl7.fhir.instance.model.api.IBaseResource> T parse(
      HttpResponse<String> r, Class<T> type) {
    String ct = r.headers().firstValue("Content-Type").orElse("");
    return (ct.contains("xml") ? Fhir.context().newXmlParser() : Fhir.context().newJsonParser())
        .parseResource(type, r.body());
  }

  private List<String> ids(String query) {
    Bundle b = client.search().byUrl("AuditEvent?" + query).returnBundle(Bundle.class).execute();
    assertThat(b.getType()).isEqualTo(Bundle.BundleType.SEARCHSET);
    return matches(b);
  }

  static List<String> matches(Bundle b) {
    return b.getEntry().stream()
        .filter(e -> e.getSearch().getMode() == Bundle.SearchEntryMode.MATCH)
        .map(e -> e.getResource().getIdElement().getIdPart())
        .toList();
  }

  static final String DCM = CodeSystems.DCM;
  static final String ALT_USER = Extensions.HL7_ALTERNATIVE_USER_ID;

  /**
   * An event with every searchable element set, varied by the arguments; {@code n} numbers the
   * plain references (Encounter/e{n}, ServiceRequest/sr{n}, Device/dev{n}), the tag and the
   * security label.
   */
  static AuditEvent rich(
      String id,
      String recorded,
      String lastUpdated,
      AuditEvent.AuditEventAction action,
      String dicomOutcome,
      String user,
      String userName,
      String address,
      String purpose,
      String policy,
      String site,
      String entity,
      String n) {
    AuditEvent e = new AuditEvent();
    e.setId(id);
    e.setRecorded(Date.from(Instant.parse(recorded)));
    e.getMeta().setLastUpdated(Date.from(Instant.parse(lastUpdated)));
    e.getMeta().addTag("urn:tags", "tag" + n, null);
    e.getMeta()
        .addSecurity(new Coding(CodeSystems.V3_CONFIDENTIALITY, n.equals("1") ? "N" : "R", null));
    e.setAction(action);
    e.addCategory(new CodeableConcept(new Coding(DCM, "110112", "Query")));
    e.setCode(
        new CodeableConcept(
            new Coding(CodeSystems.IHE_TRANSACTIONS, "ITI-" + n, "Transaction " + n)));
    e.getOutcome().setCode(new Coding(CodeSystems.AUDIT_EVENT_OUTCOME, dicomOutcome, null));
    e.addAuthorization(new CodeableConcept(new Coding(CodeSystems.V3_ACT_REASON, purpose, null)));
    e.addBasedOn(new Reference("ServiceRequest/sr" + n));
    e.setEncounter(new Reference("Encounter/e" + n));
    e.setPatient(new Reference("Patient/p" + n));
    AuditEvent.AuditEventAgentComponent agent = e.addAgent();
    agent.setWho(
        new Reference("Practitioner/" + user)
            .setDisplay(userName)
            .setIdentifier(new Identifier().setSystem("urn:users").setValue(user)));
    agent.addRole(
        new CodeableConcept(
            new Coding("http://terminology.hl7.org/CodeSystem/v3-RoleClass", "PROV" + n, null)));
    agent.addPolicy(policy);
    agent.setNetwork(new org.hl7.fhir.r5.model.StringType(address));
    agent.addExtension(ALT_USER, new Identifier().setSystem("urn:alt").setValue("alt-" + user));
    e.getSource()
        .setObserver(
            new Reference("Device/dev" + n)
                .setIdentifier(new Identifier().setSystem("urn:devices").setValue("src" + n)));
    e.getSource()
        .setSite(
            new Reference().setIdentifier(new Identifier().setSystem("urn:sites").setValue(site)));
    AuditEvent.AuditEventEntityComponent ent = e.addEntity();
    ent.setWhat(
        new Reference(entity)
            .setIdentifier(new Identifier().setSystem("urn:docs").setValue("doc" + n)));
    ent.setRole(new CodeableConcept(new Coding(CodeSystems.OBJECT_ROLE, n, null)));
    return e;
  }

  static AuditEvent event(
      String id, String recorded, String system, String value, String reference) {
    AuditEvent e = new AuditEvent();
    e.setId(id);
    e.setRecorded(Date.from(Instant.parse(recorded)));
    e.setAction(AuditEvent.AuditEventAction.R);
    e.setCode(new CodeableConcept(new Coding(CodeSystems.DCM, "110110", "Patient Record")));
    Reference patient =
        new Reference().setIdentifier(new Identifier().setSystem(system).setValue(value));
    if (reference != null) {
      patient.setReference(reference);
    }
    e.setPatient(patient);
    e.getSource().setObserver(new Reference().setIdentifier(new Identifier().setValue("node1")));
    e.addAgent().setWho(new Reference().setIdentifier(new Identifier().setValue("dr.who")));
    return e;
  }
}
