package org.atnabridge.search;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Map;
import java.util.StringJoiner;
import org.atnabridge.store.AuditEventSearch;
import org.atnabridge.store.AuditPage;
import org.atnabridge.store.AuditQuery;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Bundle;
import org.jspecify.annotations.Nullable;

/**
 * One searchset page per request, with a {@code next} link that repeats the search's own
 * parameters plus {@value #CURSOR}, the store's keyset cursor. Nothing is held between pages, so
 * any server instance behind a load balancer can answer a next link, and a page walk stays exact
 * while new events are indexed (the cursor is a position in the sort order, not an offset).
 * A {@code previous} link is not offered: store cursors only go forward.
 */
final class CursorPages {

  /** The parameter that carries the store cursor in next links; opaque to clients. */
  static final String CURSOR = "_cursor";

  private CursorPages() {}

  static Bundle page(AuditEventSearch search, AuditQuery query, RequestDetails request) {
    AuditPage page;
    try {
      page = search.search(query);
    } catch (IllegalArgumentException e) {
      // a cursor that is not ours, or one from a search with another sort order
      throw new InvalidRequestException(CURSOR + " is not valid for this search; start the search again");
    }
    String base = request.getFhirServerBase();
    Bundle b = new Bundle().setType(Bundle.BundleType.SEARCHSET);
    b.getMeta().setLastUpdated(new Date());
    b.setTotal((int) Math.min(Integer.MAX_VALUE, page.total()));
    // the resource type, not the request path: a POST .../_search gets GET-able links
    String searchUrl = base + "/" + request.getResourceName();
    b.addLink().setRelation(Bundle.LinkRelationTypes.SELF).setUrl(searchUrl + "?" + query(request.getParameters(), query.cursor()));
    if (page.nextCursor() != null && !page.events().isEmpty()) {
      b.addLink().setRelation(Bundle.LinkRelationTypes.NEXT)
          .setUrl(searchUrl + "?" + query(request.getParameters(), page.nextCursor()));
    }
    for (AuditEvent e : page.events()) {
      b.addEntry().setFullUrl(base + "/AuditEvent/" + e.getIdPart()).setResource(e)
          .getSearch().setMode(Bundle.SearchEntryMode.MATCH);
    }
    return b;
  }

  /** The request's parameters with {@value #CURSOR} replaced by {@code cursor}. */
  private static String query(Map<String, String[]> parameters, @Nullable String cursor) {
    StringJoiner q = new StringJoiner("&");
    parameters.forEach((name, values) -> {
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
