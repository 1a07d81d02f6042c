package org.atnabridge.ingest.netty;

import io.netty.channel.Channel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.atnabridge.ingest.netty.ListenerMetrics.RejectReason;
import org.jspecify.annotations.Nullable;

/**
 * Caps the open connections of one listener, in total and per peer IP address, so that a flood of
 * (idle) connections from one sender or many cannot exhaust file descriptors or memory. A
 * connection over a cap is closed right after it is accepted, before any handler reads from it.
 */
public final class ConnectionLimits {

  private final int maxConnections;
  private final int maxPerPeer;
  private final AtomicInteger open = new AtomicInteger();
  private final ConcurrentHashMap<InetAddress, AtomicInteger> perPeer = new ConcurrentHashMap<>();

  public ConnectionLimits(int maxConnections, int maxPerPeer) {
    this.maxConnections = maxConnections;
    this.maxPerPeer = maxPerPeer;
  }

  /** The live count, for the open-connections gauge. */
  public AtomicInteger open() {
    return open;
  }

  /**
   * Counts the channel in and arranges for it to be counted out when it closes; returns the reason
   * when it is over a cap (and then counts nothing).
   */
  @Nullable RejectReason admit(Channel ch) {
    if (open.incrementAndGet() > maxConnections) {
      open.decrementAndGet();
      return RejectReason.TOO_MANY_CONNECTIONS;
    }
    InetAddress peer =
        ch.remoteAddress() instanceof InetSocketAddress inet ? inet.getAddress() : null;
    if (peer != null) {
      AtomicInteger n =
          perPeer.compute(
              peer,
              (k, v) -> {
                AtomicInteger c = v == null ? new AtomicInteger() : v;
                c.incrementAndGet();
                return c;
              });
      if (n.get() > maxPerPeer) {
        release(peer);
        return RejectReason.TOO_MANY_FROM_PEER;
      }
    }
    ch.closeFuture().addListener(f -> release(peer));
    return null;
  }

  private void release(@Nullable InetAddress peer) {
    open.decrementAndGet();
    if (peer != null) {
      perPeer.computeIfPresent(peer, (k, v) -> v.decrementAndGet() == 0 ? null : v);
    }
  }
}
