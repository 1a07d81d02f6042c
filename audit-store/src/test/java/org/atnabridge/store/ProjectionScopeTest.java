package org.atnabridge.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.atnabridge.store.query.SearchParameters;
import org.hl7.fhir.r5.model.AuditEvent;
import org.junit.jupiter.api.Test;

/**
 * A projection onto the fields of a {@link ProjectionScope} answers every reader of the scope as
 * the full projection does, and refuses a reader outside it instead of answering from a field it
 * left out.
 */
class ProjectionScopeTest {

  private static final List<AuditEvent> CORPUS = Corpus.events();

  @Test
  void everyMatcher_decidesAsOnTheFullProjection_whenProjectedOntoItsOwnScope() {
    List<AuditQuery> queries = queries();
    int accepted = 0;
    int rejected = 0;
    for (AuditQuery q : queries) {
      AuditEventMatcher m = AuditEventMatcher.of(q);
      ProjectionScope scope = ProjectionScope.builder().matcher(m).build();
      for (AuditEvent e : CORPUS) {
        boolean full = m.test(EventValues.of(e));
        assertThat(m.test(EventValues.of(e, scope)))
            .as("%s on %s", q.criteria(), e.getIdPart())
            .isEqualTo(full);
        if (full) {
          accepted++;
        } else {
          rejected++;
        }
      }
    }
    // both answers occur often: the check is not vacuous
    assertThat(accepted).isGreaterThan(queries.size());
    assertThat(rejected).isGreaterThan(queries.size());
  }

  @Test
  void everyParameter_hasItsValues_whenProjectedOntoItsOwnScope() {
    int nonEmpty = 0;
    for (SearchField f : SearchField.values()) {
      ProjectionScope scope = ProjectionScope.builder().values(f).build();
      for (AuditEvent e : CORPUS) {
        List<String> full = EventValues.of(e).get(f);
        assertThat(EventValues.of(e, scope).get(f))
            .as("%s of %s", f, e.getIdPart())
            .isEqualTo(full);
        if (!full.isEmpty()) {
          nonEmpty++;
        }
        if (f.type() == SearchField.Type.REFERENCE) {
          ProjectionScope ids = ProjectionScope.builder().identifiers(f).build();
          assertThat(EventValues.of(e, ids).identifiers(f))
              .isEqualTo(EventValues.of(e).identifiers(f));
        }
      }
    }
    assertThat(nonEmpty).isGreaterThan(CORPUS.size() * 10);
  }

