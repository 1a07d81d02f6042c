package org.atnabridge.ingest.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import java.io.IOException;
import javax.net.ssl.SSLException;
import org.atnabridge.ingest.netty.ListenerMetrics.RejectReason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Last stage: every exception of the connection ends here. It logs one line without stack trace or
 * payload (framing rejects, TLS and I/O errors at DEBUG: they are the peer's doing and are counted
 * elsewhere or here; anything else at WARN), counts it, and closes this connection only; the
 * listener keeps serving the others.
 */
public final class ExceptionLogger extends ChannelInboundHandlerAdapter {

  private static final Logger LOG = LoggerFactory.getLogger(ExceptionLogger.class);

  private final String listenerId;
  private final ListenerMetrics metrics;

  public ExceptionLogger(String listenerId, ListenerMetrics metrics) {
    this.listenerId = listenerId;
    this.metrics = metrics;
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    String peer = PeerAddress.format(ctx.channel().remoteAddress());
    Throwable root =
        cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
    if (root instanceof CorruptedFrameException) {
      metrics.rejected(RejectReason.BAD_FRAMING);
      LOG.debug("{}: closing connection from {}: {}", listenerId, peer, root.getMessage());
    } else if (root instanceof SSLException) {
      // handshake failures are logged and counted by TlsHandshakeObserver
      LOG.debug("{}: TLS error with {}: {}", listenerId, peer, root.toString());
    } else if (root instanceof IOException) {
      LOG.debug("{}: connection from {} failed: {}", listenerId, peer, root.toString());
    } else {
      metrics.error();
      LOG.warn(
          "{}: closing connection from {} after unexpected {}", listenerId, peer, root.toString());
    }
    ctx.close();
  }
}
