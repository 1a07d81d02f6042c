package org.atnabridge.schemas;

/** Headers on {@link Topics#AUDIT_EVENTS} records. Values are UTF-8 strings. */
public final class EventHeaders {

  /**
   * Set by the audit-streams application on every event it converted from {@code atna.raw}: it
   * enriched and chained that event into {@code audit.enriched} in the same transaction as it
   * wrote it here, so its {@code audit.events} → enrich path skips the record. Value: the
   * application id. Records without it (FHIR-posted events, the API's self-audit) are enriched and
   * chained when read from {@code audit.events}.
   */
  public static final String CHAINED_BY = "atna.chained-by";

  private EventHeaders() {}
}
