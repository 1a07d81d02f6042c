package org.atnabridge.ingest.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * One syslog frame cut out of the TCP stream: the message octets without the octet-count prefix
 * or the trailer. Reference-counted: whoever receives it releases it.
 *
 * <p>{@code complete} is false only for the bytes left over when the peer closed the connection in
 * the middle of a frame: an octet-counted frame with fewer than MSG-LEN octets, or a
 * non-transparent frame without its trailer.
 */
public final class SyslogFrame extends DefaultByteBufHolder {

  private final SyslogFraming framing;
  private final boolean complete;

  public SyslogFrame(ByteBuf content, SyslogFraming framing, boolean complete) {
    super(content);
    this.framing = framing;
    this.complete = complete;
  }

  public SyslogFraming framing() {
    return framing;
  }

  public boolean complete() {
    return complete;
  }

  @Override
  public SyslogFrame replace(ByteBuf content) {
    return new SyslogFrame(content, framing, complete);
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
    return "SyslogFrame[" + framing.headerValue() + ", " + content().readableBytes() + " octets"
        + (complete ? "" : ", incomplete") + "]";
  }
}
