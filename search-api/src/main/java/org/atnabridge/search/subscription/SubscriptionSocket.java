package org.atnabridge.search.subscription;

import java.nio.ByteBuffer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.hl7.fhir.r5.model.OperationOutcome;
import org.jspecify.annotations.Nullable;

/**
 * One client's websocket at {@code /fhir/websocket}. It takes {@code bind-with-token <token>}
 * (several, one per subscription) and is sent handshake, event-notification and heartbeat Bundles,
 * or an OperationOutcome for a message refused. A client that cannot keep up ({@link
 * SubscriptionSockets#MAX_OUTGOING_FRAMES} waiting) is closed: it catches up with {@code $events}.
 * The token is never logged. Public for Jetty, which calls its methods by method handles.
 */
public final class SubscriptionSocket implements Session.Listener.AutoDemanding {

  static final String BIND = "bind-with-token";

  private final SubscriptionSockets hub;
  private volatile @Nullable Session session;

  SubscriptionSocket(SubscriptionSockets hub) {
    this.hub = hub;
  }

  @Override
  public void onWebSocketOpen(Session s) {
    session = s;
    hub.opened(this);
  }

  @Override
  public void onWebSocketText(String message) {
    String m = message.strip();
    int space = m.indexOf(' ');
    String command = space < 0 ? m : m.substring(0, space);
    if (BIND.equals(command) && space > 0) {
      hub.bind(this, m.substring(space + 1).strip());
    } else {
      send(
          SubscriptionSockets.outcome(
              OperationOutcome.IssueType.NOTSUPPORTED,
              "unknown message; send: " + BIND + " <token of $get-ws-binding-token>"));
    }
  }

  @Override
  public void onWebSocketClose(int statusCode, @Nullable String reason) {
    session = null;
    hub.closed(this);
  }

  @Override
  public void onWebSocketError(Throwable cause) {
    hub.closed(this);
  }

  boolean isOpen() {
    Session s = session;
    return s != null && s.isOpen();
  }

  /** Queues {@code text}; writes are in call order. A failed write closes the socket. */
  synchronized void send(String text) {
    Session s = session;
    if (s == null || !s.isOpen()) {
      return;
    }
    s.sendText(
        text,
        Callback.from(
            () -> {},
            failure -> {
              s.close(StatusCode.POLICY_VIOLATION, "not keeping up; reconnect", Callback.NOOP);
              hub.closed(this);
            }));
  }

  synchronized void ping() {
    Session s = session;
    if (s != null && s.isOpen()) {
      s.sendPing(ByteBuffer.allocate(0), Callback.NOOP);
    }
  }

  /** The server stops (or its delivery did): the client reconnects, to this node or another. */
  void closeUnavailable() {
    Session s = session;
    if (s != null && s.isOpen()) {
      s.close(StatusCode.SERVICE_RESTART, "server restarting; reconnect", Callback.NOOP);
    }
  }
}
