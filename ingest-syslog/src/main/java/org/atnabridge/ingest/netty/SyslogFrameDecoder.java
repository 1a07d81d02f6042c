package org.atnabridge.ingest.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.util.ByteProcessor;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Splits a syslog TCP stream into {@link SyslogFrame}s (RFC 6587 §3.4), choosing the framing per
 * frame from its first octet: a digit means octet counting ({@code MSG-LEN SP SYSLOG-MSG},
 * §3.4.1), {@code <} (the start of the PRI, RFC 5424 §6.2.1) means non-transparent framing
 * ({@code SYSLOG-MSG TRAILER}, §3.4.2) with LF, CRLF or NUL as trailer. LF, CR and NUL octets
 * between frames are skipped.
 *
 * <p>Limits, so that no peer can make the listener buffer without bound: MSG-LEN has at most
 * {@value #MAX_LENGTH_DIGITS} digits and no leading zero (RFC 6587: {@code NONZERO-DIGIT *DIGIT}),
 * and no frame may exceed {@code maxFrameLength} octets (prefix and trailer not counted). An
 * octet-counted frame that announces more is rejected as soon as its prefix is read, before its
 * body is buffered.
 *
 * <p>Rejection: a malformed prefix raises {@link CorruptedFrameException}, an oversized frame
 * {@link TooLongFrameException}. A byte stream offers no reliable point to resynchronise after a
 * bad prefix, so the decoder then discards everything the connection sends until it closes; the
 * {@code exception-logger} stage counts the reject and closes the connection. Other connections
 * are not affected.
 *
 * <p>End of stream: octets left over when the peer closes are emitted as one frame with
 * {@link SyslogFrame#complete()} {@code false} (for octet counting: the octets after a complete
 * prefix, possibly none); the next stage decides what to do with it.
 */
public final class SyslogFrameDecoder extends ByteToMessageDecoder {

  /** Longest MSG-LEN accepted, in digits (9,999,999 octets). */
  public static final int MAX_LENGTH_DIGITS = 7;

  private static final byte LF = '\n';
  private static final byte CR = '\r';
  private static final byte NUL = 0;
  private static final byte SP = ' ';
  private static final ByteProcessor FIND_TRAILER = b -> b != LF && b != NUL;

  private final int maxFrameLength;
  /** After a reject: swallow input until the connection closes. */
  private boolean failed;
  /** Non-transparent frame in progress: octets after the reader index already searched for a trailer. */
  private int scanned;

  /** @param maxFrameLength largest frame in octets, without prefix and trailer; positive */
  public SyslogFrameDecoder(int maxFrameLength) {
    if (maxFrameLength <= 0) {
      throw new IllegalArgumentException("maxFrameLength <= 0: " + maxFrameLength);
    }
    this.maxFrameLength = maxFrameLength;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (failed) {
      in.skipBytes(in.readableBytes());
      return;
    }
    if (scanned == 0) {
      skipSeparators(in);
    }
    if (!in.isReadable()) {
      return;
    }
    byte first = in.getByte(in.readerIndex());
    @Nullable SyslogFrame frame;
    if (isDigit(first)) {
      frame = octetCounted(in);
    } else if (first == '<') {
      frame = nonTransparent(in);
    } else {
      throw reject(in, new CorruptedFrameException(String.format(
          "frame starts with 0x%02x, neither a digit (octet counting) nor '<' (non-transparent framing)", first)));
    }
    if (frame != null) {
      out.add(frame);
    }
  }

  @Override
  protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (failed) {
      in.skipBytes(in.readableBytes());
      return;
    }
    if (scanned == 0) {
      skipSeparators(in);
    }
    if (!in.isReadable()) {
      return;
    }
    // what is left is an incomplete frame: decode() already took every complete one
    if (isDigit(in.getByte(in.readerIndex()))) {
      int prefix = prefixLength(in);
      if (prefix < 0) {
        in.skipBytes(in.readableBytes());
        out.add(new SyslogFrame(Unpooled.EMPTY_BUFFER, SyslogFraming.OCTET_COUNTING, false));
        return;
      }
      in.skipBytes(prefix);
      out.add(new SyslogFrame(in.readRetainedSlice(in.readableBytes()), SyslogFraming.OCTET_COUNTING, false));
      return;
    }
    int length = in.readableBytes();
    if (in.getByte(in.writerIndex() - 1) == CR) {
      length--;
    }
    if (length > maxFrameLength) {
      throw reject(in, tooLong("frame of " + length + " octets"));
    }
    scanned = 0;
    SyslogFrame frame = new SyslogFrame(in.readRetainedSlice(length), SyslogFraming.NON_TRANSPARENT, false);
    in.skipBytes(in.readableBytes());
    out.add(frame);
  }

  /** {@code MSG-LEN SP MSG}: waits for the whole frame, never buffers more than maxFrameLength. */
  private @Nullable SyslogFrame octetCounted(ByteBuf in) {
    int prefix = prefixLength(in);
    if (prefix < 0) {
      return null;
    }
    int length = parseLength(in, prefix - 1);
    if (length > maxFrameLength) {
      throw reject(in, tooLong("frame of " + length + " octets"));
    }
    if (in.readableBytes() < prefix + length) {
      return null;
    }
    in.skipBytes(prefix);
    return new SyslogFrame(in.readRetainedSlice(length), SyslogFraming.OCTET_COUNTING, true);
  }

  /**
   * Length of {@code MSG-LEN SP} at the reader index, or -1 while it is incomplete; rejects
   * non-digits, a leading zero and more than {@value #MAX_LENGTH_DIGITS} digits.
   */
  private int prefixLength(ByteBuf in) {
    int start = in.readerIndex();
    if (in.getByte(start) == '0') {
      throw reject(in, new CorruptedFrameException("MSG-LEN starts with 0"));
    }
    for (int i = start; i < in.writerIndex(); i++) {
      byte b = in.getByte(i);
      int digits = i - start;
      if (b == SP) {
        return digits + 1;
      }
      if (!isDigit(b)) {
        throw reject(in, new CorruptedFrameException(String.format(
            "MSG-LEN contains 0x%02x after %d digits, expected a digit or SP", b, digits)));
      }
      if (digits == MAX_LENGTH_DIGITS) {
        throw reject(in, new CorruptedFrameException("MSG-LEN longer than " + MAX_LENGTH_DIGITS + " digits"));
      }
    }
    return -1;
  }

  private static int parseLength(ByteBuf in, int digits) {
    int length = 0;
    for (int i = 0; i < digits; i++) {
      length = length * 10 + (in.getByte(in.readerIndex() + i) - '0');
    }
    return length;
  }

  /** {@code MSG TRAILER}: searches only the octets not searched before, up to the cap. */
  private @Nullable SyslogFrame nonTransparent(ByteBuf in) {
    int start = in.readerIndex();
    // room for a frame of maxFrameLength octets, a CR and the trailer
    int limit = (int) Math.min(in.writerIndex(), (long) start + maxFrameLength + 2);
    int from = start + scanned;
    int trailer = from < limit ? in.forEachByte(from, limit - from, FIND_TRAILER) : -1;
    if (trailer < 0) {
      scanned = limit - start;
      if (scanned >= maxFrameLength + 2) {
        throw reject(in, tooLong("frame without trailer in the first " + scanned + " octets"));
      }
      return null;
    }
    scanned = 0;
    int end = trailer;
    if (in.getByte(trailer) == LF && trailer > start && in.getByte(trailer - 1) == CR) {
      end--;
    }
    int length = end - start;
    if (length > maxFrameLength) {
      throw reject(in, tooLong("frame of " + length + " octets"));
    }
    SyslogFrame frame = new SyslogFrame(in.readRetainedSlice(length), SyslogFraming.NON_TRANSPARENT, true);
    in.readerIndex(trailer + 1);
    return frame;
  }

  private TooLongFrameException tooLong(String what) {
    return new TooLongFrameException(what + " exceeds maxFrameLength " + maxFrameLength);
  }

  private DecoderException reject(ByteBuf in, DecoderException e) {
    failed = true;
    scanned = 0;
    in.skipBytes(in.readableBytes());
    return e;
  }

  private static void skipSeparators(ByteBuf in) {
    while (in.isReadable()) {
      byte b = in.getByte(in.readerIndex());
      if (b != LF && b != CR && b != NUL) {
        return;
      }
      in.skipBytes(1);
    }
  }

  private static boolean isDigit(byte b) {
    return b >= '0' && b <= '9';
  }
}
