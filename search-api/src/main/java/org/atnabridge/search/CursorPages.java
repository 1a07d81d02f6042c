package org.atnabridge.search;

import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import org.atnabridge.schemas.vocab.CodeSystems;
import org.atnabridge.store.AuditEventSearch;
import org.atnabridge.store.AuditPage;
import org.atnabridge.store.AuditQuery;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Base;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.OperationOutcome;
import org.hl7.fhir.r5.model.Property;
import org.jspecify.annotations.Nullable;

/**
 * One searchset page per request, with {@code self}, {@code next} and {@code previous} links that
 * repeat the search's applied parameters plus {@value #CURSOR}, the store's keyset cursor (forward
 * after the page's last event, backward before its first). Nothing is held between pages, so any
 * server instance behind a load balancer can answer any link, and a page walk stays exact while new
 * events are indexed (the cursor is a position in the sort order, not an offset).
 */
public final class CursorPages {

  /** The parameter that carries the store cursor in paging links; opaque to clients. */
  public static final String CURSOR = "_cursor";

  /** {@code _total}: none, estimate or accurate; every answer carries the store's exact count. */
  static final String TOTAL = "_total";

  private CursorPages() {}

  static Bundle page(AuditEventSearch search, AuditQuery query, RequestDetails request) {
    return page(search, query, request, true);
  }

  /**
   * @param subsetEntries whether {@code _elements} is applied here; false leaves it to a face that
   *     subsets its own representation (the R4 base: R4 element names)
   */
  static Bundle page(
      AuditEventSearch search, AuditQuery query, RequestDetails request, boolean subsetEntries) {
    checkTotal(request);
    AuditPage page;
    try {
      page = search.search(query);
    } catch (IllegalArgumentException e) {
      // a cursor that is not ours, or one from a search with another sort order
      throw new InvalidRequestException(
          CURSOR + " is not valid for this search; start the search again");
    }
    String base = request.getFhirServerBase();
    Bundle b = new Bundle().setType(Bundle.BundleType.SEARCHSET);
    b.getMeta().setLastUpdated(new Date());
    // exact from both stores, so given even for _total=none (which lets a server omit it)
    b.setTotal((int) Math.min(Integer.MAX_VALUE, page.total()));
    // the resource type, not the request path: a POST .../_search gets GET-able links
    String searchUrl = base + "/" + request.getResourceName() + "?";
    Map<String, String[]> parameters = request.getParameters();
    // HAPI adds the self link: the request URL with the parameters applied (unknown ones removed)
    if (page.nextCursor() != null) {
      b.addLink()
          .setRelation(Bundle.LinkRelationTypes.NEXT)
          .setUrl(searchUrl + query(parameters, page.nextCursor()));
    }
    if (page.previousCursor() != null) {
      b.addLink()
          .setRelation(Bundle.LinkRelationTypes.PREVIOUS)
          .setUrl(searchUrl + query(parameters, page.previousCursor()));
    }
    List<String> elements = subsetEntries ? elements(request) : List.of();
    for (AuditEvent e : page.events()) {
      b.addEntry()
          .setFullUrl(base + "/AuditEvent/" + e.getIdPart())
          .setResource(elements.isEmpty() ? e : subset(e, elements))
          .getSearch()
          .setMode(Bundle.SearchEntryMode.MATCH);
    }
    @SuppressWarnings("unchecked")
    List<String> ignored =
        (List<String>) request.getUserData().get(UnknownParameterInterceptor.IGNORED);
    if (ignored != null && !ignored.isEmpty()) {
      OperationOutcome outcome = new OperationOutcome();
      outcome
          .addIssue()
          .setSeverity(OperationOutcome.IssueSeverity.WARNING)
          .setCode(OperationOutcome.IssueType.NOTSUPPORTED)
          .setDiagnostics(
              "unknown search parameter"
                  + (ignored.size() == 1 ? " " : "s ")
                  + String.join(", ", ignored)
                  + " ignored; send Prefer: handling=strict to have such a search refused");
      b.addEntry().setResource(outcome).getSearch().setMode(Bundle.SearchEntryMode.OUTCOME);
    }
    return b;
  }

  private static void checkTotal(RequestDetails request) {
    String[] values = request.getParameters().get(TOTAL);
    if (values != null
        && values.length > 0
        && !List.of("none", "estimate", "accurate").contains(values[0])) {
      throw new InvalidRequestException(
          TOTAL + " must be none, estimate or accurate: " + values[0]);
    }
  }

  /**
   * {@code _elements}: HAPI applies it to the entries of bundles it builds from a bundle provider,
   * but not to a Bundle a method returns, so the entries are subset here: id, meta and the named
   * top-level elements, tagged SUBSETTED as FHIR requires.
   */
  public static List<String> elements(RequestDetails request) {
    String[] values = request.getParameters().get(Constants.PARAM_ELEMENTS);
    if (request
        .getParameters()
        .containsKey(Constants.PARAM_ELEMENTS + Constants.PARAM_ELEMENTS_EXCLUDE_MODIFIER)) {
      throw new InvalidRequestException("_elements:exclude is not supported");
    }
    List<String> out = new ArrayList<>();
    if (values != null) {
      for (String v : values) {
        for (String name : v.split(",")) {
          String n = name.trim();
          if (n.startsWith("AuditEvent.")) {
            n = n.substring("AuditEvent.".length());
          }
          if (!n.isEmpty()) {
            out.add(n);
          }
        }
      }
    }
    return out;
  }

  private static AuditEvent subset(AuditEvent e, List<String> elements) {
    AuditEvent copy = new AuditEvent();
    copy.setIdElement(e.getIdElement().copy());
    copy.setMeta(e.getMeta().copy());
    for (String name : elements) {
      Property p = e.getNamedProperty(name);
      if (p == null) {
        throw new InvalidRequestException("_elements: AuditEvent has no element '" + name + "'");
      }
      for (Base value : p.getValues()) {
        copy.setProperty(p.getName(), value.copy());
      }
    }
    copy.getMeta()
        .addTag(CodeSystems.V3_OBSERVATION_VALUE, "SUBSETTED", "Resource encoded in summary mode");
    return copy;
  }

  /** The request's parameters with {@value #CURSOR} replaced by {@code cursor}. */
  private static String query(Map<String, String[]> parameters, @Nullable String cursor) {
    StringJoiner q = new StringJoiner("&");
    new TreeMap<>(parameters)
        .forEach(
            (name, values) -> {
              if (!name.equals(CURSOR)) {
                for (String v : values) {
                  q.add(encode(name) + "=" + encode(v));
                }
              }
            });
    if (cursor != null) {
      q.add(CURSOR + "=" + encode(cursor));
    }
    return q.toString();
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("%3A", ":").replace("%2C", ",");
  }
}
