/**
 * The Netty pipeline of a syslog TCP listener, one stage per class, in pipeline order ({@link
 * org.atnabridge.ingest.netty.SyslogChannelInitializer}):
 *
 * <ol>
 *   <li>{@code idle}: {@link org.atnabridge.ingest.netty.IdleConnectionCloser} closes silent peers;
 *   <li>{@code framer}: {@link org.atnabridge.ingest.netty.SyslogFrameDecoder} splits the byte
 *       stream into frames (RFC 6587 §3.4.1 octet counting or §3.4.2 non-transparent framing);
 *   <li>{@code publisher}: {@link org.atnabridge.ingest.netty.RawMessagePublisher} copies each
 *       frame out of its buffer into a {@link org.atnabridge.ingest.RawMessage} for the sink and
 *       applies back-pressure;
 *   <li>{@code exception-logger}: {@link org.atnabridge.ingest.netty.ExceptionLogger} logs one
 *       line, counts the failure and closes that one connection.
 * </ol>
 *
 * <p>No buffer leaves the pipeline and nothing here parses the syslog message.
 */
@NullMarked
package org.atnabridge.ingest.netty;

import org.jspecify.annotations.NullMarked;
