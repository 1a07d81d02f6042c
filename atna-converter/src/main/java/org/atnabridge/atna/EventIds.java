package org.atnabridge.atna;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The id of the AuditEvents made from one audit message: the first 40 lowercase hex digits of
 * SHA-256 over {@value #DOMAIN}, NUL, the {@linkplain #sender sender}, NUL, and the audit message
 * (the syslog MSG part, RFC 5424 §6.4: the XML, without BOM and surrounding white space). The
 * syslog header (timestamp, hostname, procid, …) is not part of it, so a sender that retries the
 * same audit message with a fresh header makes the same id, and so does a replay of the frame over
 * another transport from the same address; the pipeline keeps the first receipt. The same message
 * from another address is another sender's event, with another id. The domain string keeps these
 * ids apart from the earlier SHA-256-of-the-frame ids.
 */
public final class EventIds {

  /** Hashed first: a new derivation gets a new domain, so its ids never equal older ones. */
  static final String DOMAIN = "atna-bridge:audit-message:v2";

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private EventIds() {}

  /**
   * @param message the frame; {@code [start, end)} is its audit message
   * @param peer the sender's socket address as ingest recorded it ({@code host:port}, IPv6 in
   *     brackets), or null when unknown
   */
  public static String of(byte[] message, int start, int end, @Nullable String peer) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(DOMAIN.getBytes(StandardCharsets.US_ASCII));
      sha.update((byte) 0);
      sha.update(sender(peer).getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(message, start, end - start);
      return HexFormat.of().formatHex(sha.digest(), 0, 20);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is mandatory in every JDK", e);
    }
  }

  /**
   * The sender of a message: the IP address of the peer, without the port (a sender's source port
   * changes with every connection, and UDP datagrams may come from any port). IPv6 in its canonical
   * text form, an IPv4-mapped IPv6 address as IPv4 (a dual-stack listener reports IPv4 peers so).
   * The transport is not part of it: the same message from the same address over UDP after TLS is a
   * replay, not a new event. An empty string when the peer is unknown.
   */
  public static String sender(@Nullable String peer) {
    if (peer == null || peer.isBlank()) {
      return "";
    }
    String host = peer.strip();
    if (host.startsWith("[")) {
      int close = host.indexOf(']');
      host = close < 0 ? host.substring(1) : host.substring(1, close);
    } else if (host.indexOf(':') == host.lastIndexOf(':') && host.indexOf(':') >= 0) {
      host = host.substring(0, host.indexOf(':')); // host:port (one colon: not bare IPv6)
    }
    if (host.indexOf(':') >= 0 || IPV4.matcher(host).matches()) {
      try {
        // a literal (it has a colon or is dotted decimal): parsed, never looked up in DNS
        return InetAddress.getByName(host).getHostAddress();
      } catch (UnknownHostException e) {
        return host;
      }
    }
    return host;
  }
}
