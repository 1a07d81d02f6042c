package org.atnabridge.schemas.chain;

import java.time.Instant;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.BaseDateTimeType;
import org.hl7.fhir.r5.model.Extension;
import org.jspecify.annotations.Nullable;

/**
 * When the repository received an event, the time a {@code verify} window selects by: the chain
 * runs in arrival order, while {@code recorded} is the sender's clock (a sender may send events
 * recorded years ago). It is the {@code received-at} part of the {@value #RAW_RECEIPT} extension
 * (the instant the syslog listener read the frame's last octet), covered by the event's hash; an
 * event without one (posted through the FHIR API: Feed, self-audit, Security Alerts) is taken as
 * received when it was {@code recorded}, which for the repository's own records is its own clock.
 */
public final class ReceiptTime {

  /** The extension the converter records the receipt in. */
  public static final String RAW_RECEIPT = org.atnabridge.schemas.vocab.Extensions.RAW_RECEIPT;

  /** Its part with the receive instant. */
  public static final String RECEIVED_AT = "received-at";

  private ReceiptTime() {}

  /** The receipt time of the event, or null when it has neither a receipt nor {@code recorded}. */
  public static @Nullable Instant of(AuditEvent event) {
    Instant received = receivedAt(event);
    if (received != null) {
      return received;
    }
    return event.hasRecorded() ? event.getRecorded().toInstant() : null;
  }

  /** The {@code received-at} of the event's receipt extension, or null when it has none. */
  public static @Nullable Instant receivedAt(AuditEvent event) {
    Extension receipt = event.getExtensionByUrl(RAW_RECEIPT);
    if (receipt != null) {
      Extension at = receipt.getExtensionByUrl(RECEIVED_AT);
      if (at != null && at.getValue() instanceof BaseDateTimeType t && t.getValue() != null) {
        return t.getValue().toInstant();
      }
    }
    return null;
  }

  /** Whether the event was received in [from, to) (either end open when null). */
  public static boolean within(AuditEvent event, @Nullable Instant from, @Nullable Instant to) {
    Instant at = of(event);
    return at != null && (from == null || !at.isBefore(from)) && (to == null || at.isBefore(to));
  }
}
