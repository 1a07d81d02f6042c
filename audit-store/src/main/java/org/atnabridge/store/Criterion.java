package org.atnabridge.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One search criterion on one {@link SearchField}: the values are alternatives (OR, FHIR's comma);
 * several criteria on the same field must all match (AND, FHIR's repeated parameter). The variant
 * must fit the field's {@link SearchField.Type}; the constructors reject a mismatch.
 */
public sealed interface Criterion {

  SearchField field();

  /**
   * Token search: {@code system|code}, {@code code} (any system) or {@code |code} (no system), see
   * {@link IdentifierToken}. {@code not} is FHIR's {@code :not}: events with none of the values.
   */
  record Token(SearchField field, List<IdentifierToken> anyOf, boolean not) implements Criterion {
    public Token {
      anyOf = nonEmpty(anyOf, "anyOf");
      requireType(field, SearchField.Type.TOKEN);
    }
  }

  /** Reference search by literal reference or id, or by identifier ({@code :identifier}). */
  record Reference(SearchField field, List<ReferenceValue> anyOf) implements Criterion {
    public Reference {
      anyOf = nonEmpty(anyOf, "anyOf");
      requireType(field, SearchField.Type.REFERENCE);
    }
  }

  /**
   * Date search: an event matches when its value lies in any of the ranges. The FHIR API turns a
   * prefix and a precision into a range ({@code ge2026-01} = [2026-01-01, ∞), {@code eq2026-01-05}
   * = [2026-01-05, 2026-01-06)).
   */
  record Date(SearchField field, List<DateRange> anyOf) implements Criterion {
    public Date {
      anyOf = nonEmpty(anyOf, "anyOf");
      requireType(field, SearchField.Type.DATE);
    }
  }

  /** Uri search: exact match of any of the values. */
  record Uri(SearchField field, List<String> anyOf) implements Criterion {
    public Uri {
      anyOf = nonEmpty(anyOf, "anyOf");
      requireType(field, SearchField.Type.URI);
    }
  }

  /** String search: case- and accent-insensitive, by default starting with the value (FHIR). */
  record Text(SearchField field, List<String> anyOf, StringMatch match) implements Criterion {
    public Text {
      anyOf = nonEmpty(anyOf, "anyOf");
      Objects.requireNonNull(match, "match");
      requireType(field, SearchField.Type.STRING);
    }
  }

  /** FHIR {@code :missing}: true = events without any value in the field, false = with one. */
  record Missing(SearchField field, boolean missing) implements Criterion {
    public Missing {
      Objects.requireNonNull(field, "field");
    }
  }

  /** FHIR string modifiers. */
  enum StringMatch {
    /** Default: the value or a word-prefix of it (normalized). */
    STARTS_WITH,
    /** {@code :exact}: equal, case and accents included. */
    EXACT,
    /** {@code :contains}: anywhere (normalized); slower, avoid on large stores. */
    CONTAINS
  }

  /**
   * A reference value: a literal ({@code Patient/123}, an absolute URL, or a bare id that matches
   * any type) or an identifier token.
   */
  record ReferenceValue(@Nullable String reference, @Nullable IdentifierToken identifier) {
    public ReferenceValue {
      if ((reference == null) == (identifier == null)) {
        throw new IllegalArgumentException("exactly one of reference and identifier");
      }
      if (reference != null && reference.isBlank()) {
        throw new IllegalArgumentException("reference is blank");
      }
    }

    public static ReferenceValue literal(String reference) {
      return new ReferenceValue(reference, null);
    }

    public static ReferenceValue identifier(IdentifierToken identifier) {
      return new ReferenceValue(null, identifier);
    }
  }

  /** {@code [from, to)}; either end may be open (null). */
  record DateRange(@Nullable Instant from, @Nullable Instant to) {
    public DateRange {
      if (from != null && to != null && to.isBefore(from)) {
        throw new IllegalArgumentException("to before from: " + from + " .. " + to);
      }
    }
  }

  private static <T> List<T> nonEmpty(List<T> values, String name) {
    List<T> copy = List.copyOf(values);
    if (copy.isEmpty()) {
      throw new IllegalArgumentException(name + " is empty");
    }
    return copy;
  }

  private static void requireType(SearchField field, SearchField.Type type) {
    if (Objects.requireNonNull(field, "field").type() != type) {
      throw new IllegalArgumentException(
          field.code() + " is a " + field.type() + " field, not " + type);
    }
  }
}
