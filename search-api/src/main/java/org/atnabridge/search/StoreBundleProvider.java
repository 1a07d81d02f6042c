package org.atnabridge.search;

import ca.uhn.fhir.rest.api.server.IBundleProvider;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.atnabridge.store.AuditEventSearch;
import org.atnabridge.store.AuditPage;
import org.atnabridge.store.AuditQuery;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r5.model.InstantType;
import org.jspecify.annotations.Nullable;

/**
 * The results of one search, fetched from the store page by page on demand: it holds the query,
 * never a result list, so a search over millions of events costs one page of heap.
 *
 * <p>Offsets requested by HAPI's paging are reached by walking the store's cursors; the common
 * case (the next page) costs one store query.
 */
final class StoreBundleProvider implements IBundleProvider {

  private final AuditEventSearch search;
  private final AuditQuery query;
  private final InstantType published = InstantType.now();
  private @Nullable Integer size;

  StoreBundleProvider(AuditEventSearch search, AuditQuery query) {
    this.search = search;
    this.query = query;
  }

  @Override
  public IPrimitiveType<Date> getPublished() {
    return published;
  }

  @Override
  public List<IBaseResource> getResources(int fromIndex, int toIndex) {
    List<IBaseResource> out = new ArrayList<>();
    int position = 0;
    String cursor = null;
    int pageSize = query.limit();
    while (position < toIndex) {
      AuditPage page = search.search(query.toBuilder().cursor(cursor).limit(pageSize).build());
      size = (int) Math.min(Integer.MAX_VALUE, page.total());
      for (var event : page.events()) {
        if (position >= fromIndex && position < toIndex) {
          out.add(event);
        }
        position++;
      }
      cursor = page.nextCursor();
      if (cursor == null || page.events().isEmpty()) {
        break;
      }
    }
    return out;
  }

  @Override
  public @Nullable String getUuid() {
    return null;
  }

  @Override
  public Integer preferredPageSize() {
    return query.limit();
  }

  @Override
  public Integer size() {
    if (size == null) {
      size = (int) Math.min(Integer.MAX_VALUE, search.search(query.toBuilder().limit(1).cursor(null).build()).total());
    }
    return size;
  }
}
