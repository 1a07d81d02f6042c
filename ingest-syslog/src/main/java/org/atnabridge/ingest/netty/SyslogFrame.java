package org.atnabridge.ingest.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * One syslog frame cut out of the TCP stream: the message octets without the octet-count prefix or
 * the trailer. Reference-counted: whoever receives it releases it.
 *
 * <p>{@code complete} is false only for the bytes left over when the peer closed the connection in
 * the middle of a frame: an octet-counted frame with fewer than MSG-LEN octets, or a
 * non-transparent frame without its trailer.
 *
 * <p>{@code oversize} marks the kept prefix of a frame longer than the limit; {@code
 * originalLength} is then the MSG-LEN it announced (octet counting) or -1 (non-transparent: its end
 * was not looked for).
 */
public final class SyslogFrame extends DefaultByteBufHolder {

  private final SyslogFraming framing;
  private final boolean complete;
  private final boolean oversize;
  private final long originalLength;

  public SyslogFrame(ByteBuf content, SyslogFraming framing, boolean complete) {
    this(content, framing, complete, false, content.readableBytes());
  }

  public SyslogFrame(
      ByteBuf content,
      SyslogFraming framing,
      boolean complete,
      boolean oversize,
      long originalLength) {
    super(content);
    this.framing = framing;
    this.complete = complete;
    this.oversize = oversize;
    this.originalLength = originalLength;
  }

  /** The prefix of an oversized frame. */
  static SyslogFrame oversize(ByteBuf prefix, SyslogFraming framing, long originalLength) {
    return new SyslogFrame(prefix, framing, true, true, originalLength);
  }

  public SyslogFraming framing() {
    return framing;
  }

  public boolean complete() {
    return complete;
  }

  public boolean oversize() {
    return oversize;
  }

  public long originalLength() {
    return originalLength;
  }

  @Override
  public SyslogFrame replace(ByteBuf content) {
    return new SyslogFrame(content, framing, complete, oversize, originalLength);
  }

  @Override
  public SyslogFrame retain() {
    super.retain();
    return this;
  }

  @Override
  public SyslogFrame touch(Object hint) {
    super.touch(hint);
    return this;
  }

  /** Never prints the content: it carries PHI. */
  @Override
  public String toString() {
    return "SyslogFrame["
        + framing.headerValue()
        + ", "
        + content().readableBytes()
        + " octets"
        + (complete ? "" : ", incomplete")
        + (oversize ? ", oversize prefix of " + originalLength : "")
        + "]";
  }
}
