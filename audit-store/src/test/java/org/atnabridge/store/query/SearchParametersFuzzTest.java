package org.atnabridge.store.query;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.atnabridge.store.AuditQuery;
import org.atnabridge.store.SearchField;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fuzzes the request-parameter parser of AuditEvent search and {@code $stats} ({@link
 * SearchParameters}: the parameter table's names, aliases, modifiers and chains, each value parsed
 * with HAPI's type for the row) with arbitrary, already URL-decoded query strings ({@code
 * name=value&...}). Seeds: one value of every row of the table, in each of its names, and {@code
 * SearchParametersFuzzTestInputs/apply}. Properties: the outcome is a query, an unknown name from
 * the request, or HAPI's {@link InvalidRequestException} (a 400 with an OperationOutcome); nothing
 * else, since any other exception would be a 500; the query it builds is valid; and parsing is
 * deterministic.
 */
class SearchParametersFuzzTest {

  static Stream<Arguments> table() {
    List<String> seeds = new ArrayList<>();
    for (SearchField f : SearchField.fhirParameters()) {
      String value =
          switch (f.type()) {
            case DATE -> "ge2026-01-05T10:00:00Z";
            case TOKEN -> "http://dicom.nema.org/resources/ontology/DCM|110112";
            case REFERENCE -> "Patient/123";
            case STRING -> "alice";
            case URI -> "urn:oid:1.2.3";
          };
      for (String name : f.names()) {
        seeds.add(name + "=" + value);
      }
    }
    return seeds.stream().map(s -> Arguments.of((Object) s.getBytes(UTF_8)));
  }

  @MethodSource("table")
  @FuzzTest(maxDuration = "60s")
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void apply(byte[] input) {
    Map<String, String[]> parameters = parameters(new String(input, UTF_8));
    String first = outcome(parameters);
    assertThat(outcome(parameters)).as("deterministic").isEqualTo(first);
  }

  private static String outcome(Map<String, String[]> parameters) {
    AuditQuery.Builder b = AuditQuery.builder();
    String unknown;
    try {
      unknown = SearchParameters.apply(b, parameters, Set.of());
    } catch (InvalidRequestException e) {
      assertThat(e.getMessage()).isNotBlank();
      return "400 " + e.getMessage();
    }
    if (unknown != null) {
      assertThat(SearchField.fhirParameter(unknown)).isEmpty();
      assertThat(SearchParameters.TEXT).doesNotContain(unknown);
      assertThat(parameters.keySet()).anyMatch(k -> k.equals(unknown) || k.startsWith(unknown));
      return "unknown " + unknown;
    }
    return "query " + b.build();
  }

  /** {@code a=1&b=2&a=3} as a servlet gives it: name → values in order, names in first order. */
  private static Map<String, String[]> parameters(String query) {
    Map<String, List<String>> byName = new LinkedHashMap<>();
    for (String pair : query.split("&", -1)) {
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      byName.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
    }
    Map<String, String[]> out = new LinkedHashMap<>();
    byName.forEach((k, v) -> out.put(k, v.toArray(String[]::new)));
    return out;
  }
}
