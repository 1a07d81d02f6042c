package org.atnabridge.ingest.netty;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ResourceLeakDetector;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.atnabridge.ingest.RawMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Copying, incomplete-frame policy, counting and back-pressure of {@link RawMessagePublisher}. */
class RawMessagePublisherTest {

  private static final Instant NOW = Instant.parse("2025-04-18T09:04:00.603Z");
  private static final String LISTENER = "syslog-tcp:5514";

  private final RecordingSink sink = new RecordingSink();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final RawMessagePublisher publisher =
      new RawMessagePublisher(
          sink,
          "tcp",
          LISTENER,
          new ListenerMetrics(registry, LISTENER, "tcp"),
          Clock.fixed(NOW, ZoneOffset.UTC));
  private final EmbeddedChannel channel = new EmbeddedChannel(publisher);

  @BeforeAll
  static void paranoidLeakDetection() {
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
  }

  @AfterEach
  void nothingLeftOver() {
    assertThat(channel.finish()).isFalse();
  }

  @Test
  void channelRead_publishesCopyWithMetadataAndReleasesFrame() {
    SyslogFrame frame = frame("<85>1 x", SyslogFraming.OCTET_COUNTING, true);
    channel.writeInbound(frame);

    assertThat(frame.refCnt()).isZero();
    assertThat(sink.messages)
        .singleElement()
        .satisfies(
            m -> {
              assertThat(new String(m.payload(), US_ASCII)).isEqualTo("<85>1 x");
              assertThat(m.transport()).isEqualTo("tcp");
              assertThat(m.listener()).isEqualTo(LISTENER);
              assertThat(m.receivedAt()).isEqualTo(NOW);
              assertThat(m.framing()).isEqualTo("octet-counting");
              assertThat(m.peerAddress()).isEqualTo("embedded");
              assertThat(m.peerCertSubject()).isNull();
            });
    assertThat(count(ListenerMetrics.ACCEPTED, "framing", "octet-counting")).isEqualTo(1);
    assertThat(registry.get(ListenerMetrics.BYTES).counter().count()).isEqualTo(7);
  }

  @Test
  void channelRead_truncatedOctetCountedFrameDeadLetteredAndCounted() {
    SyslogFrame frame = frame("<85>1 cut", SyslogFraming.OCTET_COUNTING, false);
    channel.writeInbound(frame);

    assertThat(frame.refCnt()).isZero();
    assertThat(sink.messages).isEmpty();
    assertThat(sink.deadLetterReasons).containsExactly("FRAME_INCOMPLETE");
    assertThat(new String(sink.deadLetters.getFirst().payload(), US_ASCII)).isEqualTo("<85>1 cut");
    assertThat(count(ListenerMetrics.REJECTS, "reason", "frame-incomplete")).isEqualTo(1);
  }

  @Test
  void channelRead_oversizePrefixDeadLetteredAndCounted() {
    SyslogFrame frame =
        new SyslogFrame(
            Unpooled.copiedBuffer("<85>1 big", US_ASCII),
            SyslogFraming.OCTET_COUNTING,
            true,
            true,
            1_000_000);
    channel.writeInbound(frame);

    assertThat(frame.refCnt()).isZero();
    assertThat(sink.messages).isEmpty();
    assertThat(sink.deadLetterReasons).containsExactly("FRAME_TOO_LARGE");
    assertThat(count(ListenerMetrics.REJECTS, "reason", "frame-too-large")).isEqualTo(1);
    assertThat(count(ListenerMetrics.RECEIVED, "framing", "octet-counting")).isEqualTo(1);
    assertThat(channel.isActive()).as("an oversize frame does not close the connection").isTrue();
  }

  @Test
  void channelRead_unterminatedNonTransparentFramePublishedAndCounted() {
    channel.writeInbound(frame("<85>1 last", SyslogFraming.NON_TRANSPARENT, false));

    assertThat(sink.messages)
        .singleElement()
        .satisfies(m -> assertThat(m.framing()).isEqualTo("non-transparent"));
    assertThat(registry.get(ListenerMetrics.UNTERMINATED).counter().count()).isEqualTo(1);
  }

  @Test
  void channelRead_publishFailureCounted() {
    sink.failing = true;
    channel.writeInbound(frame("<85>1 x", SyslogFraming.OCTET_COUNTING, true));

    assertThat(registry.get(ListenerMetrics.PUBLISH_FAILURES).counter().count()).isEqualTo(1);
    assertThat(channel.isActive()).as("a failed publish does not close the connection").isTrue();
  }

  @Test
  void channelRead_saturatedSinkTurnsAutoReadOffUntilDrained() {
    channel.freezeTime();
    channel.writeInbound(frame("<85>1 a", SyslogFraming.OCTET_COUNTING, true));
    assertThat(channel.config().isAutoRead()).isTrue();

    sink.saturated = true;
    channel.writeInbound(frame("<85>1 b", SyslogFraming.OCTET_COUNTING, true));
    assertThat(channel.config().isAutoRead()).isFalse();
    assertThat(publisher.isPaused()).isTrue();
    assertThat(registry.get(ListenerMetrics.PAUSES).counter().count()).isEqualTo(1);

    channel.advanceTimeBy(RawMessagePublisher.RESUME_POLL_MILLIS, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
    assertThat(channel.config().isAutoRead()).as("still saturated").isFalse();

    sink.saturated = false;
    channel.advanceTimeBy(RawMessagePublisher.RESUME_POLL_MILLIS, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
    assertThat(channel.config().isAutoRead()).isTrue();
    assertThat(publisher.isPaused()).isFalse();
    assertThat(sink.messages).extracting(RawMessage::framing).hasSize(2);
  }

  private double count(String name, String tag, String value) {
    return registry.get(name).tag(tag, value).counter().count();
  }

  private static SyslogFrame frame(String content, SyslogFraming framing, boolean complete) {
    return new SyslogFrame(Unpooled.copiedBuffer(content, US_ASCII), framing, complete);
  }
}
