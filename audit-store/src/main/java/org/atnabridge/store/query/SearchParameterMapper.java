package org.atnabridge.store.query;

import ca.uhn.fhir.model.api.IQueryParameterType;
import ca.uhn.fhir.rest.api.SortOrderEnum;
import ca.uhn.fhir.rest.api.SortSpec;
import ca.uhn.fhir.rest.param.DateAndListParam;
import ca.uhn.fhir.rest.param.DateOrListParam;
import ca.uhn.fhir.rest.param.DateParam;
import ca.uhn.fhir.rest.param.ParamPrefixEnum;
import ca.uhn.fhir.rest.param.ReferenceAndListParam;
import ca.uhn.fhir.rest.param.ReferenceOrListParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.StringAndListParam;
import ca.uhn.fhir.rest.param.StringOrListParam;
import ca.uhn.fhir.rest.param.StringParam;
import ca.uhn.fhir.rest.param.TokenAndListParam;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.param.TokenParamModifier;
import ca.uhn.fhir.rest.param.UriAndListParam;
import ca.uhn.fhir.rest.param.UriOrListParam;
import ca.uhn.fhir.rest.param.UriParam;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.schemas.vocab.CodeSystems;
import org.atnabridge.store.AuditQuery;
import org.atnabridge.store.Criterion;
import org.atnabridge.store.IdentifierToken;
import org.atnabridge.store.SearchField;
import org.atnabridge.store.SearchField.Modifier;
import org.atnabridge.store.SortOrder;
import org.jspecify.annotations.Nullable;

/**
 * FHIR search parameters → {@link AuditQuery}. Pure; parsing of the parameter syntax itself
 * (prefixes, precision, modifiers, {@code system|value} escaping) is HAPI's, the semantics (token
 * systems, references by id or identifier, {@code :missing}, {@code :not}) are the store's {@link
 * Criterion}s. Repeated parameters AND, comma values OR, exactly as {@link AuditQuery}.
 *
 * <p>Parameters are named by their FHIR name or ITI-81/R4 alias ({@code type} = {@code category},
 * {@code subtype} = {@code code}); {@link SearchField#byCode} resolves both, so an alias can never
 * drift from its R5 parameter.
 *
 * <p>Whatever the store cannot answer exactly (other modifiers, other chains, OR inside {@code
 * date} or {@code _text}, a second sort key) is refused with 400 rather than approximated: an
 * auditor who gets a silently widened answer draws wrong conclusions.
 *
 * <p>{@code date} is {@code AuditEvent.recorded} (R5 §3.4): a value stands for the whole range of
 * its precision ({@code date=2026-01-05} is that whole day), prefixes {@code eq ge gt le lt sa eb}
 * move the bounds, {@code ne} is everything outside the value's range, comma values OR. {@code ap}
 * is refused: "approximately" has no exact meaning an auditor could rely on.
 *
 * <p>Reference parameters accept a literal reference ({@code Patient/123}; for {@code patient} and
 * {@code encounter} a bare id means that type, elsewhere a bare id matches any type), the modifier
 * {@code :identifier=system|value} (FHIR R5) and the chain {@code .identifier=…} that ITI-81 (R4)
 * clients send; both identifier forms match {@code Reference.identifier}.
 */
public final class SearchParameterMapper {

  public static final String IDENTIFIER = "identifier";

  /** The code system of R4's {@code AuditEvent.outcome} (FHIR 4.0.1). */
  public static final String R4_OUTCOME = "http://hl7.org/fhir/audit-event-outcome";

  private SearchParameterMapper() {}

  /** {@code date} and {@code patient} only: the original entry point, kept for its callers. */
  public static AuditQuery.Builder map(
      @Nullable DateAndListParam date, @Nullable ReferenceOrListParam patient) {
    AuditQuery.Builder b = AuditQuery.builder();
    date(b, date);
    if (patient != null) {
      reference(b, "patient", new ReferenceAndListParam().addAnd(patient));
    }
    return b;
  }

