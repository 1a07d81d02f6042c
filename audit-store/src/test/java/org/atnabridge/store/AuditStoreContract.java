package org.atnabridge.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.atnabridge.store.Criterion.ReferenceValue.identifier;
import static org.atnabridge.store.Criterion.ReferenceValue.literal;
import static org.atnabridge.store.TestEvents.*;

import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.atnabridge.schemas.RawRecordReference;
import org.atnabridge.schemas.vocab.CodeSystems;
import org.atnabridge.schemas.vocab.Extensions;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.Reference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What every engine must do, run once per engine (Zipkin's ITStorage pattern): one store per class,
 * emptied before each test. The first tests pin the basics on hand-made events; the {@code
 * corpus_*} tests cover every query feature on the shared test vectors converted by the real
 * converter ({@link Corpus}), with expectations computed from the events themselves where possible,
 * so both engines must agree with the FHIR semantics, not just with each other.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class AuditStoreContract {

  protected static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  private AuditStore engine;

  /**
   * The engine, every search of it compared with the in-memory matcher ({@link
   * MatcherCheckedStore}).
   */
  private MatcherCheckedStore store;

  /** A fresh store over the engine under test; called once per class. */
  protected abstract AuditStore newStore();

  /** Removes every event from the store. */
  protected abstract void clear(AuditStore store);

  @BeforeAll
  void openStore() {
    engine = newStore();
    store = new MatcherCheckedStore(engine);
  }

  @BeforeEach
  void emptyStore() {
    clear(engine);
    store.forget();
  }

  @AfterAll
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  protected AuditStore store() {
    return engine;
  }

  private void write(AuditEvent... events) {
    store.writer().write(List.of(events));
  }

  private AuditPage search(AuditQuery.Builder q) {
    return store.search().search(q.build());
  }

  private static List<String> ids(AuditPage page) {
    return page.events().stream().map(e -> e.getIdElement().getIdPart()).toList();
  }

  @Test
  void matcherCheck_failsWhenMatcherAndEngineDisagree() {
    engine.writer().write(List.of(event("unseen", T0))); // stored behind the matcher's back

    assertThatThrownBy(() -> search(AuditQuery.builder()))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("matcher disagrees")
        .hasMessageContaining("unseen");
  }

  /**
   * {@code received} indexes the receipt time: the receipt's {@code received-at}, else {@code
   * recorded}; a range on it selects by receipt, whatever the event was recorded.
   */
  @Test
  void receivedRange_selectsByReceiptTimeNotRecorded() {
    Instant day = Instant.parse("2026-05-01T00:00:00Z");
    AuditEvent old = event("sent-late", Instant.parse("2020-01-01T00:00:00Z"));
    receipt(old, day.plusSeconds(60));
    AuditEvent own = event("own-clock", day.plusSeconds(120)); // no receipt: received = recorded
    AuditEvent later = event("received-later", day.plusSeconds(180));
    receipt(later, Instant.parse("2027-01-01T00:00:00Z"));
    write(old, own, later);

    assertThat(
            ids(
                search(
                    AuditQuery.builder()
                        .date(SearchField.RECEIVED, day, day.plus(Duration.ofDays(1))))))
        .containsExactlyInAnyOrder("sent-late", "own-clock");
    assertThat(ids(search(AuditQuery.builder().date(SearchField.DATE, day, null))))
        .containsExactlyInAnyOrder("own-clock", "received-later");
    assertThat(
            ids(
                search(
                    AuditQuery.builder()
                        .date(SearchField.RECEIVED, Instant.parse("2026-12-31T00:00:00Z"), null))))
        .containsExactly("received-later");
    // every document written now has it: :missing finds none
    assertThat(search(AuditQuery.builder().missing(SearchField.RECEIVED, true)).total()).isZero();
    assertThat(search(AuditQuery.builder().missing(SearchField.RECEIVED, false)).total())
        .isEqualTo(3);
  }

  private static void receipt(AuditEvent e, Instant receivedAt) {
    org.hl7.fhir.r5.model.Extension r =
        e.addExtension().setUrl(org.atnabridge.schemas.vocab.Extensions.RAW_RECEIPT);
    r.addExtension(
        org.atnabridge.schemas.vocab.Extensions.RECEIPT_RECEIVED_AT,
        new org.hl7.fhir.r5.model.InstantType(java.util.Date.from(receivedAt)));
    r.addExtension(
        org.atnabridge.schemas.vocab.Extensions.RECEIPT_TRANSPORT,
        new org.hl7.fhir.r5.model.StringType("tls"));
  }

  @Test
  void write_thenRead_returnsTheEvent() {
    write(withPatient(event("a1", T0), MRN, "p1"));

    AuditEvent read = store.search().read("a1").orElseThrow();

    assertThat(read.getIdElement().getIdPart()).isEqualTo("a1");
    assertThat(read.getRecorded().toInstant()).isEqualTo(T0);
    assertThat(read.getPatient().getIdentifier().getValue()).isEqualTo("p1");
    assertThat(read.getAgentFirstRep().getWho().getIdentifier().getValue()).isEqualTo("alice");
  }

  /**
   * A DICOM sender's NetworkAccessPointID "10.1.1.7" (type 2) is stored as R5's IP literal
   * "[10.1.1.7]", an R4 one may be stored plain: {@code address} finds each with or without the
   * brackets, IPv4 and IPv6, whatever the match.
   */
  @Test
  void address_plainOrBracketed_findsIpAddressesInEitherStoredForm() {
    AuditEvent v4 = event("v4", T0);
    v4.getAgentFirstRep().setNetwork(new org.hl7.fhir.r5.model.StringType("[10.1.1.7]"));
    AuditEvent v6 = event("v6", T0);
    v6.getAgentFirstRep().setNetwork(new org.hl7.fhir.r5.model.StringType("[2001:db8::1]"));
    AuditEvent plain = event("plain", T0);
    plain.getAgentFirstRep().setNetwork(new org.hl7.fhir.r5.model.StringType("10.1.1.8"));
    AuditEvent host = event("host", T0);
    host.getAgentFirstRep().setNetwork(new org.hl7.fhir.r5.model.StringType("10.1.1.7.example"));
    write(v4, v6, plain, host);

    for (String q : List.of("10.1.1.7", "[10.1.1.7]")) {
      assertThat(
              idSet(
                  AuditQuery.builder().string(SearchField.ADDRESS, Criterion.StringMatch.EXACT, q)))
          .as("exact %s", q)
          .containsExactly("v4");
      assertThat(
              idSet(
                  AuditQuery.builder()
                      .string(SearchField.ADDRESS, Criterion.StringMatch.STARTS_WITH, q)))
          .as("starts-with %s", q)
          .containsExactlyInAnyOrder("v4", "host");
      assertThat(
              idSet(
                  AuditQuery.builder()
                      .string(SearchField.ADDRESS, Criterion.StringMatch.CONTAINS, q)))
          .as("contains %s", q)
          .containsExactlyInAnyOrder("v4", "host");
    }
    for (String q : List.of("2001:db8::1", "[2001:db8::1]", "2001:DB8::1")) {
      assertThat(
              idSet(
                  AuditQuery.builder()
                      .string(SearchField.ADDRESS, Criterion.StringMatch.STARTS_WITH, q)))
          .as("starts-with %s", q)
          .containsExactly("v6");
    }
    assertThat(
            idSet(
                AuditQuery.builder()
                    .string(SearchField.ADDRESS, Criterion.StringMatch.EXACT, "[2001:db8::1]")))
        .containsExactly("v6");
    for (String q : List.of("10.1.1.8", "[10.1.1.8]")) {
      assertThat(
              idSet(
                  AuditQuery.builder().string(SearchField.ADDRESS, Criterion.StringMatch.EXACT, q)))
          .as("exact %s", q)
          .containsExactly("plain");
    }
    assertThat(
            idSet(
                AuditQuery.builder()
                    .string(SearchField.ADDRESS, Criterion.StringMatch.STARTS_WITH, "10.1.1")))
        .containsExactlyInAnyOrder("v4", "plain", "host");
  }

  @Test
  void write_sameIdTwice_keepsOneDocumentWithTheLatestContent() {
    write(event("dup", T0));
    write(withAction(event("dup", T0), AuditEventAction.D));

    AuditPage page = search(AuditQuery.builder());

    assertThat(page.total()).isEqualTo(1);
    assertThat(ids(page)).containsExactly("dup");
    assertThat(store.search().read("dup").orElseThrow().getAction()).isEqualTo(AuditEventAction.D);
  }

  @Test
  void write_sameIdTwiceInOneBatch_keepsOne() {
    write(event("b", T0), withAction(event("b", T0), AuditEventAction.U));

    assertThat(search(AuditQuery.builder()).total()).isEqualTo(1);
    assertThat(store.search().read("b").orElseThrow().getAction()).isEqualTo(AuditEventAction.U);
  }

  @Test
  void write_withoutId_isRejected() {
    AuditEvent noId = event("x", T0);
    noId.setIdElement(null);

    assertThatThrownBy(() -> write(noId)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void search_recordedRange_fromInclusiveToExclusive() {
    write(event("t0", T0), event("t1", T0.plusSeconds(60)), event("t2", T0.plusSeconds(120)));

    assertThat(
            ids(
                search(
                    AuditQuery.builder()
                        .recordedFrom(T0.plusSeconds(60))
                        .recordedTo(T0.plusSeconds(120)))))
        .containsExactly("t1");
    assertThat(ids(search(AuditQuery.builder().recordedFrom(T0.plusSeconds(60)))))
        .containsExactly("t2", "t1");
    assertThat(ids(search(AuditQuery.builder().recordedTo(T0.plusSeconds(60)))))
        .containsExactly("t0");
    assertThat(ids(search(AuditQuery.builder().recordedFrom(T0).recordedTo(T0.plusMillis(1)))))
        .containsExactly("t0");
    assertThat(
            ids(
                search(
                    AuditQuery.builder()
                        .recordedFrom(T0.plusMillis(1))
                        .recordedTo(T0.plusSeconds(60)))))
        .isEmpty();
  }

  @Test
  void search_patientIdentifierWithSystem_matchesOnlyThatSystem() {
    write(
        withPatient(event("mrn", T0), MRN, "p1"),
        withPatient(event("other", T0), OTHER, "p1"),
        withPatient(event("nosys", T0), null, "p1"),
        withPatient(event("p2", T0), MRN, "p2"));

    assertThat(
            ids(
                search(
                    AuditQuery.builder()
                        .reference(
                            SearchField.PATIENT, identifier(new IdentifierToken(MRN, "p1"))))))
        .containsExactly("mrn");
  }

  @Test
  void search_patientIdentifierWithoutSystem_matchesAnySystem() {
    write(
        withPatient(event("mrn", T0), MRN, "p1"),
        withPatient(event("other", T0), OTHER, "p1"),
        withPatient(event("nosys", T0), null, "p1"),
        withPatient(event("p2", T0), MRN, "p2"));

    assertThat(
            ids(
                search(
                    AuditQuery.builder()
                        .reference(
                            SearchField.PATIENT, identifier(new IdentifierToken(null, "p1"))))))
        .containsExactly("mrn", "nosys", "other");
    // |value: only identifiers that have no system
    assertThat(
            ids(
                search(
                    AuditQuery.builder()
                        .reference(
                            SearchField.PATIENT, identifier(new IdentifierToken("", "p1"))))))
        .containsExactly("nosys");
  }

  @Test
  void search_severalIdentifiers_areAlternatives() {
    write(
        withPatient(event("p1", T0), MRN, "p1"),
        withPatient(event("p2", T0), MRN, "p2"),
        withPatient(event("p3", T0), MRN, "p3"));

    AuditPage page =
        search(
            AuditQuery.builder()
                .reference(
                    SearchField.PATIENT,
                    identifier(new IdentifierToken(MRN, "p1")),
                    identifier(new IdentifierToken(null, "p3"))));

    assertThat(ids(page)).containsExactly("p1", "p3");
    assertThat(page.total()).isEqualTo(2);
  }

  @Test
  void search_patientReference() {
    write(
        withPatientReference(event("r1", T0), "Patient/123"),
        withPatientReference(event("r2", T0), "Patient/456"));

    assertThat(
            ids(
                search(
                    AuditQuery.builder().reference(SearchField.PATIENT, literal("Patient/123")))))
        .containsExactly("r1");
    assertThat(
            ids(
                search(
                    AuditQuery.builder().reference(SearchField.PATIENT, literal("Patient/999")))))
        .isEmpty();
  }

  @Test
  void search_combinedCriteria_allMustMatch() {
    write(
        withAgent(withPatient(event("hit", T0.plusSeconds(10)), MRN, "p1"), "bob"),
        withAgent(withPatient(event("wrongTime", T0.minusSeconds(10)), MRN, "p1"), "bob"),
        withAgent(withPatient(event("wrongPatient", T0.plusSeconds(10)), MRN, "p2"), "bob"),
        withAgent(withPatient(event("wrongAgent", T0.plusSeconds(10)), MRN, "p1"), "alice"),
        withAction(
            withAgent(withPatient(event("wrongAction", T0.plusSeconds(10)), MRN, "p1"), "bob"),
            AuditEventAction.D));

    AuditPage page =
        search(
            AuditQuery.builder()
                .recordedFrom(T0)
                .recordedTo(T0.plusSeconds(60))
                .reference(SearchField.PATIENT, identifier(new IdentifierToken(MRN, "p1")))
                .reference(SearchField.AGENT, identifier(new IdentifierToken("urn:users", "bob")))
                .token(SearchField.ACTION, new IdentifierToken(null, "R"))
                .token(SearchField.OUTCOME, new IdentifierToken(null, "0"))
                .token(SearchField.CODE, new IdentifierToken(DCM, "110110"))
                .token(SearchField.CATEGORY, new IdentifierToken(null, "110110")));

    assertThat(ids(page)).containsExactly("hit");
    assertThat(page.total()).isEqualTo(1);
    assertThat(
            ids(
                search(
                    AuditQuery.builder()
                        .reference(SearchField.PATIENT, identifier(new IdentifierToken(MRN, "p1")))
                        .token(SearchField.OUTCOME, new IdentifierToken(null, "8")))))
        .isEmpty();
  }

  @Test
  void search_pagesWithCursor_stableOrderAndTotal() {
    // 7 events, three of them recorded in the same millisecond: the id breaks the tie
    List<AuditEvent> events = new ArrayList<>();
    IntStream.range(0, 4).forEach(i -> events.add(event("e" + i, T0.plusSeconds(i))));
    List.of("s-c", "s-a", "s-b").forEach(id -> events.add(event(id, T0.plusSeconds(2))));
    store.writer().write(events);
    List<String> expected = List.of("e3", "e2", "s-a", "s-b", "s-c", "e1", "e0");

    List<String> seen = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      AuditPage page = search(AuditQuery.builder().limit(3).cursor(cursor));
      assertThat(page.total()).isEqualTo(7);
      seen.addAll(ids(page));
      sizes.add(page.events().size());
      cursor = page.nextCursor();
      pages++;
    } while (cursor != null && pages < 10);

    assertThat(sizes).containsExactly(3, 3, 1);
    assertThat(seen).containsExactlyElementsOf(expected);
  }

  @Test
  void search_previousCursor_walksBackThroughTheSamePages_tiesIncluded() {
    List<AuditEvent> events = new ArrayList<>();
    IntStream.range(0, 4).forEach(i -> events.add(event("e" + i, T0.plusSeconds(i))));
    List.of("s-c", "s-a", "s-b").forEach(id -> events.add(event(id, T0.plusSeconds(2))));
    store.writer().write(events);
    for (SortOrder order : List.of(SortOrder.DATE_DESC, SortOrder.DATE_ASC)) {
      List<List<String>> forward = new ArrayList<>();
      AuditPage page = search(AuditQuery.builder().sort(order).limit(2));
      assertThat(page.previousCursor()).isNull();
      forward.add(ids(page));
      while (page.nextCursor() != null) {
        page = search(AuditQuery.builder().sort(order).limit(2).cursor(page.nextCursor()));
        forward.add(ids(page));
      }
      List<List<String>> backward = new ArrayList<>();
      backward.add(ids(page));
      while (page.previousCursor() != null) {
        page = search(AuditQuery.builder().sort(order).limit(2).cursor(page.previousCursor()));
        assertThat(page.total()).isEqualTo(7);
        backward.add(0, ids(page));
      }
      assertThat(forward).hasSize(4);
      assertThat(backward).as(order.name()).isEqualTo(forward);
      // and forward again from a page reached backward
      assertThat(ids(search(AuditQuery.builder().sort(order).limit(2).cursor(page.nextCursor()))))
          .isEqualTo(forward.get(1));
    }
  }

  @Test
  void search_lastPageExactlyFull_hasNoCursor() {
    store.writer().write(List.of(event("a", T0), event("b", T0.plusSeconds(1))));

    AuditPage page = search(AuditQuery.builder().limit(2));

    assertThat(ids(page)).containsExactly("b", "a");
    assertThat(page.nextCursor()).isNull();
  }

  @Test
  void search_cursorWithCriteria_keepsFiltering() {
    IntStream.range(0, 5)
        .forEach(
            i ->
                write(
                    withPatient(event("m" + i, T0.plusSeconds(i)), MRN, i % 2 == 0 ? "p1" : "p2")));

    AuditQuery.Builder q =
        AuditQuery.builder()
            .reference(SearchField.PATIENT, identifier(new IdentifierToken(MRN, "p1")))
            .limit(2);
    AuditPage first = search(q);
    AuditPage second = search(q.cursor(first.nextCursor()));

    assertThat(ids(first)).containsExactly("m4", "m2");
    assertThat(ids(second)).containsExactly("m0");
    assertThat(second.total()).isEqualTo(3);
    assertThat(second.nextCursor()).isNull();
  }

  @Test
  void search_noMatch_emptyPage() {
    write(withPatient(event("a", T0), MRN, "p1"));

    AuditPage page =
        search(
            AuditQuery.builder()
                .reference(SearchField.PATIENT, identifier(new IdentifierToken(MRN, "nobody"))));

    assertThat(page.events()).isEmpty();
    assertThat(page.total()).isZero();
    assertThat(page.nextCursor()).isNull();
  }

  @Test
  void search_emptyStore_emptyPage() {
    AuditPage page = search(AuditQuery.builder());

    assertThat(page.events()).isEmpty();
    assertThat(page.total()).isZero();
  }

  @Test
  void search_invalidCursor_isRejected() {
    assertThatThrownBy(() -> search(AuditQuery.builder().cursor("not-a-cursor!")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void read_unknownId_isEmpty() {
    write(event("known", T0));

    assertThat(store.search().read("unknown")).isEmpty();
  }

  @Test
  void check_openStore_isOk() {
    assertThat(store.check()).isEqualTo(StoreHealth.OK);
  }

  // ---------------------------------------------------------------- corpus: every query feature

  private List<AuditEvent> corpus;

  private List<AuditEvent> loadCorpus() {
    corpus = Corpus.events();
    store.writer().write(corpus);
    return corpus;
  }

  private Set<String> idSet(AuditQuery.Builder q) {
    Set<String> all = new HashSet<>();
    String cursor = null;
    do {
      AuditPage page = search(q.limit(1000).cursor(cursor));
      all.addAll(ids(page));
      cursor = page.nextCursor();
    } while (cursor != null);
    return all;
  }

  private Set<String> expected(java.util.function.Predicate<AuditEvent> p) {
    return corpus.stream()
        .filter(p)
        .map(e -> e.getIdElement().getIdPart())
        .collect(Collectors.toSet());
  }

  private static IdentifierToken tok(String system, String code) {
    return new IdentifierToken(system, code);
  }

  @Test
  void corpus_everyEventIndexed_readReturnsTheStoredResource() {
    loadCorpus();

    assertThat(search(AuditQuery.builder().limit(0)).total()).isEqualTo(corpus.size());
    AuditEvent first = corpus.get(0);
    AuditEvent read = store.search().read(first.getIdElement().getIdPart()).orElseThrow();
    assertThat(org.atnabridge.schemas.Fhir.toJson(read))
        .isEqualTo(org.atnabridge.schemas.Fhir.toJson(first));
  }

  @Test
  void corpus_tokenWithAndWithoutSystem_andR4Alias() {
    loadCorpus();
    Set<String> iti8 =
        expected(e -> e.getCode().getCoding().stream().anyMatch(c -> c.getCode().equals("ITI-8")));
    assertThat(iti8).hasSizeGreaterThanOrEqualTo(3);

    assertThat(
            idSet(
                AuditQuery.builder()
                    .token(SearchField.CODE, tok(CodeSystems.IHE_TRANSACTIONS, "ITI-8"))))
        .isEqualTo(iti8);
    assertThat(idSet(AuditQuery.builder().token(SearchField.CODE, tok(null, "ITI-8"))))
        .isEqualTo(iti8);
    assertThat(idSet(AuditQuery.builder().token(SearchField.CODE, tok("", "ITI-8"))))
        .isEmpty(); // |code: no system
    assertThat(idSet(AuditQuery.builder().token(SearchField.CODE, tok("urn:other", "ITI-8"))))
        .isEmpty();
    // R4 names resolve to the same fields
    assertThat(SearchField.byCode("subtype")).contains(SearchField.CODE);
    assertThat(SearchField.byCode("type")).contains(SearchField.CATEGORY);
    assertThat(
            idSet(
                AuditQuery.builder()
                    .token(SearchField.byCode("type").orElseThrow(), tok(DCM, "110110"))))
        .isEqualTo(
            expected(e -> e.getCategoryFirstRep().getCodingFirstRep().getCode().equals("110110")));
    assertThat(idSet(AuditQuery.builder().token(SearchField.ACTION, tok(null, "D"))))
        .isEqualTo(expected(e -> e.getAction() == AuditEventAction.D));
    assertThat(
            idSet(
                AuditQuery.builder()
                    .token(SearchField.ID, tok(null, corpus.get(3).getIdElement().getIdPart()))))
        .containsExactly(corpus.get(3).getIdElement().getIdPart());
  }

  @Test
  void corpus_outcome_dicomAndIssueSeverityFindTheSameEvents() {
    List<AuditEvent> events = new ArrayList<>(Corpus.events());
    AuditEvent fatal = event("fatal-r5", T0);
    fatal.getOutcome().setCode(new Coding(CodeSystems.ISSUE_SEVERITY, "fatal", "Fatal"));
    AuditEvent warning = event("warning-r4", T0);
    warning.getOutcome().setCode(new Coding(CodeSystems.AUDIT_EVENT_OUTCOME, "4", null));
    events.add(fatal);
    events.add(warning);
    corpus = events;
    store.writer().write(events);

    Set<String> failed8 = expected(e -> e.getOutcome().getCode().getCode().equals("8"));
    assertThat(failed8).hasSize(1);
    assertThat(
            idSet(AuditQuery.builder().token(SearchField.OUTCOME, new IdentifierToken(null, "8"))))
        .isEqualTo(failed8);
    assertThat(
            idSet(
                AuditQuery.builder()
                    .token(SearchField.OUTCOME, new IdentifierToken(null, "error"))))
        .isEqualTo(failed8);
    assertThat(
            idSet(
                AuditQuery.builder()
                    .token(SearchField.OUTCOME, tok(CodeSystems.ISSUE_SEVERITY, "error"))))
        .isEqualTo(failed8);
    assertThat(
            idSet(AuditQuery.builder().token(SearchField.OUTCOME, new IdentifierToken(null, "0"))))
        .isEqualTo(
            idSet(
                AuditQuery.builder()
                    .token(SearchField.OUTCOME, new IdentifierToken(null, "success"))))
        .hasSize(events.size() - 3);
    assertThat(
            idSet(AuditQuery.builder().token(SearchField.OUTCOME, new IdentifierToken(null, "12"))))
        .containsExactly("fatal-r5");
    assertThat(
            idSet(
                AuditQuery.builder()
                    .token(SearchField.OUTCOME, tok(CodeSystems.AUDIT_EVENT_OUTCOME, "12"))))
        .containsExactly("fatal-r5");
    assertThat(
            idSet(
                AuditQuery.builder()
                    .token(SearchField.OUTCOME, new IdentifierToken(null, "warning"))))
        .containsExactly("warning-r4");
  }

  @Test
  void corpus_referenceByIdentifier_patientAgentEntitySource() {
    loadCorpus();
    String pixSystem = "urn:oid:2.16.840.1.113883.3.37.4.1.1.2.411.1";
    Set<String> pix =
        expected(
            e ->
                e.getPatient().getIdentifier().getValue() != null
                    && e.getPatient().getIdentifier().getValue().equals("7627199"));
    assertThat(pix).hasSize(1);

    assertThat(
            idSet(
                AuditQuery.builder()
                    .reference(SearchField.PATIENT, identifier(tok(pixSystem, "7627199")))))
        .isEqualTo(pix);
    assertThat(
            idSet(
                AuditQuery.builder()
                    .reference(SearchField.PATIENT, identifier(tok(null, "7627199")))))
        .isEqualTo(pix);
    // entity.identifier (ITI-81 entity.identifier): the patient entity, also in query responses
    // naming it
    assertThat(
            idSet(
                AuditQuery.builder()
                    .reference(SearchField.ENTITY, identifier(tok(pixSystem, "7627199")))))
        .isEqualTo(
            expected(
                e ->
                    e.getEntity().stream()
                        .anyMatch(
                            x ->
                                pixSystem.equals(x.getWhat().getIdentifier().getSystem())
                                    && "7627199".equals(x.getWhat().getIdentifier().getValue()))))
        .containsAll(pix);
    // agent.identifier: a value with a '|' in it, as DICOM UserIDs often have
    assertThat(
            idSet(
                AuditQuery.builder()
                    .reference(SearchField.AGENT, identifier(tok(null, "PKL|SAP-ISH")))))
        .isEqualTo(pix);
    assertThat(
            idSet(
                AuditQuery.builder()
                    .reference(
                        SearchField.AGENT,
                        identifier(tok(null, "smitty@readingroom.hospital.org")))))
        .hasSize(1);
    Set<String> mpiSource =
        expected(e -> "MPI".equals(e.getSource().getObserver().getIdentifier().getValue()));
    assertThat(
            idSet(AuditQuery.builder().reference(SearchField.SOURCE, identifier(tok(null, "MPI")))))
        .isEqualTo(mpiSource)
        .isNotEmpty();
    assertThat(idSet(AuditQuery.builder().token(SearchField.SITE, tok(null, "MPI"))))
        .isEqualTo(
            expected(
                e ->
                    "MPI".equals(e.getSource().getSite().getIdentifier().getValue())
                        || "MPI".equals(e.getSource().getSite().getDisplay())))
        .isNotEmpty();
  }

  @Test
  void search_referenceByIdTypeIdOrAbsoluteUrl() {
    AuditEvent a = withPatientReference(event("ref-a", T0), "Patient/123");
    a.getAgentFirstRep().setWho(new Reference("http://fhir.example.org/r5/Practitioner/doc-1"));
    AuditEvent b = withPatientReference(event("ref-b", T0), "Patient/456");
    b.getAgentFirstRep().setWho(new Reference("Device/123"));
    write(a, b);

    assertThat(ids(search(AuditQuery.builder().reference(SearchField.PATIENT, literal("123")))))
        .containsExactly("ref-a");
    assertThat(
            ids(
                search(
                    AuditQuery.builder()
                        .reference(SearchField.AGENT, literal("Practitioner/doc-1")))))
        .containsExactly("ref-a");
    assertThat(ids(search(AuditQuery.builder().reference(SearchField.AGENT, literal("doc-1")))))
        .containsExactly("ref-a");
    assertThat(
            ids(
                search(
                    AuditQuery.builder()
                        .reference(
                            SearchField.AGENT,
                            literal("https://elsewhere.example/fhir/Practitioner/doc-1")))))
        .containsExactly("ref-a");
    // a bare id matches any type: Patient/123 and Device/123
    assertThat(ids(search(AuditQuery.builder().reference(SearchField.AGENT, literal("123")))))
        .containsExactly("ref-b");
    assertThat(
            ids(
                search(
                    AuditQuery.builder()
                        .reference(SearchField.PATIENT, literal("Patient/456"), literal("123")))))
        .containsExactly("ref-a", "ref-b");
  }

  @Test
  void corpus_dateRanges_orAcrossValues_andLastUpdated() {
    loadCorpus();
    Instant d19 = Instant.parse("2020-03-19T00:00:00Z");
    Instant d20 = Instant.parse("2020-03-20T00:00:00Z");
    Set<String> day =
        expected(
            e ->
                !e.getRecorded().toInstant().isBefore(d19)
                    && e.getRecorded().toInstant().isBefore(d20));
    Set<String> y2009 =
        expected(e -> e.getRecorded().toInstant().atZone(ZoneOffset.UTC).getYear() == 2009);
    assertThat(day).hasSizeGreaterThan(10);
    assertThat(y2009).hasSizeGreaterThan(3);

    assertThat(idSet(AuditQuery.builder().date(SearchField.DATE, d19, d20))).isEqualTo(day);
    assertThat(idSet(AuditQuery.builder().recordedFrom(d19).recordedTo(d20))).isEqualTo(day);
    Set<String> both = new HashSet<>(day);
    both.addAll(y2009);
    assertThat(
            idSet(
                AuditQuery.builder()
                    .where(
                        new Criterion.Date(
                            SearchField.DATE,
                            List.of(
                                new Criterion.DateRange(d19, d20),
                                new Criterion.DateRange(
                                    Instant.parse("2009-01-01T00:00:00Z"),
                                    Instant.parse("2010-01-01T00:00:00Z")))))))
        .isEqualTo(both);
    // two date criteria AND: ge2020-03-19 and lt2020-03-20
    assertThat(
            idSet(
                AuditQuery.builder()
                    .date(SearchField.DATE, d19, null)
                    .date(SearchField.DATE, null, d20)))
        .isEqualTo(day);
    // _lastUpdated falls back to recorded without meta.lastUpdated
    assertThat(idSet(AuditQuery.builder().date(SearchField.LAST_UPDATED, d19, d20))).isEqualTo(day);
  }

  @Test
  void search_lastUpdatedFromMeta_andSortByIt() {
    AuditEvent a = event("lu-a", T0);
    a.getMeta().setLastUpdated(Date.from(T0.plusSeconds(300)));
    AuditEvent b = event("lu-b", T0.plusSeconds(60));
    write(a, b);

    assertThat(
            ids(
                search(
                    AuditQuery.builder()
                        .date(SearchField.LAST_UPDATED, T0.plusSeconds(200), null))))
        .containsExactly("lu-a");
    assertThat(ids(search(AuditQuery.builder().sort(SortOrder.LAST_UPDATED_DESC))))
        .containsExactly("lu-a", "lu-b");
    assertThat(ids(search(AuditQuery.builder().sort(SortOrder.DATE_DESC))))
        .containsExactly("lu-b", "lu-a");
  }

  private static final String CONF = CodeSystems.V3_CONFIDENTIALITY;

  /** Reference data saying patient MRN|pv (Patient/PV) is very restricted. */
  private static org.atnabridge.store.relabel.PatientLabelTable patientPvIsV() {
    var table = new org.atnabridge.store.relabel.PatientLabelTable();
    org.hl7.fhir.r5.model.Patient p = new org.hl7.fhir.r5.model.Patient();
    p.setId("PV");
    p.addIdentifier().setSystem(MRN).setValue("pv");
    p.getMeta().addSecurity(new Coding(CONF, "V", null));
    table.put(MRN + "|pv", org.atnabridge.store.relabel.PatientLabelTable.entryOf(p));
    return table;
  }

  /** What the relabel job does for one patient and label: batches until none is left. */
  private int raiseAll(RaisedLabels table, int batch) {
    int total = 0;
    for (SearchField f : new SearchField[] {SearchField.PATIENT, SearchField.ENTITY}) {
      AuditQuery q =
          AuditQuery.builder()
              .limit(batch)
              .reference(f, identifier(tok(MRN, "pv")), literal("Patient/PV"))
              .notToken(SearchField.SECURITY, tok(CONF, "V"))
              .build();
      for (int n; (n = store.raiseLabels(q, table)) > 0; ) {
        assertThat(n).isLessThanOrEqualTo(batch);
        total += n;
      }
    }
    return total;
  }

  @Test
  void raiseLabels_labelsOnlyThatPatientsEvents_indexSide_jsonUntouched_idempotent() {
    AuditEvent byIdentifier = withPatient(event("pv-identifier", T0), MRN, "pv");
    AuditEvent byReference = withPatientReference(event("pv-reference", T0), "Patient/PV");
    AuditEvent asEntity = event("pv-entity", T0);
    asEntity
        .addEntity()
        .setWhat(
            new Reference()
                .setIdentifier(
                    new org.hl7.fhir.r5.model.Identifier().setSystem(MRN).setValue("pv")));
    write(
        byIdentifier,
        byReference,
        asEntity,
        withPatient(
            event("other-system", T0), OTHER, "pv"), // same value, another system: another patient
        withPatient(event("no-system", T0), null, "pv"), // a value alone never matches
        withPatient(event("other-patient", T0), MRN, "px"));
    String jsonBefore =
        org.atnabridge.schemas.Fhir.toJson(store.search().read("pv-identifier").orElseThrow());
    var table = patientPvIsV();

    assertThat(raiseAll(table, 2)).isEqualTo(3);

    List<String> cleared = List.of("other-patient", "other-system", "no-system");
    assertThat(idSet(AuditQuery.builder().notToken(SearchField.SECURITY, tok(CONF, "V"))))
        .containsExactlyInAnyOrderElementsOf(cleared);
    assertThat(idSet(AuditQuery.builder().token(SearchField.SECURITY, tok(CONF, "V"))))
        .containsExactlyInAnyOrder("pv-identifier", "pv-reference", "pv-entity");
    assertThat(
            search(AuditQuery.builder().limit(0).notToken(SearchField.SECURITY, tok(CONF, "V")))
                .total())
        .isEqualTo(3);
    // the stored JSON, which the hash chain covers, is what was written
    assertThat(
            org.atnabridge.schemas.Fhir.toJson(store.search().read("pv-identifier").orElseThrow()))
        .isEqualTo(jsonBefore);
    assertThat(store.search().read("pv-identifier").orElseThrow().getMeta().getSecurity())
        .isEmpty();
    assertThat(raiseAll(table, 2)).isZero();

    // the indexer re-indexing the same event (redelivery) with the table keeps the label
    store
        .writer()
        .indexJson(List.of(jsonBefore.getBytes(java.nio.charset.StandardCharsets.UTF_8)), table);
    store.writer().flush();
    assertThat(raiseAll(table, 2)).isZero();
    assertThat(idSet(AuditQuery.builder().notToken(SearchField.SECURITY, tok(CONF, "V"))))
        .containsExactlyInAnyOrderElementsOf(cleared);
  }

  @Test
  void search_uriPolicyAndProfile_tagSecurity() {
    AuditEvent a = event("uri-a", T0);
    a.getAgentFirstRep().addPolicy("urn:uuid:policy-1");
    a.getMeta()
        .addProfile("https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.Read");
    a.getMeta().addTag("http://example.org/tags", "vip", null);
    a.getMeta().addSecurity(new Coding(CodeSystems.V3_CONFIDENTIALITY, "R", null));
    write(a, event("uri-b", T0));

    assertThat(ids(search(AuditQuery.builder().uri(SearchField.POLICY, "urn:uuid:policy-1"))))
        .containsExactly("uri-a");
    assertThat(
            ids(
                search(
                    AuditQuery.builder()
                        .uri(
                            SearchField.PROFILE,
                            "https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.Read"))))
        .containsExactly("uri-a");
    assertThat(ids(search(AuditQuery.builder().uri(SearchField.POLICY, "urn:uuid:policy"))))
        .isEmpty(); // exact
    assertThat(
            ids(
                search(
                    AuditQuery.builder()
                        .token(SearchField.TAG, tok("http://example.org/tags", "vip")))))
        .containsExactly("uri-a");
    assertThat(ids(search(AuditQuery.builder().token(SearchField.SECURITY, tok(null, "R")))))
        .containsExactly("uri-a");
  }

  @Test
  void corpus_missing_splitsTheStore() {
    loadCorpus();
    Set<String> withPatient = expected(AuditEvent::hasPatient);
    assertThat(withPatient).isNotEmpty().hasSizeLessThan(corpus.size());

    assertThat(idSet(AuditQuery.builder().missing(SearchField.PATIENT, false)))
        .isEqualTo(withPatient);
    assertThat(idSet(AuditQuery.builder().missing(SearchField.PATIENT, true)))
        .isEqualTo(expected(e -> !e.hasPatient()));
    assertThat(idSet(AuditQuery.builder().missing(SearchField.SYSLOG_HOSTNAME, false)))
        .isEqualTo(
            idSet(AuditQuery.builder().token(SearchField.SYSLOG_HOSTNAME, tok(null, Corpus.HOST))));
  }

  @Test
  void corpus_andWithinOrAcross_andNot() {
    loadCorpus();
    Set<String> iti8 = idSet(AuditQuery.builder().token(SearchField.CODE, tok(null, "ITI-8")));
    Set<String> iti9 = idSet(AuditQuery.builder().token(SearchField.CODE, tok(null, "ITI-9")));
    Set<String> union = new HashSet<>(iti8);
    union.addAll(iti9);

    assertThat(
            idSet(
                AuditQuery.builder()
                    .token(SearchField.CODE, tok(null, "ITI-8"), tok(null, "ITI-9"))))
        .isEqualTo(union);
    assertThat(
            idSet(
                AuditQuery.builder()
                    .token(SearchField.CODE, tok(null, "ITI-8"))
                    .token(SearchField.CODE, tok(null, "ITI-9"))))
        .isEmpty();
    assertThat(
            idSet(
                AuditQuery.builder()
                    .token(SearchField.CODE, tok(null, "ITI-8"))
                    .token(SearchField.ACTION, tok(null, "C"))))
        .isEqualTo(
            expected(
                e ->
                    e.getAction() == AuditEventAction.C
                        && e.getCode().getCoding().stream()
                            .anyMatch(c -> c.getCode().equals("ITI-8"))));
    assertThat(idSet(AuditQuery.builder().notToken(SearchField.ACTION, tok(null, "E"))))
        .isEqualTo(expected(e -> e.getAction() != AuditEventAction.E));
  }

  @Test
  void corpus_freeText_andStringSearch() {
    loadCorpus();
    Set<String> smith =
        expected(
            e -> e.getAgent().stream().anyMatch(a -> "Dr. Smith".equals(a.getWho().getDisplay())));
    assertThat(smith).hasSize(1);

    assertThat(idSet(AuditQuery.builder().text("smith"))).isEqualTo(smith);
    assertThat(idSet(AuditQuery.builder().text("DR SMITH"))).isEqualTo(smith);
    assertThat(idSet(AuditQuery.builder().text("smith nobody-else")))
        .isEmpty(); // every word must occur
    assertThat(idSet(AuditQuery.builder().text("Patient Demographics Query")))
        .isEqualTo(
            expected(
                e ->
                    e.getCode().getCoding().stream()
                        .anyMatch(
                            c ->
                                c.hasDisplay()
                                    && c.getDisplay()
                                        .toLowerCase()
                                        .contains("patient demographics query"))));
    // string: starts-with, case-insensitive by default; :exact; :contains
    assertThat(
            idSet(
                AuditQuery.builder()
                    .string(SearchField.AGENT_NAME, Criterion.StringMatch.STARTS_WITH, "dr. s")))
        .isEqualTo(smith);
    assertThat(
            idSet(
                AuditQuery.builder()
                    .string(SearchField.AGENT_NAME, Criterion.StringMatch.EXACT, "dr. smith")))
        .isEmpty();
    assertThat(
            idSet(
                AuditQuery.builder()
                    .string(SearchField.AGENT_NAME, Criterion.StringMatch.EXACT, "Dr. Smith")))
        .isEqualTo(smith);
    assertThat(
            idSet(
                AuditQuery.builder()
                    .string(SearchField.AGENT_NAME, Criterion.StringMatch.CONTAINS, "SMIT")))
        .isEqualTo(smith);
    Set<String> loopback =
        expected(
            e ->
                e.getAgent().stream()
                    .anyMatch(
                        a ->
                            a.hasNetworkStringType()
                                && a.getNetworkStringType().getValue().equals("[127.0.0.1]")));
    assertThat(
            idSet(
                AuditQuery.builder()
                    .string(SearchField.ADDRESS, Criterion.StringMatch.STARTS_WITH, "[127.0")))
        .isEqualTo(loopback)
        .isNotEmpty();
  }

  /**
   * What an officer types first: a user id, a source id, a patient identifier, as written, whatever
   * the case, whole or in parts; and the alternative user id and the site.
   */
  @Test
  void corpus_freeText_findsIdentifiersOfAgentsPatientsEntitiesAndTheSource() {
    loadCorpus();
    Set<String> smitty =
        expected(
            e ->
                e.getAgent().stream()
                    .anyMatch(
                        a ->
                            "smitty@readingroom.hospital.org"
                                .equals(a.getWho().getIdentifier().getValue())));
    Set<String> misys =
        expected(
            e ->
                e.getAgent().stream()
                    .anyMatch(a -> "misys".equals(a.getWho().getIdentifier().getValue())));
    Set<String> readingRoom =
        expected(e -> "ReadingRoom".equals(e.getSource().getObserver().getIdentifier().getValue()));
    // as patient, entity, and in ipf-pdqmread as the user id of a FHIR URL
    // (".../Patient/IHERED-2340")
    Set<String> ihered2340 =
        expected(e -> org.atnabridge.schemas.Fhir.toJson(e).contains("IHERED-2340"));
    assertThat(smitty).hasSize(1);
    assertThat(misys).hasSize(1);
    assertThat(readingRoom).isNotEmpty();
    assertThat(ihered2340).hasSizeGreaterThanOrEqualTo(4);

    assertThat(idSet(AuditQuery.builder().text("smitty"))).isEqualTo(smitty);
    assertThat(idSet(AuditQuery.builder().text("smitty@readingroom.hospital.org")))
        .isEqualTo(smitty);
    assertThat(idSet(AuditQuery.builder().text("MISYS"))).isEqualTo(misys);
    assertThat(idSet(AuditQuery.builder().text("readingroom")))
        .containsAll(readingRoom)
        .containsAll(smitty);
    assertThat(idSet(AuditQuery.builder().text("IHERED-2340"))).isEqualTo(ihered2340);
    assertThat(idSet(AuditQuery.builder().text("ihered-2340"))).isEqualTo(ihered2340);
    assertThat(idSet(AuditQuery.builder().text("2340"))).containsAll(ihered2340);
    // the alternative user id and the enterprise site
    assertThat(idSet(AuditQuery.builder().text("smith@nema"))).isEqualTo(smitty);
    assertThat(idSet(AuditQuery.builder().text("ENTERPRISE_SYS_NAME")))
        .isEqualTo(
            expected(
                e ->
                    "ENTERPRISE_SYS_NAME"
                        .equals(e.getSource().getSite().getIdentifier().getValue())))
        .containsAll(misys);
    // a literal reference's id part, never its type: "Practitioner" is no name
    AuditEvent byReference = event("by-reference", T0);
    byReference.getAgentFirstRep().setWho(new Reference("Practitioner/dr-quill"));
    write(byReference);
    assertThat(idSet(AuditQuery.builder().text("dr-quill"))).containsExactly("by-reference");
    assertThat(idSet(AuditQuery.builder().text("practitioner"))).doesNotContain("by-reference");
  }

  /**
   * {@code meta.lastUpdated} is when the repository stored the event, {@code recorded} when the
   * sender says it happened: events from years ago received today are found by {@code
   * _lastUpdated}, not by {@code date}, and sort by it.
   */
  @Test
  void search_lastUpdated_findsWhatArrivedToday_whateverItsRecordedTime() {
    Instant today = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.DAYS);
    List<AuditEvent> old = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      AuditEvent e = event("arrived-" + i, Instant.parse((2001 + 4 * i) + "-06-01T12:00:00Z"));
      e.getMeta().setLastUpdated(Date.from(today.plusSeconds(60L * (5 - i))));
      old.add(e);
    }
    AuditEvent yesterday = event("arrived-yesterday", Instant.parse("2019-01-01T00:00:00Z"));
    yesterday.getMeta().setLastUpdated(Date.from(today.minusSeconds(1)));
    old.add(yesterday);
    store.writer().write(old);

    assertThat(idSet(AuditQuery.builder().date(SearchField.LAST_UPDATED, today, null)))
        .containsExactlyInAnyOrder("arrived-0", "arrived-1", "arrived-2", "arrived-3", "arrived-4");
    assertThat(idSet(AuditQuery.builder().date(SearchField.DATE, today, null))).isEmpty();
    assertThat(
            ids(
                search(
                    AuditQuery.builder()
                        .date(SearchField.LAST_UPDATED, today, null)
                        .sort(SortOrder.LAST_UPDATED_ASC))))
        .containsExactly("arrived-4", "arrived-3", "arrived-2", "arrived-1", "arrived-0");
    assertThat(ids(search(AuditQuery.builder().limit(2).sort(SortOrder.LAST_UPDATED_DESC))))
        .containsExactly("arrived-0", "arrived-1");
  }

  @Test
  void corpus_r4AndPlatformFields() {
    loadCorpus();
    Set<String> pixFeed =
        idSet(
            AuditQuery.builder().reference(SearchField.PATIENT, identifier(tok(null, "7627199"))));

    assertThat(idSet(AuditQuery.builder().token(SearchField.ALTID, tok(null, "18996"))))
        .isEqualTo(
            expected(
                e ->
                    e.getAgent().stream()
                        .anyMatch(
                            a ->
                                a.getExtensionsByUrl(Extensions.HL7_ALTERNATIVE_USER_ID).stream()
                                    .anyMatch(
                                        x ->
                                            x.getValue()
                                                    instanceof org.hl7.fhir.r5.model.Identifier i
                                                && "18996".equals(i.getValue())))))
        .containsAll(pixFeed);
    assertThat(
            idSet(
                AuditQuery.builder()
                    .token(SearchField.ENTITY_TYPE, tok(CodeSystems.RESOURCE_TYPES, "Patient"))))
        .isEqualTo(
            expected(
                e ->
                    e.getEntity().stream().anyMatch(x -> "Patient".equals(x.getWhat().getType()))));
    assertThat(
            idSet(
                AuditQuery.builder()
                    .token(SearchField.ENTITY_TYPE, tok(CodeSystems.AUDIT_ENTITY_TYPE, "1"))))
        .containsAll(pixFeed);
    assertThat(
            idSet(
                AuditQuery.builder()
                    .token(SearchField.ENTITY_ROLE, tok(CodeSystems.OBJECT_ROLE, "24"))))
        .isNotEmpty();
    assertThat(idSet(AuditQuery.builder().token(SearchField.AGENT_TYPE, tok(DCM, "110153"))))
        .containsAll(pixFeed);
    // syslog header, receipt, raw record, and the generic extension hook
    Set<String> framed =
        idSet(AuditQuery.builder().token(SearchField.SYSLOG_HOSTNAME, tok(null, Corpus.HOST)));
    assertThat(framed).isNotEmpty().hasSizeLessThan(corpus.size());
    assertThat(
            idSet(AuditQuery.builder().token(SearchField.SYSLOG_MSGID, tok(null, "IHE+RFC-3881"))))
        .isEqualTo(framed);
    assertThat(idSet(AuditQuery.builder().token(SearchField.SYSLOG_APP_NAME, tok(null, "ehr"))))
        .isEqualTo(framed);
    assertThat(idSet(AuditQuery.builder().token(SearchField.SEVERITY, tok(null, "notice"))))
        .isEqualTo(framed);
    assertThat(idSet(AuditQuery.builder().token(SearchField.RECEIPT_TRANSPORT, tok(null, "tcp"))))
        .hasSize(corpus.size());
    AuditEvent some = corpus.get(5);
    RawRecordReference raw = RawRecordReference.from(some);
    assertThat(
            idSet(
                AuditQuery.builder()
                    .token(
                        SearchField.RAW_RECORD,
                        tok(null, raw.topic() + ":" + raw.partition() + ":" + raw.offset()))))
        .isEqualTo(expected(e -> raw.equals(RawRecordReference.from(e))));
    String correlation = some.getExtensionString(Extensions.CORRELATION_ID);
    assertThat(
            idSet(AuditQuery.builder().token(SearchField.CORRELATION_ID, tok(null, correlation))))
        .isEqualTo(
            idSet(
                AuditQuery.builder()
                    .token(SearchField.EXTENSION, tok(Extensions.CORRELATION_ID, correlation))))
        .contains(some.getIdElement().getIdPart());
  }

  @Test
  void corpus_sortAscDescWithIdTiebreak_andCursorPagingOverEverything() {
    loadCorpus();
    Comparator<AuditEvent> byId = Comparator.comparing(e -> e.getIdElement().getIdPart());
    List<String> asc =
        corpus.stream()
            .sorted(
                Comparator.<AuditEvent, Long>comparing(e -> e.getRecorded().getTime())
                    .thenComparing(byId))
            .map(e -> e.getIdElement().getIdPart())
            .toList();
    List<String> desc =
        corpus.stream()
            .sorted(
                Comparator.<AuditEvent, Long>comparing(e -> -e.getRecorded().getTime())
                    .thenComparing(byId))
            .map(e -> e.getIdElement().getIdPart())
            .toList();

    for (SortOrder order : List.of(SortOrder.DATE_ASC, SortOrder.DATE_DESC)) {
      List<String> seen = new ArrayList<>();
      String cursor = null;
      int pages = 0;
      do {
        AuditPage page = search(AuditQuery.builder().sort(order).limit(7).cursor(cursor));
        assertThat(page.total()).isEqualTo(corpus.size());
        seen.addAll(ids(page));
        cursor = page.nextCursor();
        pages++;
      } while (cursor != null && pages < 100);
      assertThat(seen).containsExactlyElementsOf(order == SortOrder.DATE_ASC ? asc : desc);
    }
    // a cursor is bound to its order
    String ascCursor = search(AuditQuery.builder().sort(SortOrder.DATE_ASC).limit(2)).nextCursor();
    assertThatThrownBy(
            () -> search(AuditQuery.builder().sort(SortOrder.DATE_DESC).cursor(ascCursor)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void corpus_aggregations_termsTopNAndDateHistogram() {
    loadCorpus();
    Map<String, Long> actions =
        corpus.stream()
            .collect(
                Collectors.groupingBy(
                    e -> "http://hl7.org/fhir/audit-event-action|" + e.getAction().toCode(),
                    Collectors.counting()));
    List<Aggregation.Bucket> top2 =
        actions.entrySet().stream()
            .sorted(
                Map.Entry.<String, Long>comparingByValue()
                    .reversed()
                    .thenComparing(Map.Entry.comparingByKey()))
            .limit(2)
            .map(e -> new Aggregation.Bucket(e.getKey(), e.getValue()))
            .toList();
    Map<String, Long> months =
        new TreeMap<>(
            corpus.stream()
                .collect(
                    Collectors.groupingBy(
                        e ->
                            YearMonth.from(e.getRecorded().toInstant().atZone(ZoneOffset.UTC))
                                .atDay(1)
                                .atStartOfDay(ZoneOffset.UTC)
                                .toInstant()
                                .toString(),
                        Collectors.counting())));

    AuditPage page =
        search(
            AuditQuery.builder()
                .limit(0)
                .aggregate(new Aggregation.Terms("actions", SearchField.ACTION, 2))
                .aggregate(
                    new Aggregation.DateHistogram(
                        "months", SearchField.DATE, Aggregation.Interval.MONTH))
                .aggregate(new Aggregation.Terms("outcomes", SearchField.OUTCOME, 10)));

    assertThat(page.events()).isEmpty();
    assertThat(page.total()).isEqualTo(corpus.size());
    assertThat(page.buckets("actions")).containsExactlyElementsOf(top2);
    assertThat(page.buckets("months"))
        .containsExactlyElementsOf(
            months.entrySet().stream()
                .map(e -> new Aggregation.Bucket(e.getKey(), e.getValue()))
                .toList());
    assertThat(page.buckets("outcomes"))
        .extracting(Aggregation.Bucket::key)
        .contains(
            "http://terminology.hl7.org/CodeSystem/audit-event-outcome|0",
            "http://hl7.org/fhir/issue-severity|success");

    // with a filter, aggregations cover the matching events only; day histogram on one day
    AuditPage filtered =
        search(
            AuditQuery.builder()
                .limit(1)
                .token(SearchField.CODE, tok(null, "ITI-8"))
                .aggregate(
                    new Aggregation.DateHistogram(
                        "days", SearchField.DATE, Aggregation.Interval.DAY))
                .aggregate(new Aggregation.Terms("agents", SearchField.AGENT, 3)));
    assertThat(filtered.buckets("days").stream().mapToLong(Aggregation.Bucket::count).sum())
        .isEqualTo(filtered.total());
    assertThat(filtered.buckets("agents")).hasSizeLessThanOrEqualTo(3).isNotEmpty();
  }

  @Test
  void aggregation_weekBucketsStartOnMonday() {
    // 2026-03-01 is a Sunday, 2026-03-02 a Monday
    write(
        event("sun", Instant.parse("2026-03-01T23:00:00Z")),
        event("mon", Instant.parse("2026-03-02T01:00:00Z")));

    AuditPage page =
        search(
            AuditQuery.builder()
                .limit(0)
                .aggregate(
                    new Aggregation.DateHistogram("w", SearchField.DATE, Aggregation.Interval.WEEK))
                .aggregate(
                    new Aggregation.DateHistogram(
                        "h", SearchField.DATE, Aggregation.Interval.HOUR)));

    assertThat(page.buckets("w"))
        .containsExactly(
            new Aggregation.Bucket("2026-02-23T00:00:00Z", 1),
            new Aggregation.Bucket("2026-03-02T00:00:00Z", 1));
    assertThat(page.buckets("h")).hasSize(2);
  }

  @Test
  void corpus_retention_deletesOldExceptLegalHold() {
    List<AuditEvent> events = new ArrayList<>(Corpus.events());
    AuditEvent held =
        events.stream()
            .filter(
                e -> e.getRecorded().toInstant().isBefore(Instant.parse("2010-01-01T00:00:00Z")))
            .findFirst()
            .orElseThrow();
    held.getMeta().addTag(CodeSystems.RETENTION, CodeSystems.LEGAL_HOLD, "Legal hold");
    corpus = events;
    store.writer().write(events);
    Instant now = Instant.parse("2025-01-01T00:00:00Z");
    RetentionPolicy tenYears =
        RetentionPolicy.maxAge(Duration.between(Instant.parse("2015-01-01T00:00:00Z"), now));
    Set<String> kept =
        expected(e -> !e.getRecorded().toInstant().isBefore(Instant.parse("2015-01-01T00:00:00Z")));
    kept.add(held.getIdElement().getIdPart());
    assertThat(kept).hasSizeLessThan(events.size() - 3);

    assertThat(store.applyRetention(RetentionPolicy.OFF, now)).isZero();
    long deleted = store.applyRetention(tenYears, now);

    assertThat(deleted).isEqualTo(events.size() - kept.size());
    assertThat(idSet(AuditQuery.builder())).isEqualTo(kept);
    assertThat(store.search().read(held.getIdElement().getIdPart())).isPresent();
    assertThat(store.applyRetention(tenYears, now)).isZero(); // idempotent
  }

  @Test
  void search_limitZero_countsOnly() {
    write(event("c1", T0), event("c2", T0));

    AuditPage page = search(AuditQuery.builder().limit(0));

    assertThat(page.total()).isEqualTo(2);
    assertThat(page.events()).isEmpty();
    assertThat(page.nextCursor()).isNull();
  }
}
