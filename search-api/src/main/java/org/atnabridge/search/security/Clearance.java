package org.atnabridge.search.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.atnabridge.store.AccessRestrictions;

/**
 * Label clearance on the v3-Confidentiality scale U &lt; L &lt; M &lt; N &lt; R &lt; V. A caller
 * cleared for some codes sees events labelled up to the highest of them; events carrying a
 * confidentiality code above it are invisible. A token without the claim is cleared for {@link
 * #DEFAULT} (N): restricted (R) and very restricted (V) events need an explicit clearance. The
 * scale and the rule are {@link AccessRestrictions}', shared with the Subscription matcher.
 */
public final class Clearance {

  static final List<String> LEVELS = AccessRestrictions.LEVELS;
  public static final String DEFAULT = AccessRestrictions.DEFAULT_CLEARANCE;

  private Clearance() {}

  /** Upper-cased known codes; an unknown code is refused so that a typo never widens access. */
  public static Set<String> parse(String commaSeparated) {
    List<String> out = new ArrayList<>();
    for (String part : commaSeparated.split(",")) {
      String code = part.trim().toUpperCase(Locale.ROOT);
      if (code.isEmpty()) {
        continue;
      }
      if (!LEVELS.contains(code)) {
        throw new IllegalArgumentException(
            "label clearance must be among " + LEVELS + ", got: " + part.trim());
      }
      out.add(code);
    }
    return Set.copyOf(out);
  }

  /** The confidentiality codes above the highest code the caller is cleared for. */
  public static List<String> above(Set<String> clearance) {
    return AccessRestrictions.above(clearance);
  }
}
