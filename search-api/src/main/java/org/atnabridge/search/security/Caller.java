package org.atnabridge.search.security;

import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Who is calling, as the validated token says.
 *
 * @param subject the token's {@code sub}; the self-audit records name it as the user agent
 * @param scopes the granted SMART scopes
 * @param patient the patient of a {@code patient/} scope (claim {@code patient} or the configured
 *     one), or null
 * @param clearance v3-Confidentiality codes the caller is cleared for (e.g. V, R); empty = the
 *     default clearance ({@link Clearance#DEFAULT})
 * @param tokenId the token's {@code jti}, or null
 */
public record Caller(
    String subject,
    SmartScopes scopes,
    @Nullable String patient,
    Set<String> clearance,
    @Nullable String tokenId) {

  public Caller {
    clearance = Set.copyOf(clearance);
  }
}
