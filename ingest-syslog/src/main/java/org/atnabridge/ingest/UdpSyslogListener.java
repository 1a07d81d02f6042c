package org.atnabridge.ingest;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.atnabridge.ingest.netty.DatagramPublisher;
import org.atnabridge.ingest.netty.ListenerMetrics;
import org.atnabridge.ingest.netty.UdpKernelDrops;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A syslog listener on UDP (RFC 5426): one message per datagram, up to 65,507 octets (the largest
 * IPv4 UDP payload), published unparsed. The socket's receive buffer is {@link
 * ListenerConfig#udpReceiveBuffer()}; datagrams the kernel drops because it is full are counted
 * ({@value ListenerMetrics#UDP_DROPS}, read from {@code /proc/net/udp}). UDP has no back-pressure:
 * while the sink is saturated the socket is not read and the kernel drops what overflows, counted
 * the same way.
 *
 * <p>Lifecycle as {@link SyslogListener}: {@link #close()} stops reading, then waits until the sink
 * confirmed every datagram already read.
 */
public final class UdpSyslogListener implements IntakeListener {

  /** Largest UDP payload over IPv4 (65,535 − 8 UDP − 20 IP header octets), RFC 5426 §3.2. */
  public static final int MAX_DATAGRAM = 65_507;

  private static final Logger LOG = LoggerFactory.getLogger(UdpSyslogListener.class);
  private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(30);

  private final ListenerConfig config;
  private final TrackingSink sink;
  private final MeterRegistry registry;
  private @Nullable EventLoopGroup group;
  private @Nullable Channel channel;
  private volatile boolean closed;

  public UdpSyslogListener(ListenerConfig config, RawMessageSink sink) {
    this(config, sink, Metrics.globalRegistry);
  }

  public UdpSyslogListener(ListenerConfig config, RawMessageSink sink, MeterRegistry registry) {
    this.config = Objects.requireNonNull(config, "config");
    this.sink = new TrackingSink(Objects.requireNonNull(sink, "sink"));
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  @Override
  public synchronized UdpSyslogListener start() {
    if (channel != null || closed) {
      throw new IllegalStateException(
          "syslog UDP listener on port " + config.port() + " already started or closed");
    }
    EventLoopGroup loop =
        new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("syslog-udp-" + config.port()), NioIoHandler.newFactory());
    // the listener id needs the bound port, so the handler is added after the bind
    Bootstrap bootstrap =
        new Bootstrap()
            .group(loop)
            .channel(NioDatagramChannel.class)
            .option(ChannelOption.SO_RCVBUF, config.udpReceiveBuffer())
            // not read until the publisher is in place
            .option(ChannelOption.AUTO_READ, false)
            // one read buffer holds any datagram whole: a smaller one would silently truncate it
            .option(
                ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM + 29))
            .handler(new io.netty.channel.ChannelInboundHandlerAdapter());
    ChannelFuture bound = bootstrap.bind(config.bindHost(), config.port()).awaitUninterruptibly();
    if (!bound.isSuccess()) {
      SyslogListener.shutdown(loop);
      Throwable cause = bound.cause();
      throw new IllegalStateException(
          "syslog UDP listener cannot bind "
              + config.bindHost()
              + ":"
              + config.port()
              + ": "
              + (cause == null ? "unknown error" : cause.getMessage()),
          cause);
    }
    Channel ch = bound.channel();
    group = loop;
    channel = ch;
    int port = port();
    ListenerMetrics metrics = new ListenerMetrics(registry, id(), "udp");
    metrics.udpDrops(new UdpKernelDrops(port), UdpKernelDrops::read);
    ch.pipeline()
        .addLast(
            "publisher",
            new DatagramPublisher(sink, id(), config.maxFrameLength(), metrics, Clock.systemUTC()));
    ch.config().setAutoRead(true);
    int rcvbuf = ((DatagramChannel) ch).config().getReceiveBufferSize();
    LOG.info("{} listening on {} (receive buffer {} octets)", id(), ch.localAddress(), rcvbuf);
    return this;
  }

  @Override
  public int port() {
    Channel ch = channel;
    if (ch == null) {
      throw new IllegalStateException("syslog UDP listener not started");
    }
    return ((InetSocketAddress) ch.localAddress()).getPort();
  }

  @Override
  public String id() {
    return "syslog-udp:" + port();
  }

  @Override
  public boolean check() {
    Channel ch = channel;
    return !closed && ch != null && ch.isActive();
  }

  /** Stops reading, then waits up to 30 s for the sink to confirm the datagrams already read. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (channel != null) {
      channel.close().awaitUninterruptibly(10_000);
    }
    SyslogListener.shutdown(group);
    if (!sink.awaitPublished(PUBLISH_TIMEOUT)) {
      LOG.warn(
          "syslog UDP listener closed with {} publishes unconfirmed after {}",
          sink.pending(),
          PUBLISH_TIMEOUT);
    }
  }
}
