package org.atnabridge.search.feed;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.atnabridge.schemas.Fhir;
import org.hl7.fhir.r5.model.AuditEvent;

/**
 * Content-derived ids for AuditEvents written to {@code audit.events} by the API: the first 40
 * lowercase hex digits of SHA-256 over {@value #DOMAIN}, NUL, the sender, NUL, and the event's
 * compact HAPI JSON without {@code id} and {@code meta} (both set or changed by the server: the id
 * here, {@code meta.lastUpdated}, {@code meta.source} = the authenticated client, labels).
 *
 * <p>The sender of a posted event is the authenticated client (the token's {@code sub}), so the
 * same event posted again by the same client (a retry) has the same id, and audit-streams keeps the
 * first one: later ones are dropped and counted as duplicates with transport {@code feed}. The same
 * content posted by another client is that client's event, with another id. The server's own
 * records (self-audit, alerts) have the sender {@code server}. The domain string keeps these ids
 * apart from the earlier ones (hash of the JSON alone, same shape).
 */
public final class FeedIds {

  static final String DOMAIN = "atna-bridge:posted-event:v2";

  private FeedIds() {}

  /**
   * The id of an event posted by {@code client} (the token's {@code sub}; empty when the API runs
   * without authentication).
   */
  public static String postedId(AuditEvent event, String client) {
    return id(event, "client:" + client);
  }

  /** The id of a record the server writes itself (self-audit, security alerts). */
  public static String contentId(AuditEvent event) {
    return id(event, "server");
  }

  private static String id(AuditEvent event, String sender) {
    AuditEvent canonical = event.copy();
    canonical.setId((String) null);
    canonical.setMeta(null);
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(DOMAIN.getBytes(StandardCharsets.US_ASCII));
      sha.update((byte) 0);
      sha.update(sender.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      return HexFormat.of()
          .formatHex(sha.digest(Fhir.toJson(canonical).getBytes(StandardCharsets.UTF_8)), 0, 20);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }
}
