package org.atnabridge.ingest;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One syslog frame exactly as received, plus what the listener knew about it. The payload is the
 * frame without its transport framing (RFC 6587: no {@code MSG-LEN SP} prefix, no trailer; RFC
 * 5426: the datagram) and is never parsed or re-encoded here; it becomes the {@code atna.raw}
 * record value, the peer's IP address its key, and the other components {@link
 * org.atnabridge.schemas.RawHeaders}.
 *
 * <p>The payload array is owned by the message once constructed: callers must not modify it.
 *
 * @param payload the frame's octets
 * @param transport {@code tcp}, {@code udp}, {@code tls} or {@code http}
 * @param peerAddress the sender's IP address, no brackets, no DNS lookup
 * @param peerPort the sender's port
 * @param receivedAt when the frame's last octet was read (microsecond resolution on Linux)
 * @param listener id of the receiving listener, e.g. {@code syslog-tcp:5514}
 * @param framing {@code octet-counting}, {@code non-transparent} (RFC 6587 §3.4) or {@code
 *     datagram}
 * @param peerCertSubject TLS: RFC 2253 subject of the peer's verified certificate, else null
 */
public record RawMessage(
    byte[] payload,
    String transport,
    String peerAddress,
    int peerPort,
    Instant receivedAt,
    String listener,
    String framing,
    @Nullable String peerCertSubject) {

  public RawMessage {
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(peerAddress, "peerAddress");
    Objects.requireNonNull(receivedAt, "receivedAt");
    Objects.requireNonNull(listener, "listener");
    Objects.requireNonNull(framing, "framing");
  }

  /** {@code host:port}, IPv6 in brackets: the {@code atna.peer} header. */
  public String peer() {
    return (peerAddress.indexOf(':') >= 0 ? "[" + peerAddress + "]" : peerAddress) + ":" + peerPort;
  }

  /** Never prints the payload: it carries PHI. */
  @Override
  public String toString() {
    return "RawMessage["
        + payload.length
        + " octets, transport="
        + transport
        + ", peer="
        + peer()
        + ", receivedAt="
        + receivedAt
        + ", listener="
        + listener
        + ", framing="
        + framing
        + (peerCertSubject == null ? "" : ", peerCertSubject=" + peerCertSubject)
        + "]";
  }
}
