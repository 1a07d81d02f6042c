package org.atnabridge.ingest;

import java.time.Instant;
import java.util.Objects;

/**
 * One syslog frame exactly as received, plus what the listener knew about it. The payload is the
 * frame without its transport framing (RFC 6587: no {@code MSG-LEN SP} prefix, no trailer) and is
 * never parsed or re-encoded here; it becomes the {@code atna.raw} record value and the other
 * components become {@link org.atnabridge.schemas.RawHeaders}.
 *
 * <p>The payload array is owned by the message once constructed: callers must not modify it.
 *
 * @param payload the frame's octets
 * @param transport {@code tcp}, {@code udp}, {@code tls} or {@code http}
 * @param peer sender's socket address as {@code host:port} (IPv6 in brackets)
 * @param receivedAt when the frame's last octet was read
 * @param listener id of the receiving listener, e.g. {@code syslog-tcp:5514}
 * @param framing {@code octet-counting} or {@code non-transparent} (RFC 6587 §3.4)
 */
public record RawMessage(byte[] payload, String transport, String peer, Instant receivedAt, String listener,
    String framing) {

  public RawMessage {
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(peer, "peer");
    Objects.requireNonNull(receivedAt, "receivedAt");
    Objects.requireNonNull(listener, "listener");
    Objects.requireNonNull(framing, "framing");
  }

  /** Never prints the payload: it carries PHI. */
  @Override
  public String toString() {
    return "RawMessage[" + payload.length + " octets, transport=" + transport + ", peer=" + peer + ", receivedAt="
        + receivedAt + ", listener=" + listener + ", framing=" + framing + "]";
  }
}
