package org.atnabridge.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.atnabridge.store.TestEvents.*;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.AuditEvent.AuditEventAction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What every engine must do, run once per engine (Zipkin's ITStorage pattern): one store per
 * class, emptied before each test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class AuditStoreContract {

  protected static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  private AuditStore store;

  /** A fresh store over the engine under test; called once per class. */
  protected abstract AuditStore newStore();

  /** Removes every event from the store. */
  protected abstract void clear(AuditStore store);

  @BeforeAll
  void openStore() {
    store = newStore();
  }

  @BeforeEach
  void emptyStore() {
    clear(store);
  }

  @AfterAll
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  protected AuditStore store() {
    return store;
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
  void write_thenRead_returnsTheEvent() {
    write(withPatient(event("a1", T0), MRN, "p1"));

    AuditEvent read = store.search().read("a1").orElseThrow();

    assertThat(read.getIdElement().getIdPart()).isEqualTo("a1");
    assertThat(read.getRecorded().toInstant()).isEqualTo(T0);
    assertThat(read.getPatient().getIdentifier().getValue()).isEqualTo("p1");
    assertThat(read.getAgentFirstRep().getWho().getIdentifier().getValue()).isEqualTo("alice");
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

    assertThat(ids(search(AuditQuery.builder().recordedFrom(T0.plusSeconds(60)).recordedTo(T0.plusSeconds(120)))))
        .containsExactly("t1");
    assertThat(ids(search(AuditQuery.builder().recordedFrom(T0.plusSeconds(60))))).containsExactly("t2", "t1");
    assertThat(ids(search(AuditQuery.builder().recordedTo(T0.plusSeconds(60))))).containsExactly("t0");
    assertThat(ids(search(AuditQuery.builder().recordedFrom(T0).recordedTo(T0.plusMillis(1))))).containsExactly("t0");
    assertThat(ids(search(AuditQuery.builder().recordedFrom(T0.plusMillis(1)).recordedTo(T0.plusSeconds(60)))))
        .isEmpty();
  }

  @Test
  void search_patientIdentifierWithSystem_matchesOnlyThatSystem() {
    write(withPatient(event("mrn", T0), MRN, "p1"), withPatient(event("other", T0), OTHER, "p1"),
        withPatient(event("nosys", T0), null, "p1"), withPatient(event("p2", T0), MRN, "p2"));

    assertThat(ids(search(AuditQuery.builder().patientIdentifier(new IdentifierToken(MRN, "p1")))))
        .containsExactly("mrn");
  }

  @Test
  void search_patientIdentifierWithoutSystem_matchesAnySystem() {
    write(withPatient(event("mrn", T0), MRN, "p1"), withPatient(event("other", T0), OTHER, "p1"),
        withPatient(event("nosys", T0), null, "p1"), withPatient(event("p2", T0), MRN, "p2"));

    assertThat(ids(search(AuditQuery.builder().patientIdentifier(new IdentifierToken(null, "p1")))))
        .containsExactly("mrn", "nosys", "other");
    // |value: only identifiers that have no system
    assertThat(ids(search(AuditQuery.builder().patientIdentifier(new IdentifierToken("", "p1")))))
        .containsExactly("nosys");
  }

  @Test
  void search_severalIdentifiers_areAlternatives() {
    write(withPatient(event("p1", T0), MRN, "p1"), withPatient(event("p2", T0), MRN, "p2"),
        withPatient(event("p3", T0), MRN, "p3"));

    AuditPage page = search(AuditQuery.builder().patientIdentifier(new IdentifierToken(MRN, "p1"))
        .patientIdentifier(new IdentifierToken(null, "p3")));

    assertThat(ids(page)).containsExactly("p1", "p3");
    assertThat(page.total()).isEqualTo(2);
  }

  @Test
  void search_patientReference() {
    write(withPatientReference(event("r1", T0), "Patient/123"), withPatientReference(event("r2", T0), "Patient/456"));

    assertThat(ids(search(AuditQuery.builder().patientReference("Patient/123")))).containsExactly("r1");
    assertThat(ids(search(AuditQuery.builder().patientReference("Patient/999")))).isEmpty();
  }

  @Test
  void search_combinedCriteria_allMustMatch() {
    write(
        withAgent(withPatient(event("hit", T0.plusSeconds(10)), MRN, "p1"), "bob"),
        withAgent(withPatient(event("wrongTime", T0.minusSeconds(10)), MRN, "p1"), "bob"),
        withAgent(withPatient(event("wrongPatient", T0.plusSeconds(10)), MRN, "p2"), "bob"),
        withAgent(withPatient(event("wrongAgent", T0.plusSeconds(10)), MRN, "p1"), "alice"),
        withAction(withAgent(withPatient(event("wrongAction", T0.plusSeconds(10)), MRN, "p1"), "bob"),
            AuditEventAction.D));

    AuditPage page = search(AuditQuery.builder()
        .recordedFrom(T0).recordedTo(T0.plusSeconds(60))
        .patientIdentifier(new IdentifierToken(MRN, "p1"))
        .agentIdentifier(new IdentifierToken("urn:users", "bob"))
        .action("R")
        .outcome("0")
        .code(new IdentifierToken(DCM, "110110"))
        .category(new IdentifierToken(null, "110110")));

    assertThat(ids(page)).containsExactly("hit");
    assertThat(page.total()).isEqualTo(1);
    assertThat(ids(search(AuditQuery.builder().patientIdentifier(new IdentifierToken(MRN, "p1")).outcome("8"))))
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
  void search_lastPageExactlyFull_hasNoCursor() {
    store.writer().write(List.of(event("a", T0), event("b", T0.plusSeconds(1))));

    AuditPage page = search(AuditQuery.builder().limit(2));

    assertThat(ids(page)).containsExactly("b", "a");
    assertThat(page.nextCursor()).isNull();
  }

  @Test
  void search_cursorWithCriteria_keepsFiltering() {
    IntStream.range(0, 5).forEach(i -> write(withPatient(event("m" + i, T0.plusSeconds(i)), MRN, i % 2 == 0 ? "p1" : "p2")));

    AuditQuery.Builder q = AuditQuery.builder().patientIdentifier(new IdentifierToken(MRN, "p1")).limit(2);
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

    AuditPage page = search(AuditQuery.builder().patientIdentifier(new IdentifierToken(MRN, "nobody")));

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
}