  /**
   * {@code date}: a lone value per parameter narrows the recorded period (the store's fastest
   * form); comma alternatives and {@code ne} become a date criterion of several ranges (OR).
   */
  public static void date(AuditQuery.Builder b, @Nullable DateAndListParam date) {
    if (date == null) {
      return;
    }
    for (DateOrListParam alternatives : date.getValuesAsQueryTokens()) {
      List<DateParam> values = alternatives.getValuesAsQueryTokens();
      DateParam p = values.get(0);
      if (values.size() == 1
          && p.getMissing() == null
          && p.getPrefix() != ParamPrefixEnum.NOT_EQUAL) {
        DateRanges.Range r = DateRanges.range("date", p);
        if (r.from() != null) {
          b.narrowRecordedFrom(r.from());
        }
        if (r.to() != null) {
          b.narrowRecordedTo(r.to());
        }
      } else {
        dateCriterion(b, "date", new DateAndListParam().addAnd(alternatives));
      }
    }
  }

  /** A date parameter as a criterion: comma values OR, {@code ne} is the two ranges outside. */
  public static void dateCriterion(
      AuditQuery.Builder b, String name, @Nullable DateAndListParam param) {
    if (param == null) {
      return;
    }
    SearchField field = field(name, SearchField.Type.DATE);
    for (DateOrListParam or : param.getValuesAsQueryTokens()) {
      if (missing(b, name, field, or.getValuesAsQueryTokens())) {
        continue;
      }
      List<Criterion.DateRange> ranges = new ArrayList<>();
      for (DateParam p : or.getValuesAsQueryTokens()) {
        if (p.getPrefix() == ParamPrefixEnum.NOT_EQUAL) {
          DateRanges.Range r = DateRanges.span(name, p);
          ranges.add(new Criterion.DateRange(null, r.from()));
          ranges.add(new Criterion.DateRange(r.to(), null));
          continue;
        }
        DateRanges.Range r = DateRanges.range(name, p);
        ranges.add(new Criterion.DateRange(r.from(), r.to()));
      }
      if (!ranges.isEmpty()) {
        b.where(new Criterion.Date(field, ranges));
      }
    }
  }

  /** Token: {@code system|code}, {@code |code}, {@code code}; {@code :not}, {@code :missing}. */
  public static void token(AuditQuery.Builder b, String name, @Nullable TokenAndListParam param) {
    if (param == null) {
      return;
    }
    SearchField field = field(name, SearchField.Type.TOKEN);
    for (TokenOrListParam or : param.getValuesAsQueryTokens()) {
      List<IdentifierToken> values = new ArrayList<>();
      Boolean not = null;
      if (missing(b, name, field, or.getValuesAsQueryTokens())) {
        continue;
      }
      for (TokenParam t : or.getValuesAsQueryTokens()) {
        TokenParamModifier modifier = t.getModifier();
        if (modifier != null
            && !(modifier == TokenParamModifier.NOT && field.allows(Modifier.NOT))) {
          throw new InvalidRequestException(
              name + ":" + modifier.getValue().replace(":", "") + " is not supported");
        }
        boolean thisNot = modifier == TokenParamModifier.NOT;
        if (not != null && not != thisNot) {
          throw new InvalidRequestException(
              name + ": cannot mix :not and plain values in one parameter");
        }
        not = thisNot;
        values.add(tokenValue(name, field, t));
      }
      if (!values.isEmpty()) {
        b.where(new Criterion.Token(field, values, Boolean.TRUE.equals(not)));
      }
    }
  }

  /** Reference: literal, {@code :identifier}, {@code .identifier}, {@code :missing}. */
  public static void reference(
      AuditQuery.Builder b, String name, @Nullable ReferenceAndListParam param) {
    if (param == null) {
      return;
    }
    SearchField field = field(name, SearchField.Type.REFERENCE);
    for (ReferenceOrListParam or : param.getValuesAsQueryTokens()) {
      if (missing(b, name, field, or.getValuesAsQueryTokens())) {
        continue;
      }
      List<Criterion.ReferenceValue> values = new ArrayList<>();
      for (ReferenceParam ref : or.getValuesAsQueryTokens()) {
        values.add(referenceValue(name, field, ref));
      }
      if (!values.isEmpty()) {
        b.where(new Criterion.Reference(field, values));
      }
    }
  }

