package org.atnabridge.schemas;

/** Headers on {@link Topics#AUDIT_EVENTS} records. Values are UTF-8 strings. */
public final class EventHeaders {

  /**
   * Set by the audit-streams application on every event it writes here (converted from {@code
   * atna.raw} or taken from {@code audit.posted}): it enriched and chained that event into {@code
   * audit.enriched} in the same transaction. Value: the application id. A record without it was
   * posted here directly by an API from before {@code audit.posted}; the application hands such
   * records it had not read yet over to {@code audit.posted} once, when it is upgraded.
   */
  public static final String CHAINED_BY = "atna.chained-by";

  private EventHeaders() {}
}