  @Test
  void readersOutsideTheScope_areRefused() {
    AuditEvent e = CORPUS.get(0);
    AuditEventMatcher purpose =
        AuditEventMatcher.of(SearchParameters.fromQueryString("purpose=BTG"));
    AuditEventMatcher missingSource =
        AuditEventMatcher.of(SearchParameters.fromQueryString("source:missing=true"));
    EventValues scoped = EventValues.of(e, ProjectionScope.builder().matcher(purpose).build());

    assertThat(purpose.test(scoped)).isFalse();
    assertThatThrownBy(() -> missingSource.test(scoped)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> scoped.get(SearchField.AGENT))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> scoped.identifiers(SearchField.PATIENT))
        .isInstanceOf(IllegalStateException.class);
    assertThat(scoped.get(SearchField.ID)).containsExactly(e.getIdPart());
    assertThat(scoped.get(SearchField.DATE)).isEqualTo(EventValues.of(e).get(SearchField.DATE));
    // the full projection serves every reader
    assertThat(missingSource.test(EventValues.of(e))).isFalse();
  }

  @Test
  void thePresenceOfOneParameter_isHeldAlone() {
    AuditEventMatcher missingSource =
        AuditEventMatcher.of(SearchParameters.fromQueryString("source:missing=false"));
    AuditEventMatcher missingPatient =
        AuditEventMatcher.of(SearchParameters.fromQueryString("patient:missing=true"));
    ProjectionScope scope = ProjectionScope.builder().matcher(missingSource).build();
    for (AuditEvent e : CORPUS) {
      EventValues scoped = EventValues.of(e, scope);
      EventValues full = EventValues.of(e);
      assertThat(missingSource.test(scoped)).isEqualTo(missingSource.test(full));
      assertThat(scoped.termsReadable("present")).isFalse();
      assertThat(scoped.holds("present", "source"))
          .isEqualTo(full.holds("present", "source"))
          .isEqualTo(full.terms("present").contains("source"));
      assertThatThrownBy(() -> missingPatient.test(scoped))
          .isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> scoped.holds("present", "patient"))
          .isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> scoped.terms("present")).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void theScopeOfSeveralReaders_servesEachOfThem() {
    List<AuditEventMatcher> matchers = new ArrayList<>();
    ProjectionScope.Builder b = ProjectionScope.builder();
    for (AuditQuery q : queries()) {
      AuditEventMatcher m = AuditEventMatcher.of(q);
      matchers.add(m);
      b.matcher(m);
    }
    ProjectionScope scope = b.values(SearchField.AGENT).identifiers(SearchField.PATIENT).build();
    for (AuditEvent e : CORPUS) {
      EventValues full = EventValues.of(e);
      EventValues scoped = EventValues.of(e, scope);
      for (AuditEventMatcher m : matchers) {
        assertThat(m.test(scoped)).isEqualTo(m.test(full));
      }
      assertThat(scoped.get(SearchField.AGENT)).isEqualTo(full.get(SearchField.AGENT));
      assertThat(scoped.identifiers(SearchField.PATIENT))
          .isEqualTo(full.identifiers(SearchField.PATIENT));
    }
  }

  /**
   * A criterion on every token field of each value the corpus holds (with and without its system,
   * and negated), and the other kinds of criteria: references, strings, URIs, {@code :missing},
   * free text, dates.
   */
  private static List<AuditQuery> queries() {
    Set<AuditQuery> out = new LinkedHashSet<>();
    for (AuditEvent e : CORPUS) {
      EventValues v = EventValues.of(e);
      for (SearchField f : SearchField.values()) {
        if (f.type() != SearchField.Type.TOKEN || f == SearchField.ID) {
          continue;
        }
        for (String token : v.get(f)) {
          int bar = token.indexOf('|');
          String system = token.substring(0, bar);
          String code = token.substring(bar + 1);
          out.add(AuditQuery.builder().token(f, new IdentifierToken(system, code)).build());
          out.add(AuditQuery.builder().token(f, new IdentifierToken(null, code)).build());
          out.add(AuditQuery.builder().notToken(f, new IdentifierToken(null, code)).build());
        }
      }
      for (String a : v.get(SearchField.AGENT)) {
        out.add(
            AuditQuery.builder()
                .reference(
                    SearchField.AGENT,
                    a.contains("/")
                        ? Criterion.ReferenceValue.literal(a)
                        : Criterion.ReferenceValue.identifier(
                            new IdentifierToken(
                                a.substring(0, a.indexOf('|')), a.substring(a.indexOf('|') + 1))))
                .build());
      }
    }
    for (SearchField f : SearchField.values()) {
      out.add(AuditQuery.builder().missing(f, true).build());
      out.add(AuditQuery.builder().missing(f, false).build());
    }
    for (String q :
        List.of(
            "patient:missing=false&action=R",
            "agent-name=a",
            "agent-name:contains=e",
            "entity-name:contains=a",
            "address=10",
            "address:exact=10.1.2.3",
            "_text=patient",
            "_content=admin",
            "date=ge2000-01-01",
            "entity-type=2&entity-role=1",
            "outcome:not=0&code=ITI-9")) {
      out.add(SearchParameters.fromQueryString(q));
    }
    out.add(AuditQuery.builder().uri(SearchField.POLICY, "urn:example:policy:emergency").build());
    return new ArrayList<>(out);
  }
}