  /** String: starts-with (normalized), {@code :exact}, {@code :contains}, {@code :missing}. */
  public static void string(AuditQuery.Builder b, String name, @Nullable StringAndListParam param) {
    if (param == null) {
      return;
    }
    SearchField field = field(name, SearchField.Type.STRING);
    for (StringOrListParam or : param.getValuesAsQueryTokens()) {
      if (missing(b, name, field, or.getValuesAsQueryTokens())) {
        continue;
      }
      Criterion.StringMatch match = null;
      List<String> values = new ArrayList<>();
      for (StringParam s : or.getValuesAsQueryTokens()) {
        if (s.isText()) {
          throw new InvalidRequestException(name + ":text is not supported");
        }
        Criterion.StringMatch m =
            s.isExact() && field.allows(Modifier.EXACT)
                ? Criterion.StringMatch.EXACT
                : s.isContains() && field.allows(Modifier.CONTAINS)
                    ? Criterion.StringMatch.CONTAINS
                    : Criterion.StringMatch.STARTS_WITH;
        if (match != null && match != m) {
          throw new InvalidRequestException(
              name + ": all values of one parameter need the same modifier");
        }
        match = m;
        values.add(requireValue(name, s.getValue()));
      }
      if (match != null) { // set with the first value
        b.where(new Criterion.Text(field, values, match));
      }
    }
  }

  /** Uri: exact match; {@code :above}/{@code :below} are refused; {@code :missing}. */
  public static void uri(AuditQuery.Builder b, String name, @Nullable UriAndListParam param) {
    if (param == null) {
      return;
    }
    SearchField field = field(name, SearchField.Type.URI);
    for (UriOrListParam or : param.getValuesAsQueryTokens()) {
      if (missing(b, name, field, or.getValuesAsQueryTokens())) {
        continue;
      }
      List<String> values = new ArrayList<>();
      for (UriParam u : or.getValuesAsQueryTokens()) {
        if (u.getQualifier() != null) {
          throw new InvalidRequestException(
              name + u.getQualifier().getValue() + " is not supported");
        }
        values.add(requireValue(name, u.getValue()));
      }
      if (!values.isEmpty()) {
        b.where(new Criterion.Uri(field, values));
      }
    }
  }

  /**
   * {@code _text} and {@code _content}: the store's free text requires every word, so repeated
   * parameters (AND) join; comma alternatives (OR) cannot be expressed and are refused.
   */
  public static void text(AuditQuery.Builder b, List<@Nullable StringAndListParam> params) {
    StringJoiner words = new StringJoiner(" ");
    for (StringAndListParam param : params) {
      if (param == null) {
        continue;
      }
      for (StringOrListParam or : param.getValuesAsQueryTokens()) {
        if (or.getValuesAsQueryTokens().size() != 1) {
          throw new InvalidRequestException(
              "_text/_content: comma alternatives are not supported; every word must occur");
        }
        StringParam s = or.getValuesAsQueryTokens().get(0);
        if (s.getMissing() != null || s.isExact() || s.isContains() || s.isText()) {
          throw new InvalidRequestException("_text/_content take no modifier");
        }
        words.add(requireValue("_text", s.getValue()));
      }
    }
    if (words.length() > 0) {
      b.text(words.toString());
    }
  }

  /** {@code _sort}: one key, {@code date} or {@code _lastUpdated}, either direction. */
  public static void sort(AuditQuery.Builder b, @Nullable SortSpec sort) {
    if (sort == null) {
      return;
    }
    if (sort.getChain() != null) {
      throw new InvalidRequestException(
          "_sort accepts one key: date, -date, _lastUpdated or -_lastUpdated");
    }
    boolean desc = sort.getOrder() == SortOrderEnum.DESC;
    b.sort(
        switch (sort.getParamName()) {
          case "date" -> desc ? SortOrder.DATE_DESC : SortOrder.DATE_ASC;
          case "_lastUpdated" -> desc ? SortOrder.LAST_UPDATED_DESC : SortOrder.LAST_UPDATED_ASC;
          default ->
              throw new InvalidRequestException(
                  "_sort="
                      + sort.getParamName()
                      + " is not supported; use date, -date, _lastUpdated or -_lastUpdated");
        });
  }

