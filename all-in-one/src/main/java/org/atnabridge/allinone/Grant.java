package org.atnabridge.allinone;

import java.util.Set;
import org.atnabridge.search.security.Clearance;
import org.atnabridge.search.security.SmartScopes;
import org.jspecify.annotations.Nullable;

/**
 * What a locally minted credential grants ({@code token}, {@code login-link}): who, with which
 * SMART scopes and label clearance. One validation for both commands, so a scope or subject one
 * refuses is refused by the other too.
 */
record Grant(String subject, String scope, Set<String> clearance) {

  /** The options validated and trimmed; a bad one fails naming the option. */
  static Grant of(String scope, @Nullable String subject, @Nullable String labelClearance) {
    if (scope.isBlank()) {
      throw new IllegalArgumentException("--scope is empty");
    }
    SmartScopes.firstInvalid(scope)
        .ifPresent(
            bad -> {
              throw new IllegalArgumentException("--scope " + bad);
            });
    if (subject == null || subject.isBlank()) {
      throw new IllegalArgumentException("--sub is empty");
    }
    Set<String> clearance = labelClearance == null ? Set.of() : Clearance.parse(labelClearance);
    return new Grant(subject.trim(), scope.trim(), clearance);
  }
}
