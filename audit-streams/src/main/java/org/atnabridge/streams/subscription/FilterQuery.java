package org.atnabridge.streams.subscription;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.hl7.fhir.r5.model.Subscription.SubscriptionFilterByComponent;

/**
 * {@code Subscription.filterBy} as the query string of the AuditEvent search it means (FHIR R5
 * Subscription: a filter is a search parameter with its modifier, comparator and value): {@code
 * filterParameter[:modifier]=[comparator]value}, entries joined by {@code &} (AND, as repeated
 * search parameters are). The value is passed as written, so a comma separates alternatives exactly
 * as it does in a search.
 */
final class FilterQuery {

  private FilterQuery() {}

  /** The query string; empty when there is no filter. */
  static String of(List<SubscriptionFilterByComponent> filters) {
    StringBuilder q = new StringBuilder();
    for (SubscriptionFilterByComponent f : filters) {
      String name = f.getFilterParameter();
      if (f.hasModifier()) {
        name = name + ":" + f.getModifierElement().getValueAsString();
      }
      String value = f.getValue();
      // a comparator is a search prefix (ge2026-01-01); eq is what a bare value means
      if (f.hasComparator() && !"eq".equals(f.getComparatorElement().getValueAsString())) {
        value = f.getComparatorElement().getValueAsString() + value;
      }
      if (q.length() > 0) {
        q.append('&');
      }
      q.append(encode(name)).append('=').append(encode(value));
    }
    return q.toString();
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
