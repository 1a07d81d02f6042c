package org.atnabridge.store.internal;

import static org.atnabridge.store.internal.IndexFields.*;

import java.util.ArrayList;
import java.util.List;
import org.atnabridge.store.AuditQuery;
import org.atnabridge.store.IdentifierToken;

/**
 * An {@link AuditQuery}'s token criteria as a conjunction of clauses, each a disjunction of exact
 * term matches. The engines only translate this shape; the FHIR token rules live here once.
 */
public final class TermClauses {

  /** One exact match of {@code value} in the keyword {@code field}. */
  public record Term(String field, String value) {}

  private TermClauses() {}

  /** Every clause must match; within a clause any term may. The date range and cursor are not included. */
  public static List<List<Term>> of(AuditQuery q) {
    List<List<Term>> clauses = new ArrayList<>();
    tokens(clauses, q.patientIdentifiers(), PATIENT_IDENTIFIER, PATIENT_IDENTIFIER_VALUE);
    plain(clauses, q.patientReferences(), PATIENT_REFERENCE);
    tokens(clauses, q.agentIdentifiers(), AGENT_IDENTIFIER, AGENT_IDENTIFIER_VALUE);
    plain(clauses, q.agentReferences(), AGENT_REFERENCE);
    plain(clauses, q.actions(), ACTION);
    plain(clauses, q.outcomes(), OUTCOME);
    tokens(clauses, q.codes(), CODE, CODE_VALUE);
    tokens(clauses, q.categories(), CATEGORY, CATEGORY_VALUE);
    return clauses;
  }

  private static void tokens(List<List<Term>> clauses, List<IdentifierToken> tokens, String tokenField,
      String valueField) {
    if (!tokens.isEmpty()) {
      clauses.add(tokens.stream()
          .map(t -> t.system() == null
              ? new Term(valueField, t.value())
              : new Term(tokenField, token(t.system().isEmpty() ? null : t.system(), t.value())))
          .toList());
    }
  }

  private static void plain(List<List<Term>> clauses, List<String> values, String field) {
    if (!values.isEmpty()) {
      clauses.add(values.stream().map(v -> new Term(field, v)).toList());
    }
  }
}
