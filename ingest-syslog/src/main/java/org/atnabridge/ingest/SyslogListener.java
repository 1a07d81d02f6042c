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
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.atnabridge.ingest.netty.SslContexts;
import org.atnabridge.ingest.netty.SyslogChannelInitializer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A syslog stream listener: plain TCP (RFC 6587, octet counting and non-transparent framing
 * detected per frame) or, when {@link ListenerConfig#tls()} is set, TLS (RFC 5425, mutual
 * authentication by default). Each frame is published unparsed to the {@link RawMessageSink}.
 *
 * <p>Plain TCP is not an IHE ITI-20 transport (only TLS and UDP are); run it only on an explicitly
 * configured port (RFC 6587 is Historic; ITI-20 §3.20.4.1.2.1 names only RFC 5425 and RFC 5426).
 *
 * <p>Lifecycle: the constructor does no I/O; {@link #start()} loads the TLS material and binds;
 * {@link #check()} is true while bound; {@link #close()} drains: it stops accepting, closes every
 * connection (what was read is still published), shuts the event loops down gracefully and waits
 * until the sink confirmed every publish this listener started. It does not close the sink, which
 * the caller owns and may share between listeners.
 */
public final class SyslogListener implements IntakeListener {

  private static final Logger LOG = LoggerFactory.getLogger(SyslogListener.class);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(30);

  private final ListenerConfig config;
  private final TrackingSink sink;
  private final MeterRegistry registry;
  private final int ioThreads;
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
    this(config, sink, registry, 0);
  }

  /**
   * @param ioThreads event-loop threads for the connections; 0 = Netty's default (2 × cores)
   */
  public SyslogListener(
      ListenerConfig config, RawMessageSink sink, MeterRegistry registry, int ioThreads) {
    this.config = Objects.requireNonNull(config, "config");
    this.sink = new TrackingSink(Objects.requireNonNull(sink, "sink"));
    this.registry = Objects.requireNonNull(registry, "registry");
    if (ioThreads < 0) {
      throw new IllegalArgumentException("ioThreads < 0: " + ioThreads);
    }
    this.ioThreads = ioThreads;
  }

  private String transport() {
    return config.tls() == null
        ? SyslogChannelInitializer.TRANSPORT
        : SyslogChannelInitializer.TRANSPORT_TLS;
  }

  /**
   * Loads the TLS material (if any) and binds {@code bindHost:port}.
   *
   * @throws IllegalArgumentException if the TLS settings are unusable (the message names the
   *     setting)
   * @throws IllegalStateException if the address cannot be bound (the message names it), or if
   *     already started or closed
   */
  @Override
  public synchronized SyslogListener start() {
    if (serverChannel != null || closed) {
      throw new IllegalStateException(
          "syslog "
              + transport()
              + " listener on port "
              + config.port()
              + " already started or closed");
    }
    SslContext ssl = config.tls() == null ? null : SslContexts.server(config.tls());
    String name = "syslog-" + transport() + "-" + config.port();
    EventLoopGroup accept =
        new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory(name + "-accept"), NioIoHandler.newFactory());
    EventLoopGroup io =
        new MultiThreadIoEventLoopGroup(
            ioThreads, new DefaultThreadFactory(name + "-io"), NioIoHandler.newFactory());
    ChannelGroup group = new DefaultChannelGroup(name, GlobalEventExecutor.INSTANCE);
    SyslogChannelInitializer initializer =
        new SyslogChannelInitializer(config, sink, registry, group, Clock.systemUTC(), ssl);
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(accept, io)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 1024)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.SO_KEEPALIVE, true)
            .childHandler(initializer);
    ChannelFuture bound = bootstrap.bind(config.bindHost(), config.port()).awaitUninterruptibly();
    if (!bound.isSuccess()) {
      shutdown(accept);
      shutdown(io);
      Throwable cause = bound.cause();
      throw new IllegalStateException(
          "syslog "
              + transport()
              + " listener cannot bind "
              + config.bindHost()
              + ":"
              + config.port()
              + ": "
              + (cause == null ? "unknown error" : cause.getMessage()),
          cause);
    }
    group.add(bound.channel());
    acceptGroup = accept;
    ioGroup = io;
    channels = group;
    serverChannel = bound.channel();
    initializer.metrics(id());
    LOG.info(
        "{} listening on {}{}",
        id(),
        serverChannel.localAddress(),
        config.tls() == null
            ? ""
            : " (TLS "
                + config.tls().protocols()
                + ", client certificate "
                + config.tls().clientAuth()
                + ")");
    return this;
  }

  /** The bound port; differs from the configured one when that was 0. */
  @Override
  public int port() {
    Channel server = serverChannel;
    if (server == null) {
      throw new IllegalStateException("syslog " + transport() + " listener not started");
    }
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  /** Same as {@link #port()}. */
  public int tcpPort() {
    return port();
  }

  @Override
  public String id() {
    return SyslogChannelInitializer.listenerId(transport(), port());
  }

  /** True while started, not closed and the listening socket is open. */
  @Override
  public boolean check() {
    Channel server = serverChannel;
    return !closed && server != null && server.isActive();
  }

  /**
   * Stops accepting, closes every connection (octets of a frame in progress are handled as at any
   * end of stream, see {@code SyslogFrameDecoder}), shuts the event loops down gracefully, then
   * waits up to 30 s for the sink to confirm this listener's publishes. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    Channel server = serverChannel;
    if (server != null) {
      // stop accepting first, so that no connection arrives while the others are drained
      server.close().awaitUninterruptibly(CLOSE_TIMEOUT.toMillis());
    }
    if (channels != null) {
      channels.close().awaitUninterruptibly(CLOSE_TIMEOUT.toMillis());
    }
    // graceful shutdown runs the tasks still queued, e.g. the end-of-stream handling of closed
    // connections
    shutdown(acceptGroup);
    shutdown(ioGroup);
    if (!sink.awaitPublished(PUBLISH_TIMEOUT)) {
      LOG.warn(
          "syslog {} listener closed with {} publishes unconfirmed after {}",
          transport(),
          sink.pending(),
          PUBLISH_TIMEOUT);
    }
  }

  static void shutdown(@Nullable EventLoopGroup group) {
    if (group == null) {
      return;
    }
    Future<?> done = group.shutdownGracefully(0, CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    done.awaitUninterruptibly(CLOSE_TIMEOUT.toMillis() + 1000);
  }
}
