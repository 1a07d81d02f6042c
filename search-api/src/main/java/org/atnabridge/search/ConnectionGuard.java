package org.atnabridge.search;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.thread.Scheduler;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Jetty has no setting for: a per-address connection limit, and a deadline for a complete
 * request header however slowly its bytes trickle (the idle timeout restarts with every byte).
 * Registered on the connector as a connection listener and on the HTTP configuration as a
 * customizer, which Jetty calls once a request's header is complete.
 */
final class ConnectionGuard implements Connection.Listener, HttpConfiguration.Customizer {

  private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);

  private final ListenerSettings settings;
  private final Map<InetAddress, Integer> open = new ConcurrentHashMap<>();
  private final Map<Connection, Scheduler.Task> deadlines = new ConcurrentHashMap<>();
  private final Map<Connection, InetAddress> counted = new ConcurrentHashMap<>();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong cut = new AtomicLong();

  ConnectionGuard(ListenerSettings settings) {
    this.settings = settings;
  }

  @Override
  public void onOpened(Connection connection) {
    if (!(connection instanceof ConnectionMetaData http)) {
      return; // TLS: only the HTTP connection on the decrypted side is counted, not its
      // SslConnection
    }
    InetAddress address = address(connection);
    if (address != null && !admit(address)) {
      refused.incrementAndGet();
      LOG.debug("connection from {} over --http-max-connections-per-address: closed", address);
      connection.getEndPoint().close();
      return;
    }
    if (address != null) {
      counted.put(connection, address); // a closed socket no longer tells its peer
    }
    arm(http);
  }

  @Override
  public void onClosed(Connection connection) {
    if (!(connection instanceof ConnectionMetaData)) {
      return;
    }
    disarm(connection);
    InetAddress address = counted.remove(connection);
    if (address != null) {
      open.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
    }
  }

  /**
   * The header is complete: the deadline is met; the next one starts when this response is done.
   */
  @Override
  public Request customize(Request request, HttpFields.Mutable responseHeaders) {
    ConnectionMetaData http = request.getConnectionMetaData();
    disarm(http.getConnection());
    Request.addCompletionListener(request, failure -> arm(http));
    return request;
  }

  private boolean admit(InetAddress address) {
    boolean[] admitted = {false};
    open.compute(
        address,
        (a, n) -> {
          int count = n == null ? 0 : n;
          if (count >= settings.maxConnectionsPerAddress()) {
            return n;
          }
          admitted[0] = true;
          return count + 1;
        });
    return admitted[0];
  }

  int open() {
    return open.values().stream().mapToInt(Integer::intValue).sum();
  }

  long refused() {
    return refused.get();
  }

  long cut() {
    return cut.get();
  }

  private void arm(ConnectionMetaData http) {
    Connection connection = http.getConnection();
    if (!connection.getEndPoint().isOpen()) {
      return;
    }
    Scheduler.Task task =
        http.getConnector()
            .getScheduler()
            .schedule(
                () -> expire(connection),
                settings.headerTimeout().toMillis(),
                TimeUnit.MILLISECONDS);
    Scheduler.Task earlier = deadlines.put(connection, task);
    if (earlier != null) {
      earlier.cancel();
    }
  }

  private void disarm(Connection connection) {
    Scheduler.Task task = deadlines.remove(connection);
    if (task != null) {
      task.cancel();
    }
  }

  private void expire(Connection connection) {
    if (deadlines.remove(connection) != null && connection.getEndPoint().isOpen()) {
      cut.incrementAndGet();
      LOG.debug(
          "no complete request header within --http-header-timeout from {}: closed",
          connection.getEndPoint().getRemoteSocketAddress());
      connection.getEndPoint().close();
    }
  }

  private static @Nullable InetAddress address(Connection connection) {
    SocketAddress remote = connection.getEndPoint().getRemoteSocketAddress();
    return remote instanceof InetSocketAddress inet ? inet.getAddress() : null;
  }
}
