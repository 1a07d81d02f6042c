package org.atnabridge.ingest.netty;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 6587 framing, limits and end-of-stream behaviour of {@link SyslogFrameDecoder}. */
class SyslogFrameDecoderTest {

  private static final int MAX = 64;
  private static ResourceLeakDetector.Level previousLevel = ResourceLeakDetector.Level.SIMPLE;

  private EmbeddedChannel channel = new EmbeddedChannel();

  @BeforeAll
  static void paranoidLeakDetection() {
    previousLevel = ResourceLeakDetector.getLevel();
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
  }

  @AfterAll
  static void restoreLeakDetection() {
    ResourceLeakDetector.setLevel(previousLevel);
  }

  @BeforeEach
  void newChannel() {
    channel = new EmbeddedChannel(new SyslogFrameDecoder(MAX));
  }

  @AfterEach
  void nothingLeftOver() {
    assertThat(channel.finish()).as("frames left after the test").isFalse();
  }

  @Test
  void decode_octetCountedFrame() {
    write("11 <13>1 - - x");
    assertFrame(SyslogFraming.OCTET_COUNTING, "<13>1 - - x", true);
  }

  @Test
  void decode_octetCountedFrameKeepsLfInsideAndAroundPayload() {
    write("7 <1>a\nb\n\n3 <2>");
    assertFrame(SyslogFraming.OCTET_COUNTING, "<1>a\nb\n", true);
    assertFrame(SyslogFraming.OCTET_COUNTING, "<2>", true);
  }

  @Test
  void decode_octetCountedSplitIntoSingleBytes() {
    for (byte b : "11 <13>1 hello".getBytes(US_ASCII)) {
      channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
    }
    assertFrame(SyslogFraming.OCTET_COUNTING, "<13>1 hello", true);
  }

  @Test
  void decode_nonTransparentSplitIntoSingleBytesWithCrlf() {
    for (byte b : "<13>1 hello\r\n<14>1 bye\r\n".getBytes(US_ASCII)) {
      channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
    }
    assertFrame(SyslogFraming.NON_TRANSPARENT, "<13>1 hello", true);
    assertFrame(SyslogFraming.NON_TRANSPARENT, "<14>1 bye", true);
  }

  @Test
  void decode_manyFramesOfBothFramingsInOneBuffer() {
    write("5 <1>ab<2>cd\n3 <3><4>\u0000\n\n6 <5>\r\nx<6>ef\r\n");
    assertFrame(SyslogFraming.OCTET_COUNTING, "<1>ab", true);
    assertFrame(SyslogFraming.NON_TRANSPARENT, "<2>cd", true);
    assertFrame(SyslogFraming.OCTET_COUNTING, "<3>", true);
    assertFrame(SyslogFraming.NON_TRANSPARENT, "<4>", true);
    assertFrame(SyslogFraming.OCTET_COUNTING, "<5>\r\nx", true);
    assertFrame(SyslogFraming.NON_TRANSPARENT, "<6>ef", true);
  }

  @ParameterizedTest
  @ValueSource(strings = {"\n", "\r\n", "\u0000"})
  void decode_nonTransparentTrailers(String trailer) {
    write("<13>1 first" + trailer + "<13>1 second" + trailer);
    assertFrame(SyslogFraming.NON_TRANSPARENT, "<13>1 first", true);
    assertFrame(SyslogFraming.NON_TRANSPARENT, "<13>1 second", true);
  }

  @Test
  void decode_nonTransparentFrameLongerThanOneBufferSearchedIncrementally() {
    String body = "<13>" + "x".repeat(MAX - 4);
    channel.writeInbound(ascii(body.substring(0, 20)));
    channel.writeInbound(ascii(body.substring(20, 50)));
    assertNoFrame();
    channel.writeInbound(ascii(body.substring(50) + "\r"));
    channel.writeInbound(ascii("\n"));
    assertFrame(SyslogFraming.NON_TRANSPARENT, body, true);
  }

  @Test
  void decode_framesOfExactlyMaxLengthAccepted() {
    String body = "<1>" + "y".repeat(MAX - 3);
    write(MAX + " " + body + body + "\r\n");
    assertFrame(SyslogFraming.OCTET_COUNTING, body, true);
    assertFrame(SyslogFraming.NON_TRANSPARENT, body, true);
  }

  @Test
  void decode_octetCountedTooLongCutThenResynchronisedOnSameConnection() {
    String big = "<13>" + "z".repeat(MAX + 6);
    write((MAX + 10) + " " + big.substring(0, 30));
    assertNoFrame();
    write(big.substring(30, MAX) + big.substring(MAX, MAX + 3));
    assertOversize(SyslogFraming.OCTET_COUNTING, big.substring(0, MAX), MAX + 10);
    // the rest of the oversized frame arrives later and is skipped, then decoding resumes
    write(big.substring(MAX + 3) + "4 <1>a");
    assertFrame(SyslogFraming.OCTET_COUNTING, "<1>a", true);
  }

