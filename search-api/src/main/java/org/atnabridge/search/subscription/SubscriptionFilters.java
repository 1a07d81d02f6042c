package org.atnabridge.search.subscription;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.StringJoiner;
import org.hl7.fhir.r5.model.Subscription;

/**
 * A Subscription's {@code filterBy} as the AuditEvent search query string it means: each entry
 * {@code filterParameter[:modifier]=value}, joined with {@code &} (several entries, even of one
 * parameter, are AND as in a search). The matcher evaluates exactly this string with the store's
 * search semantics.
 */
public final class SubscriptionFilters {

  private SubscriptionFilters() {}

  /** The query string; empty when the subscription has no filter. */
  public static String queryString(Subscription s) {
    StringJoiner q = new StringJoiner("&");
    for (Subscription.SubscriptionFilterByComponent f : s.getFilterBy()) {
      String name = f.getFilterParameter();
      if (f.hasModifier()) {
        name += ":" + f.getModifier().toCode();
      }
      q.add(encode(name) + "=" + encode(f.getValue()));
    }
    return q.toString();
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
