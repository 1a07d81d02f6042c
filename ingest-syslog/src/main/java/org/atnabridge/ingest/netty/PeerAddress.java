package org.atnabridge.ingest.netty;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import org.jspecify.annotations.Nullable;

/**
 * Formats a peer without DNS lookup: {@code host:port}, IPv6 in brackets (the {@code atna.peer}
 * header).
 */
final class PeerAddress {

  private PeerAddress() {}

  static String format(@Nullable SocketAddress address) {
    if (address instanceof InetSocketAddress inet) {
      if (inet.getAddress() == null) {
        return inet.getHostString() + ":" + inet.getPort();
      }
      String host = inet.getAddress().getHostAddress();
      return (inet.getAddress() instanceof Inet6Address ? "[" + host + "]" : host)
          + ":"
          + inet.getPort();
    }
    return String.valueOf(address);
  }

  /** The IP address alone (the record key), or the address's text when it is not an IP socket. */
  static String host(@Nullable SocketAddress address) {
    if (address instanceof InetSocketAddress inet) {
      return inet.getAddress() == null ? inet.getHostString() : inet.getAddress().getHostAddress();
    }
    return String.valueOf(address);
  }

  static int port(@Nullable SocketAddress address) {
    return address instanceof InetSocketAddress inet ? inet.getPort() : 0;
  }
}
