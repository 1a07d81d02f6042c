package org.atnabridge.ingest.netty;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.time.Clock;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.atnabridge.ingest.RawMessage;
import org.atnabridge.ingest.RawMessageSink;
import org.atnabridge.ingest.netty.ListenerMetrics.RejectReason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies each {@link SyslogFrame} out of its buffer into a {@link RawMessage} and hands it to the
 * {@link RawMessageSink}; the frame is released here, so no buffer outlives the pipeline.
 *
 * <p>Incomplete frames (peer closed mid-frame): a non-transparent frame is published, the closed
 * connection standing in for its trailer (senders like {@code nc} omit the last LF). An
 * octet-counted frame is known to be truncated, and a {@link RawMessage} cannot say so, so it is
 * dropped and counted as {@link RejectReason#TRUNCATED}.
 *
 * <p>Back-pressure: after a publish leaves the sink {@linkplain RawMessageSink#isSaturated()
 * saturated}, the channel stops reading ({@code autoRead} off), so the kernel's receive buffer
 * fills and TCP flow control slows the sender. The sink is then polled every
 * {@value #RESUME_POLL_MILLIS} ms on the channel's event loop and reading resumes once it has
 * drained. Frames already decoded from the last read are still published: the sink's limit is soft.
 */
public final class RawMessagePublisher extends SimpleChannelInboundHandler<SyslogFrame> {

  static final long RESUME_POLL_MILLIS = 10;
  private static final Logger LOG = LoggerFactory.getLogger(RawMessagePublisher.class);

  private final RawMessageSink sink;
  private final String transport;
  private final String listenerId;
  private final ListenerMetrics metrics;
  private final Clock clock;
  private String peer = "unknown";
  private boolean paused;

  public RawMessagePublisher(RawMessageSink sink, String transport, String listenerId, ListenerMetrics metrics,
      Clock clock) {
    this.sink = sink;
    this.transport = transport;
    this.listenerId = listenerId;
    this.metrics = metrics;
    this.clock = clock;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    peer = PeerAddress.format(ctx.channel().remoteAddress());
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    peer = PeerAddress.format(ctx.channel().remoteAddress());
    super.channelActive(ctx);
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, SyslogFrame frame) {
    if (!frame.complete()) {
      if (frame.framing() == SyslogFraming.OCTET_COUNTING) {
        metrics.rejected(RejectReason.TRUNCATED);
        LOG.debug("{}: {} closed inside an octet-counted frame; dropped {} octets", listenerId, peer,
            frame.content().readableBytes());
        return;
      }
      metrics.unterminated();
    }
    byte[] payload = ByteBufUtil.getBytes(frame.content());
    RawMessage message =
        new RawMessage(payload, transport, peer, clock.instant(), listenerId, frame.framing().headerValue());
    metrics.published(frame.framing(), payload.length);
    try {
      CompletionStage<Void> done = sink.publish(message);
      done.whenComplete((ok, error) -> {
        if (error != null) {
          publishFailed(error);
        }
      });
    } catch (RuntimeException e) {
      publishFailed(e);
    }
    if (!paused && sink.isSaturated()) {
      pause(ctx);
    }
  }

  private void publishFailed(Throwable error) {
    metrics.publishFailed();
    LOG.debug("{}: publish of a frame from {} failed: {}", listenerId, peer, error.toString());
  }

  private void pause(ChannelHandlerContext ctx) {
    paused = true;
    ctx.channel().config().setAutoRead(false);
    metrics.paused();
    LOG.debug("{}: sink saturated, stopped reading from {}", listenerId, peer);
    scheduleResume(ctx);
  }

  private void scheduleResume(ChannelHandlerContext ctx) {
    ctx.executor().schedule(() -> resumeWhenDrained(ctx), RESUME_POLL_MILLIS, TimeUnit.MILLISECONDS);
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
    LOG.debug("{}: sink drained, reading from {} again", listenerId, peer);
  }

  /** True while this connection has stopped reading because the sink is saturated. */
  boolean isPaused() {
    return paused;
  }
}
