package org.atnabridge.ingest.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.atnabridge.ingest.RawMessage;
import org.atnabridge.ingest.RawMessageSink;
import org.atnabridge.ingest.netty.ListenerMetrics.RejectReason;
import org.atnabridge.schemas.DeadLetterHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * UDP (RFC 5426): each datagram is one message, published as received (a trailing LF included). A
 * datagram longer than {@code maxFrameLength} has its prefix dead-lettered with reason {@code
 * FRAME_TOO_LARGE}.
 *
 * <p>UDP cannot push back on the sender. While the sink is saturated the socket is not read, so
 * memory stays bounded; datagrams that then overflow the kernel's receive buffer are dropped by the
 * kernel and counted ({@code atna.ingest.udp.drops}).
 */
public final class DatagramPublisher extends SimpleChannelInboundHandler<DatagramPacket> {

  private static final Logger LOG = LoggerFactory.getLogger(DatagramPublisher.class);

  private final RawMessageSink sink;
  private final String listenerId;
  private final int maxFrameLength;
  private final ListenerMetrics metrics;
  private final Clock clock;
  private boolean paused;

  public DatagramPublisher(
      RawMessageSink sink,
      String listenerId,
      int maxFrameLength,
      ListenerMetrics metrics,
      Clock clock) {
    this.sink = sink;
    this.listenerId = listenerId;
    this.maxFrameLength = maxFrameLength;
    this.metrics = metrics;
    this.clock = clock;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
    metrics.received(SyslogFraming.DATAGRAM);
    ByteBuf content = packet.content();
    int length = content.readableBytes();
    boolean oversize = length > maxFrameLength;
    byte[] payload =
        ByteBufUtil.getBytes(content, content.readerIndex(), oversize ? maxFrameLength : length);
    RawMessage message =
        new RawMessage(
            payload,
            "udp",
            PeerAddress.host(packet.sender()),
            PeerAddress.port(packet.sender()),
            clock.instant(),
            listenerId,
            SyslogFraming.DATAGRAM.headerValue(),
            null);
    try {
      if (oversize) {
        metrics.rejected(RejectReason.FRAME_TOO_LARGE);
        sink.deadLetter(
                message,
                DeadLetterHeaders.FRAME_TOO_LARGE,
                "datagram of "
                    + length
                    + " octets exceeds maxFrameLength; first "
                    + maxFrameLength
                    + " octets kept",
                length)
            .whenComplete((ok, error) -> failed(error));
      } else {
        metrics.published(SyslogFraming.DATAGRAM, length);
        sink.publish(message).whenComplete((ok, error) -> failed(error));
      }
    } catch (RuntimeException e) {
      failed(e);
    }
    if (!paused && sink.isSaturated()) {
      paused = true;
      ctx.channel().config().setAutoRead(false);
      metrics.paused();
      LOG.debug("{}: sink saturated, stopped reading datagrams", listenerId);
      resumeLater(ctx);
    }
  }

  private void resumeLater(ChannelHandlerContext ctx) {
    ctx.executor()
        .schedule(
            () -> {
              if (!ctx.channel().isOpen()) {
                return;
              }
              if (sink.isSaturated()) {
                resumeLater(ctx);
              } else {
                paused = false;
                ctx.channel().config().setAutoRead(true);
              }
            },
            RawMessagePublisher.RESUME_POLL_MILLIS,
            TimeUnit.MILLISECONDS);
  }

  private void failed(@org.jspecify.annotations.Nullable Throwable error) {
    if (error != null) {
      metrics.publishFailed();
      LOG.debug("{}: publish of a datagram failed: {}", listenerId, error.toString());
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // a datagram socket has no peer to close on; keep serving
    LOG.debug("{}: {}", listenerId, cause.toString());
  }
}