  static IdentifierToken identifier(String queryToken) {
    TokenParam token = new TokenParam();
    token.setValueAsQueryToken(Fhir.context(), IDENTIFIER, null, queryToken);
    if (token.getValue() == null || token.getValue().isBlank()) {
      throw new InvalidRequestException("identifier needs a value: system|value or value");
    }
    return new IdentifierToken(token.getSystem(), token.getValue());
  }

  private static Criterion.ReferenceValue referenceValue(
      String name, SearchField field, ReferenceParam ref) {
    String chain = ref.getChain();
    if (IDENTIFIER.equals(chain) && field.allows(Modifier.IDENTIFIER)) {
      return Criterion.ReferenceValue.identifier(identifier(ref.getValue()));
    }
    if (chain != null && !chain.isEmpty()) {
      throw new InvalidRequestException(
          name + "." + chain + " is not supported; use " + name + ".identifier");
    }
    String value = ref.getValue();
    // HAPI reads the ":identifier" modifier as if it were a resource type qualifier
    if (IDENTIFIER.equals(ref.getResourceType()) && field.allows(Modifier.IDENTIFIER)) {
      return Criterion.ReferenceValue.identifier(identifier(value));
    }
    if (value == null || value.isBlank()) {
      throw new InvalidRequestException(name + " needs a value");
    }
    if (ref.hasResourceType()) {
      return Criterion.ReferenceValue.literal(ref.getResourceType() + "/" + ref.getIdPart());
    }
    String defaultType =
        switch (field) {
          case PATIENT -> "Patient/";
          case ENCOUNTER -> "Encounter/";
          default -> "";
        };
    return Criterion.ReferenceValue.literal(value.contains("/") ? value : defaultType + value);
  }

  private static IdentifierToken tokenValue(String name, SearchField field, TokenParam t) {
    if (t.getValue() == null || t.getValue().isBlank()) {
      throw new InvalidRequestException(name + " needs a value: system|code, |code or code");
    }
    // R4's AuditEvent.outcome codes 0/4/8/12 are the same codes under another system URL (R4
    // binding audit-event-outcome, required): an ITI-81 R4 client's system finds what R5's does
    String system =
        field == SearchField.OUTCOME && R4_OUTCOME.equals(t.getSystem())
            ? CodeSystems.AUDIT_EVENT_OUTCOME
            : t.getSystem();
    return new IdentifierToken(system, t.getValue());
  }

  private static SearchField field(String name, SearchField.Type type) {
    SearchField f =
        SearchField.byCode(name)
            .orElseThrow(
                () -> new IllegalArgumentException("no store field for search parameter " + name));
    if (f.type() != type) {
      throw new IllegalArgumentException(name + " is a " + f.type() + " parameter, not " + type);
    }
    return f;
  }

  /**
   * FHIR {@code :missing} (R5 search §3.2.1.5.5.9), one path for every type: alone in its
   * parameter, true or false; the store answers it from the fields each event has a value in.
   *
   * @return whether {@code alternatives} was a {@code :missing} and became a criterion
   */
  private static boolean missing(
      AuditQuery.Builder b,
      String name,
      SearchField field,
      List<? extends IQueryParameterType> alternatives) {
    for (IQueryParameterType p : alternatives) {
      if (p.getMissing() != null) {
        if (alternatives.size() != 1) {
          throw new InvalidRequestException(
              name + ":missing takes exactly one value, true or false");
        }
        b.missing(field, p.getMissing());
        return true;
      }
    }
    return false;
  }

  private static String requireValue(String name, @Nullable String value) {
    if (value == null || value.isBlank()) {
      throw new InvalidRequestException(name + " needs a value");
    }
    return value;
  }
}
