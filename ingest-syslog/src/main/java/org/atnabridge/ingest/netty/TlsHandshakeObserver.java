package org.atnabridge.ingest.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.AttributeKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.atnabridge.schemas.RawHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the RFC 5425 handshake. On success it records the subject of the peer's verified
 * certificate in {@link #PEER_SUBJECT}, so that every message of the connection carries it ({@link
 * RawHeaders#PEER_CERT_SUBJECT}). On failure (e.g. no client certificate, or one that does not
 * chain to a trust anchor: the {@link SslHandler} has already refused the peer) it logs one line
 * per connection and counts it; the handler then closes the connection.
 */
public final class TlsHandshakeObserver extends ChannelInboundHandlerAdapter {

  /** RFC 2253 subject of the verified peer certificate; absent without client authentication. */
  public static final AttributeKey<String> PEER_SUBJECT =
      AttributeKey.valueOf(RawHeaders.PEER_CERT_SUBJECT);

  private static final Logger LOG = LoggerFactory.getLogger(TlsHandshakeObserver.class);

  private final String listenerId;
  private final ListenerMetrics metrics;

  public TlsHandshakeObserver(String listenerId, ListenerMetrics metrics) {
    this.listenerId = listenerId;
    this.metrics = metrics;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof SslHandshakeCompletionEvent done) {
      String peer = PeerAddress.format(ctx.channel().remoteAddress());
      if (done.isSuccess()) {
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        try {
          Certificate[] chain = ssl.engine().getSession().getPeerCertificates();
          if (chain.length > 0 && chain[0] instanceof X509Certificate x509) {
            ctx.channel().attr(PEER_SUBJECT).set(x509.getSubjectX500Principal().getName());
          }
        } catch (SSLPeerUnverifiedException e) {
          // client authentication not required and none offered
        }
        LOG.debug(
            "{}: TLS {} with {} ({})",
            listenerId,
            ssl.engine().getSession().getProtocol(),
            peer,
            ctx.channel().attr(PEER_SUBJECT).get());
      } else {
        metrics.handshakeFailed();
        Throwable cause = done.cause();
        LOG.info(
            "{}: TLS handshake with {} refused: {}",
            listenerId,
            peer,
            cause == null ? "unknown" : cause.getMessage());
      }
    }
    super.userEventTriggered(ctx, evt);
  }
}