  @Test
  void decode_octetCountedAnnouncingHugeLengthNeverBuffersMoreThanMax() {
    write("9999999 " + "q".repeat(MAX));
    assertOversize(SyslogFraming.OCTET_COUNTING, "q".repeat(MAX), 9_999_999);
    for (int i = 0; i < 100; i++) {
      write("q".repeat(1000));
      assertNoFrame();
    }
  }

  @Test
  void decode_nonTransparentWithoutTrailerCutThenResynchronisedAtNextTrailer() {
    write("<13>" + "z".repeat(MAX - 4));
    write("\r");
    write("z");
    assertOversize(SyslogFraming.NON_TRANSPARENT, "<13>" + "z".repeat(MAX - 4), -1);
    write("zzzz");
    assertNoFrame();
    write("zz\n<2>ok\n");
    assertFrame(SyslogFraming.NON_TRANSPARENT, "<2>ok", true);
  }

  @Test
  void decode_nonTransparentTrailerOneOctetTooLate() {
    write("<13>" + "z".repeat(MAX - 3) + "\n<2>next\n");
    assertOversize(SyslogFraming.NON_TRANSPARENT, "<13>" + "z".repeat(MAX - 4), MAX + 1);
    assertFrame(SyslogFraming.NON_TRANSPARENT, "<2>next", true);
  }

  @Test
  void decodeLast_oversizedOctetCountedFrameCutShortStillFlaggedOversize() {
    write("100 <1>abc");
    assertThat(channel.finish()).isTrue();
    SyslogFrame frame = channel.readInbound();
    try {
      assertThat(frame.oversize()).isTrue();
      assertThat(frame.complete()).isFalse();
      assertThat(frame.originalLength()).isEqualTo(100);
      assertThat(frame.content().toString(ISO_8859_1)).isEqualTo("<1>abc");
    } finally {
      frame.release();
    }
  }

  @Test
  void decode_badPrefixAfterGoodFrameKeepsGoodFrame() {
    assertThatThrownBy(() -> write("4 <1>a12a <2>")).isInstanceOf(CorruptedFrameException.class);
    assertFrame(SyslogFraming.OCTET_COUNTING, "<1>a", true);
    assertDiscardsUntilClose();
  }

  @Test
  void decodeLast_partialOctetCountedFrameFlaggedIncomplete() {
    write("20 <13>1 cut");
    assertNoFrame();
    assertThat(channel.finish()).isTrue();
    assertFrame(SyslogFraming.OCTET_COUNTING, "<13>1 cut", false);
  }

  @Test
  void decodeLast_partialOctetCountPrefixFlaggedIncomplete() {
    write("20");
    assertThat(channel.finish()).isTrue();
    assertFrame(SyslogFraming.OCTET_COUNTING, "", false);
  }

  @Test
  void decodeLast_unterminatedNonTransparentFrameFlaggedIncomplete() {
    write("<13>1 a\n<13>1 last\r");
    assertFrame(SyslogFraming.NON_TRANSPARENT, "<13>1 a", true);
    assertThat(channel.finish()).isTrue();
    assertFrame(SyslogFraming.NON_TRANSPARENT, "<13>1 last", false);
  }

  @Test
  void decodeLast_onlySeparatorsLeftEmitsNothing() {
    write("3 <1>\n\r\n\u0000");
    assertFrame(SyslogFraming.OCTET_COUNTING, "<1>", true);
    assertThat(channel.finish()).isFalse();
  }

  /** After a reject the stream is desynchronised: even valid frames are dropped until close. */
  private void assertDiscardsUntilClose() {
    write("3 <1>");
    write("<2>ok\n");
    assertNoFrame();
    assertThat(channel.finish()).isFalse();
  }

  private void assertNoFrame() {
    Object next = channel.readInbound();
    assertThat(next).isNull();
  }

  private void write(String s) {
    channel.writeInbound(ascii(s));
  }

  private static ByteBuf ascii(String s) {
    return Unpooled.copiedBuffer(s, ISO_8859_1);
  }

  private void assertOversize(SyslogFraming framing, String prefix, long originalLength) {
    SyslogFrame frame = channel.readInbound();
    assertThat(frame).as("expected an oversize frame").isNotNull();
    try {
      assertThat(frame.oversize()).isTrue();
      assertThat(frame.framing()).isEqualTo(framing);
      assertThat(frame.content().toString(ISO_8859_1)).isEqualTo(prefix);
      assertThat(frame.originalLength()).isEqualTo(originalLength);
    } finally {
      frame.release();
    }
  }

  private void assertFrame(SyslogFraming framing, String content, boolean complete) {
    SyslogFrame frame = channel.readInbound();
    assertThat(frame).as("expected a frame").isNotNull();
    try {
      assertThat(frame.framing()).isEqualTo(framing);
      assertThat(frame.content().toString(ISO_8859_1)).isEqualTo(content);
      assertThat(frame.complete()).isEqualTo(complete);
    } finally {
      frame.release();
    }
  }
}
