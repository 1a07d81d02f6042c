package org.atnabridge.ingest;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.atnabridge.ingest.netty.SyslogChannelInitializer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A syslog listener on plain TCP (RFC 6587, octet counting and non-transparent framing detected
 * per frame). Each frame is published unparsed to the {@link RawMessageSink}.
 *
 * <p>Plain TCP is not an IHE ITI-20 transport (only TLS and UDP are); run it only on an explicitly
 * configured port (standards.md §1.5).
 *
 * <p>Lifecycle: the constructor does no I/O; {@link #start()} binds; {@link #check()} is true while
 * bound; {@link #close()} closes the listening socket and every connection, shuts the event loops
 * down gracefully and waits for the publishes this listener started. It does not close the sink,
 * which the caller owns and may share between listeners.
 */
public final class SyslogListener implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SyslogListener.class);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(30);

  private final ListenerConfig config;
  private final TrackingSink sink;
  private final MeterRegistry registry;
  private @Nullable EventLoopGroup acceptGroup;
  private @Nullable EventLoopGroup ioGroup;
  private @Nullable ChannelGroup channels;
  private @Nullable Channel serverChannel;
  private volatile boolean closed;

  /** Counters go to {@link Metrics#globalRegistry}. */
  public SyslogListener(ListenerConfig config, RawMessageSink sink) {
    this(config, sink, Metrics.globalRegistry);
  }

  public SyslogListener(ListenerConfig config, RawMessageSink sink, MeterRegistry registry) {
    this.config = Objects.requireNonNull(config, "config");
    this.sink = new TrackingSink(Objects.requireNonNull(sink, "sink"));
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  /**
   * Binds {@code bindHost:tcpPort}.
   *
   * @throws IllegalStateException if the address cannot be bound (the message names it), or if
   *     already started or closed
   */
  public synchronized SyslogListener start() {
    if (serverChannel != null || closed) {
      throw new IllegalStateException("syslog TCP listener on port " + config.tcpPort() + " already started or closed");
    }
    String name = "syslog-tcp-" + config.tcpPort();
    EventLoopGroup accept = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory(name + "-accept"),
        NioIoHandler.newFactory());
    EventLoopGroup io = new MultiThreadIoEventLoopGroup(0, new DefaultThreadFactory(name + "-io"),
        NioIoHandler.newFactory());
    ChannelGroup group = new DefaultChannelGroup(name, GlobalEventExecutor.INSTANCE);
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(accept, io)
        .channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_BACKLOG, 128)
        .childOption(ChannelOption.SO_KEEPALIVE, true)
        .childHandler(new SyslogChannelInitializer(config, sink, registry, group, Clock.systemUTC()));
    ChannelFuture bound = bootstrap.bind(config.bindHost(), config.tcpPort()).awaitUninterruptibly();
    if (!bound.isSuccess()) {
      shutdown(accept);
      shutdown(io);
      Throwable cause = bound.cause();
      throw new IllegalStateException("syslog TCP listener cannot bind " + config.bindHost() + ":" + config.tcpPort()
          + ": " + (cause == null ? "unknown error" : cause.getMessage()), cause);
    }
    group.add(bound.channel());
    acceptGroup = accept;
    ioGroup = io;
    channels = group;
    serverChannel = bound.channel();
    LOG.info("{} listening on {}", SyslogChannelInitializer.listenerId(tcpPort()), serverChannel.localAddress());
    return this;
  }

  /** The bound port; differs from the configured one when that was 0. */
  public int tcpPort() {
    Channel server = serverChannel;
    if (server == null) {
      throw new IllegalStateException("syslog TCP listener not started");
    }
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  /** True while started, not closed and the listening socket is open. */
  public boolean check() {
    Channel server = serverChannel;
    return !closed && server != null && server.isActive();
  }

  /**
   * Stops accepting, closes every connection (octets of a frame in progress are handled as at any
   * end of stream, see {@code SyslogFrameDecoder}), shuts the event loops down gracefully, then
   * waits up to 30 s for this listener's publishes to complete. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (channels != null) {
      channels.close().awaitUninterruptibly(CLOSE_TIMEOUT.toMillis());
    }
    // graceful shutdown runs the tasks still queued, e.g. the end-of-stream handling of closed connections
    shutdown(acceptGroup);
    shutdown(ioGroup);
    if (!sink.awaitPublished(PUBLISH_TIMEOUT)) {
      LOG.warn("syslog TCP listener closed with {} publishes unfinished after {}", sink.pending(), PUBLISH_TIMEOUT);
    }
  }

  private static void shutdown(@Nullable EventLoopGroup group) {
    if (group == null) {
      return;
    }
    Future<?> done = group.shutdownGracefully(0, CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    done.awaitUninterruptibly(CLOSE_TIMEOUT.toMillis() + 1000);
  }
}
