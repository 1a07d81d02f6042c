package org.atnabridge.ingest.netty;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.time.Clock;
import org.atnabridge.ingest.ListenerConfig;
import org.atnabridge.ingest.RawMessageSink;
import org.atnabridge.ingest.netty.ListenerMetrics.RejectReason;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the pipeline of each accepted syslog stream connection, plain TCP (RFC 6587) or TLS (RFC
 * 5425). Connections over the {@link ConnectionLimits} are closed before any stage is added. The
 * stage names are constants.
 */
public final class SyslogChannelInitializer extends ChannelInitializer<Channel> {

  public static final String IDLE = "idle";
  public static final String TLS = "tls";
  public static final String TLS_OBSERVER = "tls-observer";
  public static final String FRAMER = "framer";
  public static final String PUBLISHER = "publisher";
  public static final String EXCEPTION_LOGGER = "exception-logger";

  /** The {@code atna.transport} header value of a plain TCP listener. */
  public static final String TRANSPORT = "tcp";

  /** The {@code atna.transport} header value of a TLS listener. */
  public static final String TRANSPORT_TLS = "tls";

  private static final Logger LOG = LoggerFactory.getLogger(SyslogChannelInitializer.class);

  private final ListenerConfig config;
  private final RawMessageSink sink;
  private final MeterRegistry registry;
  private final ChannelGroup channels;
  private final Clock clock;
  private final @Nullable SslContext ssl;
  private final String transport;
  private final ConnectionLimits limits;
  private volatile @Nullable ListenerMetrics metrics;

  /** Plain TCP. */
  public SyslogChannelInitializer(
      ListenerConfig config,
      RawMessageSink sink,
      MeterRegistry registry,
      ChannelGroup channels,
      Clock clock) {
    this(config, sink, registry, channels, clock, null);
  }

  /**
   * @param channels every accepted connection is added, so that the listener can close them all
   * @param ssl the server context for TLS, or null for plain TCP
   */
  public SyslogChannelInitializer(
      ListenerConfig config,
      RawMessageSink sink,
      MeterRegistry registry,
      ChannelGroup channels,
      Clock clock,
      @Nullable SslContext ssl) {
    this.config = config;
    this.sink = sink;
    this.registry = registry;
    this.channels = channels;
    this.clock = clock;
    this.ssl = ssl;
    this.transport = ssl == null ? TRANSPORT : TRANSPORT_TLS;
    this.limits = new ConnectionLimits(config.maxConnections(), config.maxConnectionsPerPeer());
  }

  /**
   * The {@code atna.listener} header value of a plain TCP listener, e.g. {@code syslog-tcp:5514}.
   */
  public static String listenerId(int port) {
    return listenerId(TRANSPORT, port);
  }

  /** E.g. {@code syslog-tls:6514}. */
  public static String listenerId(String transport, int port) {
    return "syslog-" + transport + ":" + port;
  }

  public String transport() {
    return transport;
  }

  @Override
  protected void initChannel(Channel ch) {
    // the accepted socket's local port is the listener's actual port, also when it was bound to 0
    int port = ch.localAddress() instanceof InetSocketAddress local ? local.getPort() : 0;
    String listenerId = listenerId(transport, port);
    ListenerMetrics m = metrics(listenerId);
    RejectReason over = limits.admit(ch);
    if (over != null) {
      m.rejected(over);
      LOG.debug(
          "{}: refusing connection from {}: {}",
          listenerId,
          PeerAddress.format(ch.remoteAddress()),
          over.tag());
      ch.config().setAutoRead(false);
      // closed once registration has finished: a close from inside the initializer can be lost
      ch.eventLoop().execute(ch::close);
      return;
    }
    channels.add(ch);
    m.connectionAccepted();
    // closes silent connections (also a stalled TLS handshake); counts raw bytes, before any
    // decoding
    ch.pipeline().addLast(IDLE, new IdleConnectionCloser(config.idleTimeout(), listenerId, m));
    if (ssl != null) {
      // RFC 5425: the listener is the TLS server; the context requires a trusted client certificate
      // by default
      SslHandler tls = ssl.newHandler(ch.alloc());
      tls.setHandshakeTimeoutMillis(
          config.tls() == null ? 10_000 : config.tls().handshakeTimeout().toMillis());
      ch.pipeline()
          .addLast(TLS, tls)
          // records the peer's certificate subject; logs and counts refused handshakes
          .addLast(TLS_OBSERVER, new TlsHandshakeObserver(listenerId, m));
    }
    ch.pipeline()
        // RFC 6587 framing, detected per frame; bounded by maxFrameLength, oversized frames cut
        .addLast(FRAMER, new SyslogFrameDecoder(config.maxFrameLength()))
        // copies the bytes out and hands them to the sink; pauses reading while it is saturated
        .addLast(PUBLISHER, new RawMessagePublisher(sink, transport, listenerId, m, clock))
        // one log line and a counter per failure; closes just this connection
        .addLast(EXCEPTION_LOGGER, new ExceptionLogger(listenerId, m));
  }

  /** The meters of the listener, created (and registered) on first use. */
  public synchronized ListenerMetrics metrics(String listenerId) {
    ListenerMetrics m = metrics;
    if (m == null) {
      m = new ListenerMetrics(registry, listenerId, transport);
      m.openConnections(limits.open());
      metrics = m;
    }
    return m;
  }
}
