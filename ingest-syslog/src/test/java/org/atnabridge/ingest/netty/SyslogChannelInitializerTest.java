package org.atnabridge.ingest.netty;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.atnabridge.ingest.ListenerConfig;
import org.junit.jupiter.api.Test;

/** The assembled pipeline: stage order, rejects closing only the connection, idle close. */
class SyslogChannelInitializerTest {

  private final RecordingSink sink = new RecordingSink();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final DefaultChannelGroup group = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);

  private EmbeddedChannel channel(Duration idle) {
    ListenerConfig config = new ListenerConfig("127.0.0.1", 0, 1024, idle);
    return new EmbeddedChannel(
        new SyslogChannelInitializer(config, sink, registry, group, Clock.systemUTC()));
  }

  @Test
  void initChannel_namedStagesInOrder() {
    EmbeddedChannel channel = channel(Duration.ofMinutes(5));

    assertThat(channel.pipeline().names())
        .startsWith(
            SyslogChannelInitializer.IDLE,
            SyslogChannelInitializer.FRAMER,
            SyslogChannelInitializer.PUBLISHER,
            SyslogChannelInitializer.EXCEPTION_LOGGER);
    assertThat(group.contains(channel)).isTrue();
    assertThat(registry.get(ListenerMetrics.CONNECTIONS).counter().count()).isEqualTo(1);
    assertThat(channel.finish()).isFalse();
  }

  @Test
  void pipeline_framesReachSinkAndBadPrefixClosesOnlyThisConnection() {
    EmbeddedChannel channel = channel(Duration.ofMinutes(5));

    channel.writeInbound(Unpooled.copiedBuffer("4 <1>a<2>b\n12a <3>c\n", US_ASCII));

    assertThat(sink.messages).hasSize(2);
    assertThat(channel.isOpen()).isFalse();
    assertThat(registry.get(ListenerMetrics.REJECTS).tag("reason", "bad-framing").counter().count())
        .isEqualTo(1);
    assertThat(channel.finish()).isFalse();
    // the exception was handled, not propagated to the tail
    channel.checkException();
  }

  @Test
  void pipeline_tooLongFrameDeadLetteredAndConnectionKept() {
    EmbeddedChannel channel = channel(Duration.ofMinutes(5));

    channel.writeInbound(Unpooled.copiedBuffer("1030 <1>" + "x".repeat(1027) + "4 <2>y", US_ASCII));

    assertThat(channel.isOpen()).isTrue();
    assertThat(sink.deadLetterReasons).containsExactly("FRAME_TOO_LARGE");
    assertThat(sink.deadLetters.getFirst().payload()).hasSize(1024);
    assertThat(sink.messages)
        .extracting(m -> new String(m.payload(), US_ASCII))
        .containsExactly("<2>y");
    assertThat(
            registry
                .get(ListenerMetrics.REJECTS)
                .tag("reason", "frame-too-large")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(channel.finish()).isFalse();
  }

  @Test
  void initChannel_overConnectionLimitClosedAtOnce() {
    ListenerConfig config =
        new ListenerConfig("127.0.0.1", 0, 1024, Duration.ofMinutes(5)).withConnectionLimits(1, 10);
    SyslogChannelInitializer init =
        new SyslogChannelInitializer(config, sink, registry, group, Clock.systemUTC());
    EmbeddedChannel first = new EmbeddedChannel(init);
    EmbeddedChannel second = new EmbeddedChannel(init);

    assertThat(first.isOpen()).isTrue();
    assertThat(second.isOpen()).isFalse();
    assertThat(
            registry
                .get(ListenerMetrics.REJECTS)
                .tag("reason", "too-many-connections")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(registry.get(ListenerMetrics.OPEN_CONNECTIONS).gauge().value()).isEqualTo(1);
    first.close();
    assertThat(registry.get(ListenerMetrics.OPEN_CONNECTIONS).gauge().value()).isZero();
    assertThat(first.finish()).isFalse();
    assertThat(second.finish()).isFalse();
  }

  @Test
  void pipeline_idleConnectionClosed() {
    EmbeddedChannel channel = channel(Duration.ofSeconds(1));

    channel.advanceTimeBy(2, TimeUnit.SECONDS);
    channel.runPendingTasks();
    channel.runScheduledPendingTasks();

    assertThat(channel.isOpen()).isFalse();
    assertThat(registry.get(ListenerMetrics.IDLE_CLOSES).counter().count()).isEqualTo(1);
    assertThat(channel.finish()).isFalse();
  }

  @Test
  void pipeline_pausedConnectionNotClosedAsIdle() {
    EmbeddedChannel channel = channel(Duration.ofSeconds(1));
    channel.config().setAutoRead(false);

    channel.advanceTimeBy(2, TimeUnit.SECONDS);
    channel.runScheduledPendingTasks();

    assertThat(channel.isOpen()).isTrue();
    assertThat(channel.finish()).isFalse();
  }
}
