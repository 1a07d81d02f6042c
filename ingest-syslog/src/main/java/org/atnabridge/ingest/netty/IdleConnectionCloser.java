package org.atnabridge.ingest.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a connection whose peer has sent nothing for the idle timeout, so that abandoned
 * connections do not hold buffers and file descriptors forever. A connection whose reading the
 * listener itself paused for back-pressure ({@code autoRead} off) is never closed as idle.
 */
public final class IdleConnectionCloser extends IdleStateHandler {

  private static final Logger LOG = LoggerFactory.getLogger(IdleConnectionCloser.class);

  private final String listenerId;
  private final ListenerMetrics metrics;

  public IdleConnectionCloser(Duration idleTimeout, String listenerId, ListenerMetrics metrics) {
    super(idleTimeout.toMillis(), 0, 0, TimeUnit.MILLISECONDS);
    this.listenerId = listenerId;
    this.metrics = metrics;
  }

  @Override
  protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent event) {
    if (event.state() == IdleState.READER_IDLE && ctx.channel().config().isAutoRead()) {
      metrics.idleClosed();
      LOG.debug(
          "{}: closing idle connection from {}",
          listenerId,
          PeerAddress.format(ctx.channel().remoteAddress()));
      ctx.close();
    }
  }
}
