package org.atnabridge.ingest.netty;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import java.net.InetSocketAddress;
import java.time.Clock;
import org.atnabridge.ingest.ListenerConfig;
import org.atnabridge.ingest.RawMessageSink;
import org.jspecify.annotations.Nullable;

/**
 * Builds the pipeline of each accepted syslog TCP connection. The stage names are constants so
 * that later stages (TLS, RFC 5425) can be inserted relative to them.
 */
public final class SyslogChannelInitializer extends ChannelInitializer<Channel> {

  public static final String IDLE = "idle";
  public static final String FRAMER = "framer";
  public static final String PUBLISHER = "publisher";
  public static final String EXCEPTION_LOGGER = "exception-logger";
  /** The {@code atna.transport} header value of this listener. */
  public static final String TRANSPORT = "tcp";

  private final ListenerConfig config;
  private final RawMessageSink sink;
  private final MeterRegistry registry;
  private final ChannelGroup channels;
  private final Clock clock;
  private volatile @Nullable ListenerMetrics metrics;

  /** @param channels every accepted connection is added, so that the listener can close them all */
  public SyslogChannelInitializer(ListenerConfig config, RawMessageSink sink, MeterRegistry registry,
      ChannelGroup channels, Clock clock) {
    this.config = config;
    this.sink = sink;
    this.registry = registry;
    this.channels = channels;
    this.clock = clock;
  }

  /** The {@code atna.listener} header value, e.g. {@code syslog-tcp:5514}. */
  public static String listenerId(int port) {
    return "syslog-" + TRANSPORT + ":" + port;
  }

  @Override
  protected void initChannel(Channel ch) {
    channels.add(ch);
    // the accepted socket's local port is the listener's actual port, also when it was bound to 0
    int port = ch.localAddress() instanceof InetSocketAddress local ? local.getPort() : 0;
    String listenerId = listenerId(port);
    ListenerMetrics m = metrics(listenerId);
    m.connectionAccepted();
    ch.pipeline()
        // closes silent connections; counts from the first byte on, before any decoding
        .addLast(IDLE, new IdleConnectionCloser(config.idleTimeout(), listenerId, m))
        // RFC 6587 framing, detected per frame; bounded by maxFrameLength
        .addLast(FRAMER, new SyslogFrameDecoder(config.maxFrameLength()))
        // copies the bytes out and hands them to the sink; pauses reading while it is saturated
        .addLast(PUBLISHER, new RawMessagePublisher(sink, TRANSPORT, listenerId, m, clock))
        // one log line and a counter per failure; closes just this connection
        .addLast(EXCEPTION_LOGGER, new ExceptionLogger(listenerId, m));
  }

  private ListenerMetrics metrics(String listenerId) {
    ListenerMetrics m = metrics;
    if (m == null) {
      // a race here registers the same counters twice, which the registry deduplicates
      m = new ListenerMetrics(registry, listenerId, TRANSPORT);
      metrics = m;
    }
    return m;
  }
}
