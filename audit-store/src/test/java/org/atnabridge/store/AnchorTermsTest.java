package org.atnabridge.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.atnabridge.store.query.SearchParameters;
import org.hl7.fhir.r5.model.AuditEvent;
import org.junit.jupiter.api.Test;

/**
 * {@link AuditEventMatcher#anchorTerms()} bounds what the matcher accepts: every event of the
 * corpus it accepts holds one of the terms, so indexing matchers by them loses no match.
 */
class AnchorTermsTest {

  @Test
  void everyAcceptedEvent_holdsAnAnchorTerm() {
    List<AuditEvent> corpus = Corpus.events();
    List<String> queries = new ArrayList<>();
    for (AuditEvent e : corpus) {
      EventValues v = EventValues.of(e);
      v.identifiers(SearchField.PATIENT).stream()
          .findFirst()
          .ifPresent(
              p -> {
                queries.add("patient:identifier=" + p.replace("%", "%25").replace("&", "%26"));
                queries.add("patient:identifier=" + p.substring(p.indexOf('|') + 1) + "&action=R");
              });
      v.get(SearchField.CODE).stream().findFirst().ifPresent(c -> queries.add("code=" + c));
      v.identifiers(SearchField.AGENT).stream()
          .findFirst()
          .ifPresent(a -> queries.add("agent:identifier=" + a + "&outcome=0,4"));
    }
    queries.addAll(
        List.of(
            "outcome=0",
            "category=110110,110112",
            "entity-type=2",
            "patient:missing=false",
            "_id=x1,x2"));
    int accepted = 0;
    for (String q : queries) {
      AuditEventMatcher m = AuditEventMatcher.of(SearchParameters.fromQueryString(q));
      List<IndexTerm> anchors = m.anchorTerms();
      assertThat(anchors).as("anchors of %s", q).isNotEmpty();
      for (AuditEvent e : corpus) {
        EventValues v = EventValues.of(e);
        if (m.test(v)) {
          accepted++;
          assertThat(anchors)
              .as("%s accepts %s", q, e.getIdPart())
              .anySatisfy(t -> assertThat(v.terms(t.field())).contains(t.value()));
        }
      }
    }
    assertThat(accepted).isGreaterThan(corpus.size());
  }

  @Test
  void thePatientIsPreferred_andCriteriaWithoutARequiredTermHaveNone() {
    AuditEventMatcher patientAndCode =
        AuditEventMatcher.of(
            SearchParameters.fromQueryString("code=110110&patient:identifier=urn:oid:1|p1"));
    assertThat(patientAndCode.anchorTerms())
        .extracting(IndexTerm::value)
        .containsExactly("urn:oid:1|p1");
    AuditEventMatcher either =
        AuditEventMatcher.of(
            AuditQuery.builder()
                .where(AccessRestrictions.patientCriterion("p1", "urn:oid:1"))
                .build());
    assertThat(either.anchorTerms())
        .extracting(IndexTerm::value)
        .containsExactlyInAnyOrder("Patient/p1", "urn:oid:1|p1");
    for (String none :
        List.of("outcome:not=0", "patient:missing=true", "agent-name=al", "date=ge2026-01-01")) {
      assertThat(AuditEventMatcher.of(SearchParameters.fromQueryString(none)).anchorTerms())
          .as(none)
          .isEmpty();
    }
    assertThat(AuditEventMatcher.of(AuditQuery.builder().build()).anchorTerms()).isEmpty();
  }
}
