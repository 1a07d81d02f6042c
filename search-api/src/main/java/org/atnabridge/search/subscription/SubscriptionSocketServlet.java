package org.atnabridge.search.subscription;

import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServlet;
import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServletFactory;

/**
 * The upgrade to the websocket channel at {@link SubscriptionSockets#PATH}: small client messages
 * ({@link SubscriptionSockets#MAX_CLIENT_MESSAGE}), frames of at most {@link
 * SubscriptionSockets#MAX_FRAME}, an idle timeout, and a bound on the frames queued for a slow
 * client.
 */
final class SubscriptionSocketServlet extends JettyWebSocketServlet {

  private static final long serialVersionUID = 1L;

  private final transient SubscriptionSockets hub;

  SubscriptionSocketServlet(SubscriptionSockets hub) {
    this.hub = hub;
  }

  @Override
  protected void configure(JettyWebSocketServletFactory factory) {
    factory.setIdleTimeout(SubscriptionSockets.IDLE_TIMEOUT);
    factory.setMaxTextMessageSize(SubscriptionSockets.MAX_CLIENT_MESSAGE);
    factory.setMaxBinaryMessageSize(SubscriptionSockets.MAX_CLIENT_MESSAGE);
    // no frame above 64 KiB either way: larger notifications go out in fragments
    factory.setMaxFrameSize(SubscriptionSockets.MAX_FRAME);
    factory.setAutoFragment(true);
    factory.setMaxOutgoingFrames(SubscriptionSockets.MAX_OUTGOING_FRAMES);
    factory.setCreator((request, response) -> new SubscriptionSocket(hub));
  }
}
