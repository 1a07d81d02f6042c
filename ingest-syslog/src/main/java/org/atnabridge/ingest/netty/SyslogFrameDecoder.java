package org.atnabridge.ingest.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ByteProcessor;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Splits a syslog TCP stream into {@link SyslogFrame}s (RFC 6587 §3.4), choosing the framing per
 * frame from its first octet: a digit means octet counting ({@code MSG-LEN SP SYSLOG-MSG}, §3.4.1;
 * the only framing of RFC 5425 §4.3), {@code <} (the start of the PRI, RFC 5424 §6.2.1) means
 * non-transparent framing ({@code SYSLOG-MSG TRAILER}, §3.4.2) with LF, CRLF or NUL as trailer. LF,
 * CR and NUL octets between frames are skipped.
 *
 * <p>Limits, so that no peer can make the listener buffer without bound: MSG-LEN has at most
 * {@value #MAX_LENGTH_DIGITS} digits and no leading zero (RFC 6587: {@code NONZERO-DIGIT *DIGIT}),
 * and no more than {@code maxFrameLength} octets of a frame (prefix and trailer not counted) are
 * ever buffered.
 *
 * <p>Oversized frames are cut, not fatal: the first {@code maxFrameLength} octets are emitted as an
 * {@linkplain SyslogFrame#oversize() oversize} frame (the next stage dead-letters it) and the rest
 * is skipped without buffering, up to the announced MSG-LEN for octet counting or up to the next
 * trailer for non-transparent framing. Decoding then resumes with the next frame on the same
 * connection: both framings allow resynchronising there.
 *
 * <p>Malformed framing (a frame starting with neither a digit nor {@code <}, or a bad MSG-LEN)
 * raises {@link CorruptedFrameException}: a byte stream offers no reliable point to resynchronise
 * then, so the decoder discards everything the connection sends until it closes; the {@code
 * exception-logger} stage counts the reject and closes the connection. Other connections are not
 * affected.
 *
 * <p>End of stream: octets left over when the peer closes are emitted as one frame with {@link
 * SyslogFrame#complete()} {@code false} (for octet counting: the octets after a complete prefix,
 * possibly none); the next stage decides what to do with it.
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

  /**
   * Non-transparent frame in progress: octets after the reader index already searched for a
   * trailer.
   */
  private int scanned;

  /** Octets of an oversized octet-counted frame still to skip. */
  private long discardOctets;

  /** Skipping the rest of an oversized non-transparent frame, up to and including its trailer. */
  private boolean discardToTrailer;

  /**
   * @param maxFrameLength largest frame in octets, without prefix and trailer; positive
   */
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
    if (!skipDiscarded(in)) {
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
      throw reject(
          in,
          new CorruptedFrameException(
              String.format(
                  "frame starts with 0x%02x, neither a digit (octet counting) nor '<' (non-transparent framing)",
                  first)));
    }
    if (frame != null) {
      out.add(frame);
    }
  }

  /** Skips what is left of an oversized frame; true once nothing is left to skip. */
  private boolean skipDiscarded(ByteBuf in) {
    if (discardOctets > 0) {
      int n = (int) Math.min(discardOctets, in.readableBytes());
      in.skipBytes(n);
      discardOctets -= n;
      if (discardOctets > 0) {
        return false;
      }
    }
    if (discardToTrailer) {
      int trailer = in.forEachByte(FIND_TRAILER);
      if (trailer < 0) {
        in.skipBytes(in.readableBytes());
        return false;
      }
      in.readerIndex(trailer + 1);
      discardToTrailer = false;
    }
    return true;
  }

  @Override
  protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (failed || discardOctets > 0 || discardToTrailer) {
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
      int announced = parseLength(in, prefix - 1);
      in.skipBytes(prefix);
      int kept = Math.min(in.readableBytes(), maxFrameLength);
      out.add(
          announced > maxFrameLength
              ? new SyslogFrame(
                  in.readRetainedSlice(kept), SyslogFraming.OCTET_COUNTING, false, true, announced)
              : new SyslogFrame(in.readRetainedSlice(kept), SyslogFraming.OCTET_COUNTING, false));
      in.skipBytes(in.readableBytes());
      return;
    }
    int length = in.readableBytes();
    if (in.getByte(in.writerIndex() - 1) == CR) {
      length--;
    }
    scanned = 0;
    if (length > maxFrameLength) {
      out.add(
          SyslogFrame.oversize(
              in.readRetainedSlice(maxFrameLength), SyslogFraming.NON_TRANSPARENT, length));
      in.skipBytes(in.readableBytes());
      return;
    }
    SyslogFrame frame =
        new SyslogFrame(in.readRetainedSlice(length), SyslogFraming.NON_TRANSPARENT, false);
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
      // keep the first maxFrameLength octets, skip the rest as it arrives
      if (in.readableBytes() < prefix + maxFrameLength) {
        return null;
      }
      in.skipBytes(prefix);
      discardOctets = length - maxFrameLength;
      return SyslogFrame.oversize(
          in.readRetainedSlice(maxFrameLength), SyslogFraming.OCTET_COUNTING, length);
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
        throw reject(
            in,
            new CorruptedFrameException(
                String.format(
                    "MSG-LEN contains 0x%02x after %d digits, expected a digit or SP", b, digits)));
      }
      if (digits == MAX_LENGTH_DIGITS) {
        throw reject(
            in,
            new CorruptedFrameException("MSG-LEN longer than " + MAX_LENGTH_DIGITS + " digits"));
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
        // no trailer within the limit: keep the prefix, skip up to the next trailer
        SyslogFrame frame =
            SyslogFrame.oversize(
                in.readRetainedSlice(maxFrameLength), SyslogFraming.NON_TRANSPARENT, -1);
        in.readerIndex(start + scanned);
        scanned = 0;
        discardToTrailer = true;
        return frame;
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
      SyslogFrame frame =
          SyslogFrame.oversize(
              in.readRetainedSlice(maxFrameLength), SyslogFraming.NON_TRANSPARENT, length);
      in.readerIndex(trailer + 1);
      return frame;
    }
    SyslogFrame frame =
        new SyslogFrame(in.readRetainedSlice(length), SyslogFraming.NON_TRANSPARENT, true);
    in.readerIndex(trailer + 1);
    return frame;
  }

  private DecoderException reject(ByteBuf in, DecoderException e) {
    failed = true;
    scanned = 0;
    discardOctets = 0;
    discardToTrailer = false;
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
