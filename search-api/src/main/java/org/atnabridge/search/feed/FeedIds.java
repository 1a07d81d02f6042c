package org.atnabridge.search.feed;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.atnabridge.schemas.Fhir;
import org.hl7.fhir.r5.model.AuditEvent;

/**
 * Content-derived ids for posted AuditEvents: the first 40 hex digits of SHA-256 over the event's
 * compact HAPI JSON with {@code id} and {@code meta.versionId/lastUpdated/source} removed (what a
 * client or server may change on a retry). The same event posted twice gets the same id, so a
 * retry updates instead of duplicating (architecture.md, "Idempotent").
 */
public final class FeedIds {

  private FeedIds() {}

  public static String contentId(AuditEvent event) {
    AuditEvent canonical = event.copy();
    canonical.setId((String) null);
    if (canonical.hasMeta()) {
      canonical.getMeta().setVersionIdElement(null).setLastUpdatedElement(null).setSourceElement(null);
      if (canonical.getMeta().isEmpty()) {
        canonical.setMeta(null);
      }
    }
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256")
          .digest(Fhir.toJson(canonical).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 20);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }
}
