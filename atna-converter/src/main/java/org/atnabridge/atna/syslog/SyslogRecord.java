package org.atnabridge.atna.syslog;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A syslog header as read from the wire plus where its MSG starts. Header fields holding NILVALUE
 * ({@code -}) are null.
 *
 * @param format which header was found
 * @param facility PRI facility (0..23), null without PRI
 * @param severity PRI severity (0..7), null without PRI
 * @param rawTimestamp TIMESTAMP exactly as sent
 * @param timestamp the parsed timestamp, null when absent or invalid
 * @param hostname HOSTNAME
 * @param appName APP-NAME (RFC 5424) or TAG (RFC 3164)
 * @param procId PROCID (RFC 5424) or the {@code [pid]} of an RFC 3164 TAG
 * @param msgId MSGID
 * @param rawStructuredData STRUCTURED-DATA exactly as sent, null for NILVALUE
 * @param structuredData parsed SD-ELEMENTs with unescaped values (RFC 5424 §6.3.3)
 * @param msgOffset index of the first MSG octet in the frame (after a BOM, if any)
 * @param flags irregularities that were tolerated
 */
public record SyslogRecord(
    SyslogFormat format,
    @Nullable Integer facility,
    @Nullable Integer severity,
    @Nullable String rawTimestamp,
    @Nullable OffsetDateTime timestamp,
    @Nullable String hostname,
    @Nullable String appName,
    @Nullable String procId,
    @Nullable String msgId,
    @Nullable String rawStructuredData,
    List<SdElement> structuredData,
    int msgOffset,
    Set<SyslogFlag> flags) {

  public SyslogRecord {
    structuredData = List.copyOf(structuredData);
    flags = Set.copyOf(flags);
  }

  /** One {@code [SD-ID param="value" …]} element. */
  public record SdElement(String id, List<SdParam> params) {
    public SdElement {
      params = List.copyOf(params);
    }
  }

  /** One SD-PARAM; {@code value} has its {@code \"}, {@code \\} and {@code \]} escapes removed. */
  public record SdParam(String name, String value) {}
}
