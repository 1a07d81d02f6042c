package org.atnabridge.search;

import org.atnabridge.store.AuditQuery;

/**
 * Settings of the FHIR search API, validated when built so that a bad value stops the server at
 * start with the setting's name rather than failing requests later.
 *
 * @param defaultPageSize {@code _count} when the client gives none (FHIR leaves it to the server)
 * @param maxPageSize the largest page; a larger {@code _count} is clamped to it, as FHIR allows
 * @param requireDateWindow ITI-81 consumers must send both a lower and an upper {@code date}
 *     bound; when on, an AuditEvent search without both is refused with 400, which keeps an
 *     unbounded scan of the whole audit trail from being a single request away
 */
public record ApiSettings(int defaultPageSize, int maxPageSize, boolean requireDateWindow) {

  /** {@code _count} 50 by default, at most 1000, no date-window rule. */
  public static final ApiSettings DEFAULTS = new ApiSettings(50, AuditQuery.MAX_LIMIT, false);

  public ApiSettings {
    if (maxPageSize < 1 || maxPageSize > AuditQuery.MAX_LIMIT) {
      throw new IllegalArgumentException("maxPageSize must be 1.." + AuditQuery.MAX_LIMIT + ": " + maxPageSize);
    }
    if (defaultPageSize < 1 || defaultPageSize > maxPageSize) {
      throw new IllegalArgumentException("defaultPageSize must be 1..maxPageSize (" + maxPageSize + "): "
          + defaultPageSize);
    }
  }

  public ApiSettings withRequireDateWindow(boolean v) {
    return new ApiSettings(defaultPageSize, maxPageSize, v);
  }
}
