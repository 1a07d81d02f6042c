package org.atnabridge.store.query;

import ca.uhn.fhir.model.api.IQueryParameterAnd;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.rest.api.QualifiedParamList;
import ca.uhn.fhir.rest.param.DateAndListParam;
import ca.uhn.fhir.rest.param.ReferenceAndListParam;
import ca.uhn.fhir.rest.param.StringAndListParam;
import ca.uhn.fhir.rest.param.TokenAndListParam;
import ca.uhn.fhir.rest.param.UriAndListParam;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.store.AuditQuery;
import org.atnabridge.store.SearchField;
import org.jspecify.annotations.Nullable;

/**
 * The AuditEvent search filters of a request (name → values, as the servlet gives them) as criteria
 * of an {@link AuditQuery}, driven by the parameter table {@link SearchField}: a name or alias of a
 * FHIR row is parsed with HAPI's parameter type for the row's type and mapped by {@link
 * SearchParameterMapper}, so the search, {@code $stats} and every later consumer (alert rules,
 * Subscription {@code filterBy}) give a filter one meaning. {@code _text} and {@code _content}
 * (free text, no row) are collected and joined.
 */
public final class SearchParameters {

  /** The free-text parameters (FHIR search §3.2.1.6.3): not a field, the engines' text index. */
  public static final Set<String> TEXT = Set.of("_text", "_content");

  private SearchParameters() {}

  /**
   * Adds the filters among {@code parameters} to {@code b}.
   *
   * @param skip names that are not filters (result parameters, an operation's own); skipped
   * @return null when every parameter was applied; else the first name (in request order) that is
   *     neither a filter nor skipped, where it stopped: the caller refuses it
   */
  public static @Nullable String apply(
      AuditQuery.Builder b, Map<String, String[]> parameters, Set<String> skip) {
    Map<String, List<QualifiedParamList>> byName = new LinkedHashMap<>();
    for (Map.Entry<String, String[]> p : parameters.entrySet()) {
      String key = p.getKey();
      if (skip.contains(key)) {
        continue;
      }
      int cut = qualifierStart(key);
      String name = cut < 0 ? key : key.substring(0, cut);
      String qualifier = cut < 0 ? null : key.substring(cut);
      for (String value : p.getValue()) {
        byName
            .computeIfAbsent(name, n -> new ArrayList<>())
            .add(QualifiedParamList.splitQueryStringByCommasIgnoreEscape(qualifier, value));
      }
    }
    List<@Nullable StringAndListParam> text = new ArrayList<>();
    for (Map.Entry<String, List<QualifiedParamList>> e : byName.entrySet()) {
      String name = e.getKey();
      Optional<SearchField> field = SearchField.fhirParameter(name);
      if (field.isPresent()) {
        apply(b, name, field.get(), e.getValue());
      } else if (TEXT.contains(name)) {
        text.add(parse(name, e.getValue(), StringAndListParam::new));
      } else {
        return name;
      }
    }
    if (!text.isEmpty()) {
      SearchParameterMapper.text(b, text);
    }
    return null;
  }

  /**
   * A search's query string ({@code purpose=BTG&outcome:not=0}, percent-encoded as in a URL) as the
   * criteria of an {@link AuditQuery}, with exactly the meaning the FHIR API gives it: alert rules
   * and Subscription filters are written this way, so the same string pasted into a search finds
   * the same events. Result parameters ({@code _count}, {@code _sort}, ...) are not filters and are
   * refused.
   *
   * @throws IllegalArgumentException naming the parameter that is unknown or cannot be read
   */
  public static AuditQuery fromQueryString(String query) {
    Map<String, List<String>> byName = new LinkedHashMap<>();
    for (String pair : query.strip().split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("not name=value: " + pair);
      }
      String name = decode(pair.substring(0, eq));
      byName.computeIfAbsent(name, n -> new ArrayList<>()).add(decode(pair.substring(eq + 1)));
    }
    if (byName.isEmpty()) {
      throw new IllegalArgumentException("no search parameter");
    }
    Map<String, String[]> parameters = new LinkedHashMap<>();
    byName.forEach((k, v) -> parameters.put(k, v.toArray(String[]::new)));
    AuditQuery.Builder b = AuditQuery.builder();
    String unknown;
    try {
      unknown = apply(b, parameters, Set.of());
    } catch (InvalidRequestException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    if (unknown != null) {
      throw new IllegalArgumentException("unknown search parameter: " + unknown);
    }
    return b.build();
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("bad percent-encoding: " + s, e);
    }
  }

  /** One parameter of the table, parsed as its row's type. */
  private static void apply(
      AuditQuery.Builder b, String name, SearchField field, List<QualifiedParamList> values) {
    switch (field.type()) {
      case DATE -> {
        DateAndListParam p = parse(name, values, DateAndListParam::new);
        if (field == SearchField.DATE) {
          SearchParameterMapper.date(b, p); // a lone value narrows the recorded period
        } else {
          SearchParameterMapper.dateCriterion(b, name, p);
        }
      }
      case TOKEN ->
          SearchParameterMapper.token(b, name, parse(name, values, TokenAndListParam::new));
      case REFERENCE ->
          SearchParameterMapper.reference(b, name, parse(name, values, ReferenceAndListParam::new));
      case STRING ->
          SearchParameterMapper.string(b, name, parse(name, values, StringAndListParam::new));
      case URI -> SearchParameterMapper.uri(b, name, parse(name, values, UriAndListParam::new));
    }
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

  private static <T extends IQueryParameterAnd<?>> T parse(
      String name, List<QualifiedParamList> values, Supplier<T> type) {
    T param = type.get();
    try {
      param.setValuesAsQueryTokens(Fhir.context(), name, values);
    } catch (DataFormatException | IllegalArgumentException e) {
      throw new InvalidRequestException("invalid " + name + ": " + e.getMessage());
    }
    return param;
  }
}
