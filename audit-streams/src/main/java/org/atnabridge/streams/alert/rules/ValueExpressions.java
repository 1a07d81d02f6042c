package org.atnabridge.streams.alert.rules;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.atnabridge.store.EventValues;
import org.atnabridge.store.ProjectionScope;
import org.atnabridge.store.SearchField;
import org.hl7.fhir.r5.fhirpath.ExpressionNode;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Base;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.Identifier;
import org.hl7.fhir.r5.model.Reference;

/** The {@link ValueExpression}s of {@code group-by}, {@code field} and {@code fields}. */
final class ValueExpressions {

  static final String FHIRPATH_PREFIX = "fhirpath:";

  private ValueExpressions() {}

  /**
   * {@code fhirpath: <expression>}, or an AuditEvent search parameter of the FHIR API: its name
   * ({@code patient}, {@code address}) for the values a search by it compares, or a reference
   * parameter's identifiers as a search writes them ({@code agent.identifier}, {@code
   * agent:identifier}).
   *
   * @throws IllegalArgumentException naming what is unknown
   */
  static ValueExpression parse(String text) {
    String s = text.strip();
    if (s.startsWith(FHIRPATH_PREFIX)) {
      return fhirPath(s.substring(FHIRPATH_PREFIX.length()).strip());
    }
    String name = s;
    boolean identifiers = false;
    for (String suffix : List.of(".identifier", ":identifier")) {
      if (s.endsWith(suffix)) {
        name = s.substring(0, s.length() - suffix.length());
        identifiers = true;
      }
    }
    SearchField field =
        SearchField.fhirParameter(name)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "unknown search parameter '" + s + "' (or write fhirpath: <expression>)"));
    if (identifiers && field.type() != SearchField.Type.REFERENCE) {
      throw new IllegalArgumentException(name + " is not a reference parameter: " + s);
    }
    return new Search(s, field, identifiers);
  }

  /**
   * @throws IllegalArgumentException when the expression is not FHIRPath
   */
  static ValueExpression fhirPath(String expression) {
    if (expression.isEmpty()) {
      throw new IllegalArgumentException("fhirpath: an expression is missing");
    }
    return new FhirPath(expression, FhirPaths.parse(expression));
  }

  private record Search(String text, SearchField field, boolean identifiers)
      implements ValueExpression {
    @Override
    public List<String> values(AuditEvent event) {
      return values(EventValues.of(event));
    }

    @Override
    public List<String> values(MatchableEvent event) {
      return values(event.values());
    }

    private List<String> values(EventValues v) {
      return identifiers ? v.identifiers(field) : v.get(field);
    }

    @Override
    public void reads(ProjectionScope.Builder scope) {
      if (identifiers) {
        scope.identifiers(field);
      } else {
        scope.values(field);
      }
    }
  }

  /**
   * Each item of the result as text: a primitive as its value, a Coding or Identifier as {@code
   * system|value}, a Reference as its reference or its identifier; other items are skipped.
   */
  private record FhirPath(String expression, ExpressionNode parsed) implements ValueExpression {
    @Override
    public List<String> values(AuditEvent event) {
      Set<String> out = new LinkedHashSet<>();
      for (Base b : FhirPaths.evaluate(event, parsed)) {
        String v = text(b);
        if (v != null && !v.isEmpty()) {
          out.add(v);
        }
      }
      return new ArrayList<>(out);
    }

    @Override
    public String text() {
      return FHIRPATH_PREFIX + " " + expression;
    }

    @Override
    public void reads(ProjectionScope.Builder scope) {} // the event itself, not its projection

    private static @org.jspecify.annotations.Nullable String text(Base b) {
      if (b.isPrimitive()) {
        return b.primitiveValue();
      }
      return switch (b) {
        case Coding c ->
            c.hasCode() ? (c.hasSystem() ? c.getSystem() : "") + "|" + c.getCode() : null;
        case Identifier i ->
            i.hasValue() ? (i.hasSystem() ? i.getSystem() : "") + "|" + i.getValue() : null;
        case Reference r ->
            r.hasReference()
                ? r.getReference()
                : r.hasIdentifier() ? text(r.getIdentifier()) : r.getDisplay();
        default -> null;
      };
    }
  }
}
