package org.atnabridge.search.report;

import ca.uhn.fhir.model.api.IQueryParameterAnd;
import ca.uhn.fhir.rest.api.QualifiedParamList;
import ca.uhn.fhir.rest.param.DateAndListParam;
import ca.uhn.fhir.rest.param.ReferenceAndListParam;
import ca.uhn.fhir.rest.param.StringAndListParam;
import ca.uhn.fhir.rest.param.TokenAndListParam;
import ca.uhn.fhir.rest.param.UriAndListParam;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.parser.DataFormatException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.search.SearchParameterMapper;
import org.atnabridge.store.AuditQuery;
import org.jspecify.annotations.Nullable;

/**
 * The AuditEvent search filters of a raw request (name → values, as the servlet gives them) as an
 * {@link AuditQuery}, for operations such as {@code $stats} that take "the same filters as
 * search". HAPI's parameter types parse the syntax and {@link SearchParameterMapper} gives the
 * meaning, exactly as for the search itself, so a filter cannot mean one thing in a search and
 * another in a report. A name that is neither a filter nor one of the operation's own parameters
 * is refused (400): a dashboard must not show unfiltered counts for a misspelt filter.
 */
final class SearchParameterQuery {

  private static final Set<String> TOKENS = Set.of("action", "agent-role", "category", "type", "code", "subtype",
      "entity-role", "entity-type", "outcome", "purpose", "altid", "site", "_id", "_tag", "_security");
  private static final Set<String> REFERENCES = Set.of("patient", "agent", "entity", "source", "based-on",
      "encounter");
  private static final Set<String> STRINGS = Set.of("agent-name", "entity-name", "address");
  private static final Set<String> URIS = Set.of("policy");
  private static final Set<String> TEXT = Set.of("_text", "_content");
  /** Request parameters that are about the response, not the filter. */
  private static final Set<String> CONTROL = Set.of("_format", "_pretty", "_summary", "_elements");

  private SearchParameterQuery() {}

  /**
   * @param own the operation's own parameter names, skipped here
   */
  static AuditQuery.Builder from(Map<String, String[]> parameters, Set<String> own) {
    Map<String, List<QualifiedParamList>> byName = new LinkedHashMap<>();
    for (Map.Entry<String, String[]> p : parameters.entrySet()) {
      String key = p.getKey();
      if (own.contains(key) || CONTROL.contains(key)) {
        continue;
      }
      int cut = qualifierStart(key);
      String name = cut < 0 ? key : key.substring(0, cut);
      String qualifier = cut < 0 ? null : key.substring(cut);
      for (String value : p.getValue()) {
        byName.computeIfAbsent(name, n -> new ArrayList<>())
            .add(QualifiedParamList.splitQueryStringByCommasIgnoreEscape(qualifier, value));
      }
    }
    AuditQuery.Builder b = AuditQuery.builder();
    List<@Nullable StringAndListParam> text = new ArrayList<>();
    for (Map.Entry<String, List<QualifiedParamList>> e : byName.entrySet()) {
      String name = e.getKey();
      List<QualifiedParamList> values = e.getValue();
      if (name.equals("date")) {
        SearchParameterMapper.date(b, parse(name, values, DateAndListParam::new));
      } else if (name.equals("_lastUpdated")) {
        SearchParameterMapper.dateCriterion(b, name, parse(name, values, DateAndListParam::new));
      } else if (TOKENS.contains(name)) {
        SearchParameterMapper.token(b, name, parse(name, values, TokenAndListParam::new));
      } else if (REFERENCES.contains(name)) {
        SearchParameterMapper.reference(b, name, parse(name, values, ReferenceAndListParam::new));
      } else if (STRINGS.contains(name)) {
        SearchParameterMapper.string(b, name, parse(name, values, StringAndListParam::new));
      } else if (URIS.contains(name)) {
        SearchParameterMapper.uri(b, name, parse(name, values, UriAndListParam::new));
      } else if (TEXT.contains(name)) {
        text.add(parse(name, values, StringAndListParam::new));
      } else {
        throw new InvalidRequestException("unknown parameter " + name + "; the filters are the AuditEvent search "
            + "parameters");
      }
    }
    if (!text.isEmpty()) {
      SearchParameterMapper.text(b, text);
    }
    return b;
  }

  /** Where a modifier ({@code :identifier}) or chain ({@code .identifier}) starts, or -1. */
  private static int qualifierStart(String key) {
    int colon = key.indexOf(':');
    int dot = key.indexOf('.');
    if (colon < 0) {
      return dot;
    }
    return dot < 0 ? colon : Math.min(colon, dot);
  }

  private static <T extends IQueryParameterAnd<?>> T parse(String name, List<QualifiedParamList> values,
      Supplier<T> type) {
    T param = type.get();
    try {
      param.setValuesAsQueryTokens(Fhir.context(), name, values);
    } catch (DataFormatException | IllegalArgumentException e) {
      throw new InvalidRequestException("invalid " + name + ": " + e.getMessage());
    }
    return param;
  }

  static Set<String> names(String... own) {
    return Set.copyOf(Arrays.asList(own));
  }
}
