package org.atnabridge.streams.alert.rules;

import java.util.List;
import org.atnabridge.store.AuditEventMatcher;
import org.atnabridge.store.IndexTerm;
import org.atnabridge.store.ProjectionScope;
import org.atnabridge.store.query.SearchParameters;
import org.hl7.fhir.r5.fhirpath.ExpressionNode;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Base;
import org.hl7.fhir.r5.model.BooleanType;
import org.jspecify.annotations.Nullable;

/** The {@link EventCondition}s a rules file compiles to. */
final class Conditions {

  /** What a rule without {@code where} and {@code fhirpath} prints. */
  static final String EVERY_EVENT = "(every event)";

  private Conditions() {}

  /**
   * {@code where} (search parameters, the FHIR API's meaning) and {@code fhirpath}: both must hold
   * when both are given; neither given: every event.
   */
  static EventCondition allOf(@Nullable EventCondition where, @Nullable EventCondition fhirpath) {
    if (where == null) {
      return fhirpath == null ? new Every() : fhirpath;
    }
    return fhirpath == null ? where : new Both(where, fhirpath);
  }

  /**
   * @throws IllegalArgumentException naming the parameter that is unknown or cannot be read
   */
  static EventCondition search(String where) {
    return new Search(where, AuditEventMatcher.of(SearchParameters.fromQueryString(where)));
  }

  /**
   * @throws IllegalArgumentException when the expression is not FHIRPath
   */
  static EventCondition fhirPath(String expression) {
    return new FhirPath(expression, FhirPaths.parse(expression));
  }

  private record Every() implements EventCondition {
    @Override
    public boolean test(AuditEvent event) {
      return true;
    }

    @Override
    public String text() {
      return EVERY_EVENT;
    }

    @Override
    public void reads(ProjectionScope.Builder scope) {}
  }

  private record Search(String text, AuditEventMatcher matcher) implements EventCondition {
    @Override
    public boolean test(AuditEvent event) {
      return matcher.test(event);
    }

    @Override
    public boolean test(MatchableEvent event) {
      return matcher.test(event.values());
    }

    @Override
    public void reads(ProjectionScope.Builder scope) {
      scope.matcher(matcher);
    }

    @Override
    public List<IndexTerm> anchorTerms() {
      return matcher.anchorTerms();
    }
  }

  /** True iff the expression yields exactly one boolean {@code true} (FHIRPath §5). */
  private record FhirPath(String expression, ExpressionNode parsed) implements EventCondition {
    @Override
    public boolean test(AuditEvent event) {
      List<Base> result = FhirPaths.evaluate(event, parsed);
      return result.size() == 1
          && result.get(0) instanceof BooleanType b
          && Boolean.TRUE.equals(b.getValue());
    }

    @Override
    public String text() {
      return "fhirpath: " + expression;
    }

    @Override
    public void reads(ProjectionScope.Builder scope) {} // the event itself, not its projection
  }

  private record Both(EventCondition where, EventCondition fhirpath) implements EventCondition {
    @Override
    public boolean test(AuditEvent event) {
      return where.test(event) && fhirpath.test(event);
    }

    @Override
    public boolean test(MatchableEvent event) {
      return where.test(event) && fhirpath.test(event);
    }

    @Override
    public String text() {
      return where.text() + " and " + fhirpath.text();
    }

    @Override
    public void reads(ProjectionScope.Builder scope) {
      where.reads(scope);
      fhirpath.reads(scope);
    }

    @Override
    public List<IndexTerm> anchorTerms() {
      return where.anchorTerms(); // both must hold, so the event holds one of where's
    }
  }
}
