package org.atnabridge.ingest.netty;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import org.jspecify.annotations.Nullable;

/** Formats a peer for the {@code atna.peer} header: {@code host:port}, IPv6 in brackets, no DNS lookup. */
final class PeerAddress {

  private PeerAddress() {}

  static String format(@Nullable SocketAddress address) {
    if (address instanceof InetSocketAddress inet) {
      if (inet.getAddress() == null) {
        return inet.getHostString() + ":" + inet.getPort();
      }
      String host = inet.getAddress().getHostAddress();
      return (inet.getAddress() instanceof Inet6Address ? "[" + host + "]" : host) + ":" + inet.getPort();
    }
    return String.valueOf(address);
  }
}
