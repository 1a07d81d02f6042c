package org.atnabridge.ingest.netty;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.atnabridge.testing.TestVectors;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fuzzes the RFC 6587 frame decoder (octet counting and LF/CRLF/NUL trailers) with arbitrary TCP
 * byte streams. Seeds: the framed syslog test vectors and {@code
 * SyslogFrameDecoderFuzzTestInputs/decode}. Properties beyond "no crash": the only failure is the
 * documented {@link CorruptedFrameException}; no frame holds more than the limit; the frames do not
 * depend on how TCP segmented the stream; and after any non-transparent garbage, a trailer and a
 * well-formed frame still decode (RFC 6587 §3.4.2 resynchronises at the trailer).
 */
class SyslogFrameDecoderFuzzTest {

  private static final int MAX = 256;
  private static final String PROBE = "<13>1 - host app - - - resynchronised";

  static Stream<Arguments> vectors() throws IOException {
    try (Stream<Path> files = Files.list(TestVectors.root().resolve("syslog-framed"))) {
      return files.sorted().map(p -> Arguments.of((Object) read(p))).toList().stream();
    }
  }

  @MethodSource("vectors")
  @FuzzTest(maxDuration = "60s")
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void decode(byte[] stream) {
    Decoded whole = decode(stream, stream.length);
    Decoded segmented = decode(stream, 1 + stream.length % 7);
    Decoded bytewise = decode(stream, 1);

    assertThat(segmented).as("frames independent of TCP segmentation").isEqualTo(whole);
    assertThat(bytewise).as("frames independent of TCP segmentation").isEqualTo(whole);
    long octets = 0;
    for (Frame f : whole.frames()) {
      assertThat(f.content().length).as("frame within the limit").isLessThanOrEqualTo(MAX);
      if (f.oversize()) {
        assertThat(f.content().length).as("oversize prefix").isEqualTo(MAX);
      }
      octets += f.content().length;
    }
    assertThat(octets).as("never more octets out than in").isLessThanOrEqualTo(stream.length);
    if (whole.rejected()) {
      return;
    }
    boolean octetCounted =
        whole.frames().stream().anyMatch(f -> f.framing() == SyslogFraming.OCTET_COUNTING)
            || whole.last().stream().anyMatch(f -> f.framing() == SyslogFraming.OCTET_COUNTING);
    if (!octetCounted) {
      // no octet-counted frame can be pending: a trailer ends whatever is open
      byte[] resync = concat(stream, ("\n" + PROBE + "\n").getBytes(US_ASCII));
      Decoded after = decode(resync, resync.length);
      assertThat(after.rejected()).as("rejected after a trailer").isFalse();
      assertThat(after.frames()).isNotEmpty();
      Frame probe = after.frames().get(after.frames().size() - 1);
      assertThat(new String(probe.content(), US_ASCII)).isEqualTo(PROBE);
      assertThat(probe.complete()).isTrue();
    }
  }

  /** Feeds the stream in segments of {@code segment} octets, then closes the connection. */
  private static Decoded decode(byte[] stream, int segment) {
    EmbeddedChannel channel = new EmbeddedChannel(new SyslogFrameDecoder(MAX));
    List<Frame> frames = new ArrayList<>();
    boolean rejected = false;
    int atReject = -1;
    for (int i = 0; i < stream.length; i += segment) {
      try {
        channel.writeInbound(
            Unpooled.wrappedBuffer(stream, i, Math.min(segment, stream.length - i)));
      } catch (CorruptedFrameException e) {
        assertThat(rejected).as("one reject per connection").isFalse();
        rejected = true;
      }
      drain(channel, frames);
      if (rejected && atReject < 0) {
        atReject = frames.size();
      }
    }
    if (rejected) {
      assertThat(frames).as("nothing decoded after a reject").hasSize(atReject);
    }
    int beforeClose = frames.size();
    channel.finish();
    List<Frame> last = new ArrayList<>();
    drain(channel, last);
    if (rejected) {
      assertThat(last).as("nothing decoded after a reject").isEmpty();
    }
    assertThat(last.size()).as("at most one incomplete frame at close").isLessThanOrEqualTo(1);
    frames.addAll(last);
    return new Decoded(List.copyOf(frames.subList(0, beforeClose)), List.copyOf(last), rejected);
  }

  private static void drain(EmbeddedChannel channel, List<Frame> into) {
    for (SyslogFrame f = channel.readInbound(); f != null; f = channel.readInbound()) {
      try {
        byte[] content = new byte[f.content().readableBytes()];
        f.content().getBytes(f.content().readerIndex(), content);
        into.add(new Frame(content, f.framing(), f.complete(), f.oversize(), f.originalLength()));
      } finally {
        f.release();
      }
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static byte[] read(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** What the decoder emitted: frames while open, the frame at close, whether it rejected. */
  record Decoded(List<Frame> frames, List<Frame> last, boolean rejected) {}

  /** A frame copied out of its buffer, comparable by value. */
  record Frame(
      byte[] content,
      SyslogFraming framing,
      boolean complete,
      boolean oversize,
      long originalLength) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Frame f
          && Arrays.equals(content, f.content)
          && framing == f.framing
          && complete == f.complete
          && oversize == f.oversize
          && originalLength == f.originalLength;
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(content) * 31 + framing.hashCode();
    }

    @Override
    public String toString() {
      return framing
          + (complete ? "" : " incomplete")
          + (oversize ? " oversize" : "")
          + " "
          + new String(content, US_ASCII);
    }
  }
}
