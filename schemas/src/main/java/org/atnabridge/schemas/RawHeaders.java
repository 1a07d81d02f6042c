package org.atnabridge.schemas;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;

/**
 * Headers that ingest puts on every {@link Topics#ATNA_RAW} record. Values are UTF-8 strings. The
 * record value itself is the frame's bytes exactly as received (for octet-counted TCP: without the
 * {@code MSG-LEN SP} prefix, RFC 6587 §3.4.1). The record key is the sender's IP address without
 * port (UTF-8), so that one sender's messages stay in one partition, in order.
 */
public final class RawHeaders {

  /** Transport the frame arrived on: one of {@code tcp}, {@code udp}, {@code tls}, {@code http}. */
  public static final String TRANSPORT = "atna.transport";

  /** Peer socket address, {@code host:port} (IPv6 in brackets). */
  public static final String PEER = "atna.peer";

  /**
   * Receive time as ISO-8601 UTC instant; ingest writes microsecond precision ({@code
   * 2026-01-02T03:04:05.123456Z}), older records carry milliseconds. {@link
   * java.time.Instant#parse} reads both.
   */
  public static final String RECEIVED_AT = "atna.received-at";

  /** The listener that received the frame, e.g. {@code syslog-tcp:5514}. */
  public static final String LISTENER = "atna.listener";

  /**
   * How the frame was delimited: {@code octet-counting} or {@code non-transparent} (TCP/TLS, RFC
   * 6587 §3.4), or {@code datagram} (UDP, RFC 5426: one message per datagram).
   */
  public static final String FRAMING = "atna.framing";

  /** TLS: subject DN of the authenticated client certificate (RFC 2253 form). */
  public static final String PEER_CERT_SUBJECT = "atna.peer-cert-subject";

  /**
   * {@link Topics#ACCESSLOG_RAW}: the name of the access log source the line comes from (a source
   * declared in {@code --access-log-sources}, else the default source applies). Syslog intake sets
   * the APP-NAME (RFC 5424) or TAG (RFC 3164); HTTP intake the {@code source} query parameter;
   * shippers writing to Kafka set it themselves.
   */
  public static final String ACCESS_LOG_SOURCE = "accesslog.source";

  private RawHeaders() {}

  public static void put(Headers headers, String name, String value) {
    headers.remove(name);
    headers.add(name, value.getBytes(StandardCharsets.UTF_8));
  }

  public static @Nullable String get(Headers headers, String name) {
    Header h = headers.lastHeader(name);
    return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
