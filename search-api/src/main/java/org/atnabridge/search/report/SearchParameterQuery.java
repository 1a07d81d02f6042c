package org.atnabridge.search.report;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.atnabridge.store.AuditQuery;
import org.atnabridge.store.query.SearchParameters;

/**
 * The AuditEvent search filters of a raw request as an {@link AuditQuery}, for operations such as
 * {@code $stats} that take "the same filters as search" ({@link SearchParameters}, so a filter
 * cannot mean one thing in a search and another in a report). A name that is neither a filter nor
 * one of the operation's own parameters is refused (400): a dashboard must not show unfiltered
 * counts for a misspelt filter.
 */
final class SearchParameterQuery {

  /** Request parameters that are about the response, not the filter. */
  private static final Set<String> CONTROL = Set.of("_format", "_pretty", "_summary", "_elements");

  private SearchParameterQuery() {}

  /**
   * @param own the operation's own parameter names, skipped here
   */
  static AuditQuery.Builder from(Map<String, String[]> parameters, Set<String> own) {
    Set<String> skip = new HashSet<>(own);
    skip.addAll(CONTROL);
    AuditQuery.Builder b = AuditQuery.builder();
    String unknown = SearchParameters.apply(b, parameters, skip);
    if (unknown != null) {
      throw new InvalidRequestException(
          "unknown parameter "
              + unknown
              + "; the filters are the AuditEvent search "
              + "parameters");
    }
    return b;
  }

  static Set<String> names(String... own) {
    return Set.copyOf(Arrays.asList(own));
  }
}
