package org.atnabridge.ingest.netty;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.net.SocketAddress;
import java.time.Clock;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.atnabridge.ingest.RawMessage;
import org.atnabridge.ingest.RawMessageSink;
import org.atnabridge.ingest.netty.ListenerMetrics.RejectReason;
import org.atnabridge.schemas.DeadLetterHeaders;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies each {@link SyslogFrame} out of its buffer into a {@link RawMessage} and hands it to the
 * {@link RawMessageSink}; the frame is released here, so no buffer outlives the pipeline.
 *
 * <p>Nothing that was read is dropped silently. The kept prefix of an oversized frame goes to
 * {@code audit.dlq} with reason {@code FRAME_TOO_LARGE}. Incomplete frames (the peer closed, or was
 * closed for idling, mid-frame): a non-transparent frame is published, the closed connection
 * standing in for its trailer (senders like {@code nc} omit the last LF); an octet-counted frame is
 * known to be truncated and goes to {@code audit.dlq} with reason {@code FRAME_INCOMPLETE}.
 *
 * <p>Back-pressure: after a publish leaves the sink {@linkplain RawMessageSink#isSaturated()
 * saturated}, the channel stops reading ({@code autoRead} off), so the kernel's receive buffer
 * fills and TCP flow control slows the sender. The sink is then polled every {@value
 * #RESUME_POLL_MILLIS} ms on the channel's event loop and reading resumes once it has drained.
 * Frames already decoded from the last read are still published: the sink's limit is soft.
 */
public final class RawMessagePublisher extends SimpleChannelInboundHandler<SyslogFrame> {

  static final long RESUME_POLL_MILLIS = 10;
  private static final Logger LOG = LoggerFactory.getLogger(RawMessagePublisher.class);

  private final RawMessageSink sink;
  private final String transport;
  private final String listenerId;
  private final ListenerMetrics metrics;
  private final Clock clock;
  private String peerAddress = "unknown";
  private int peerPort;
  private boolean paused;

  public RawMessagePublisher(
      RawMessageSink sink,
      String transport,
      String listenerId,
      ListenerMetrics metrics,
      Clock clock) {
    this.sink = sink;
    this.transport = transport;
    this.listenerId = listenerId;
    this.metrics = metrics;
    this.clock = clock;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    remember(ctx.channel().remoteAddress());
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    remember(ctx.channel().remoteAddress());
    super.channelActive(ctx);
  }

  private void remember(@Nullable SocketAddress remote) {
    if (remote != null) {
      peerAddress = PeerAddress.host(remote);
      peerPort = PeerAddress.port(remote);
    }
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, SyslogFrame frame) {
    metrics.received(frame.framing());
    byte[] payload = ByteBufUtil.getBytes(frame.content());
    RawMessage message =
        new RawMessage(
            payload,
            transport,
            peerAddress,
            peerPort,
            clock.instant(),
            listenerId,
            frame.framing().headerValue(),
            ctx.channel().attr(TlsHandshakeObserver.PEER_SUBJECT).get());
    if (frame.oversize()) {
      metrics.rejected(RejectReason.FRAME_TOO_LARGE);
      String size =
          frame.originalLength() < 0
              ? "without trailer"
              : "of " + frame.originalLength() + " octets";
      deadLetter(
          message,
          DeadLetterHeaders.FRAME_TOO_LARGE,
          frame.framing().headerValue()
              + " frame "
              + size
              + " exceeds maxFrameLength; first "
              + payload.length
              + " octets kept",
          frame.originalLength());
    } else if (!frame.complete() && frame.framing() == SyslogFraming.OCTET_COUNTING) {
      metrics.rejected(RejectReason.FRAME_INCOMPLETE);
      deadLetter(
          message,
          DeadLetterHeaders.FRAME_INCOMPLETE,
          "connection ended inside an octet-counted frame; " + payload.length + " octets arrived",
          -1);
    } else {
      if (!frame.complete()) {
        metrics.unterminated();
      }
      metrics.published(frame.framing(), payload.length);
      try {
        CompletionStage<Void> done = sink.publish(message);
        done.whenComplete(
            (ok, error) -> {
              if (error != null) {
                publishFailed(error);
              }
            });
      } catch (RuntimeException e) {
        publishFailed(e);
      }
    }
    if (!paused && sink.isSaturated()) {
      pause(ctx);
    }
  }

  private void deadLetter(RawMessage message, String reason, String detail, long originalSize) {
    LOG.debug("{}: {} from {}: {}", listenerId, reason, message.peer(), detail);
    try {
      sink.deadLetter(message, reason, detail, originalSize)
          .whenComplete(
              (ok, error) -> {
                if (error != null) {
                  publishFailed(error);
                }
              });
    } catch (RuntimeException e) {
      publishFailed(e);
    }
  }

  private void publishFailed(Throwable error) {
    metrics.publishFailed();
    LOG.debug(
        "{}: publish of a frame from {} failed: {}", listenerId, peerAddress, error.toString());
  }

  private void pause(ChannelHandlerContext ctx) {
    paused = true;
    ctx.channel().config().setAutoRead(false);
    metrics.paused();
    LOG.debug("{}: sink saturated, stopped reading from {}", listenerId, peerAddress);
    scheduleResume(ctx);
  }

  private void scheduleResume(ChannelHandlerContext ctx) {
    ctx.executor()
        .schedule(() -> resumeWhenDrained(ctx), RESUME_POLL_MILLIS, TimeUnit.MILLISECONDS);
  }

  private void resumeWhenDrained(ChannelHandlerContext ctx) {
    if (!ctx.channel().isActive()) {
      return;
    }
    if (sink.isSaturated()) {
      scheduleResume(ctx);
      return;
    }
    paused = false;
    ctx.channel().config().setAutoRead(true);
    LOG.debug("{}: sink drained, reading from {} again", listenerId, peerAddress);
  }

  /** True while this connection has stopped reading because the sink is saturated. */
  boolean isPaused() {
    return paused;
  }
}
