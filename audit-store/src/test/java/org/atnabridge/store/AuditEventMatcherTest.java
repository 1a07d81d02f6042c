package org.atnabridge.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.atnabridge.store.Criterion.ReferenceValue.identifier;
import static org.atnabridge.store.Criterion.ReferenceValue.literal;
import static org.atnabridge.store.TestEvents.*;

import java.time.Instant;
import java.util.List;
import org.hl7.fhir.r5.model.AuditEvent;
import org.junit.jupiter.api.Test;

/**
 * The public face of the matcher on hand-made events. That it agrees with both engines on every
 * case of the engine contract is {@link AuditStoreContract}'s job ({@link MatcherCheckedStore}).
 */
class AuditEventMatcherTest {

  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private final AuditEvent event = withAgent(withPatient(event("m1", T0), MRN, "p1"), "bob");

  @Test
  void matches_everyCriterionMustHold_valuesAreAlternatives() {
    AuditQuery patientAndCode =
        AuditQuery.builder()
            .reference(
                SearchField.PATIENT,
                identifier(new IdentifierToken(MRN, "p2")),
                identifier(new IdentifierToken(MRN, "p1")))
            .token(SearchField.CODE, new IdentifierToken(DCM, "110110"))
            .build();
    AuditQuery otherAgent =
        patientAndCode.toBuilder()
            .reference(SearchField.AGENT, identifier(new IdentifierToken(null, "alice")))
            .build();

    assertThat(AuditEventMatcher.matches(patientAndCode, event)).isTrue();
    assertThat(AuditEventMatcher.matches(otherAgent, event)).isFalse();
  }

  @Test
  void matches_periodIsHalfOpen_andPagingIsIgnored() {
    AuditQuery from =
        AuditQuery.builder().recordedFrom(T0).recordedTo(T0.plusMillis(1)).limit(0).build();
    AuditQuery after = AuditQuery.builder().recordedFrom(T0.plusMillis(1)).build();

    assertThat(AuditEventMatcher.matches(from, event)).isTrue();
    assertThat(AuditEventMatcher.matches(after, event)).isFalse();
  }

  @Test
  void matches_notMissingAndText_asTheEnginesDo() {
    assertThat(
            AuditEventMatcher.of(
                AuditQuery.builder()
                    .notToken(SearchField.ACTION, new IdentifierToken(null, "R"))
                    .build()))
        .rejects(event);
    assertThat(
            AuditEventMatcher.of(AuditQuery.builder().missing(SearchField.ENCOUNTER, true).build()))
        .accepts(event);
    assertThat(
            AuditEventMatcher.of(AuditQuery.builder().missing(SearchField.PATIENT, true).build()))
        .rejects(event);
    assertThat(AuditEventMatcher.of(AuditQuery.builder().text("patient RECORD").build()))
        .accepts(event);
    assertThat(AuditEventMatcher.of(AuditQuery.builder().text("patient chart").build()))
        .rejects(event);
    assertThat(
            AuditEventMatcher.of(
                AuditQuery.builder().reference(SearchField.PATIENT, literal("Patient/p1")).build()))
        .rejects(event); // an identifier is not a literal reference
  }

  @Test
  void matches_eventWithoutRecorded_isRefusedLikeAStoreWould() {
    AuditEvent incomplete = event("x", T0).setRecorded(null);

    assertThatThrownBy(() -> AuditEventMatcher.matches(AuditQuery.builder().build(), incomplete))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void test_onOneProjection_answersAsOnTheEvent() {
    EventValues projected = EventValues.of(event);
    List<AuditQuery> queries =
        List.of(
            AuditQuery.builder()
                .token(SearchField.CODE, new IdentifierToken(DCM, "110110"))
                .build(),
            AuditQuery.builder()
                .token(SearchField.CODE, new IdentifierToken(DCM, "110114"))
                .build(),
            AuditQuery.builder().missing(SearchField.PATIENT, true).build(),
            AuditQuery.builder().text("patient RECORD").build(),
            AuditQuery.builder().recordedFrom(T0.plusMillis(1)).build(),
            AuditQuery.builder()
                .reference(SearchField.AGENT, identifier(new IdentifierToken(null, "bob")))
                .build());

    assertThat(queries)
        .allSatisfy(
            q ->
                assertThat(AuditEventMatcher.of(q).test(projected))
                    .as(q.toString())
                    .isEqualTo(AuditEventMatcher.of(q).test(event)));
    assertThat(queries.stream().map(q -> AuditEventMatcher.of(q).test(projected)))
        .contains(true, false);
  }
}
