package org.atnabridge.streams.accesslog;

import java.time.Instant;
import java.util.Arrays;
import org.atnabridge.atna.syslog.SyslogHeaderParser;
import org.atnabridge.atna.syslog.SyslogRecord;
import org.jspecify.annotations.Nullable;

/**
 * The access log line a syslog frame carries as MSG, and the frame's HOSTNAME (RFC 5424 §6.2.4, RFC
 * 3164 §4.1.2): nginx's {@code access_log syslog:} writes one line per RFC 3164 message. The header
 * is read by the ATNA path's parser, which accepts any frame (a frame without a header is all MSG).
 *
 * @param hostname HOSTNAME, null when absent or the RFC 5424 NILVALUE
 * @param line the MSG octets
 */
record SyslogWrappedLine(@Nullable String hostname, byte[] line) {

  static SyslogWrappedLine of(byte[] frame, Instant receivedAt) {
    SyslogRecord header = SyslogHeaderParser.parse(frame, receivedAt);
    String host = header.hostname();
    int msg = Math.min(header.msgOffset(), frame.length);
    return new SyslogWrappedLine(
        host == null || host.isEmpty() || host.equals("-") ? null : host,
        Arrays.copyOfRange(frame, msg, frame.length));
  }
}
