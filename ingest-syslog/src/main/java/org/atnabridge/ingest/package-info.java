/**
 * Network intake of syslog-carried ATNA audit messages into {@code atna.raw}.
 *
 * <p>{@link org.atnabridge.ingest.SyslogListener} accepts syslog over plain TCP (RFC 6587, both
 * framings auto-detected per frame), copies each frame's bytes unparsed into a {@link
 * org.atnabridge.ingest.RawMessage} and hands it to a {@link org.atnabridge.ingest.RawMessageSink};
 * {@link org.atnabridge.ingest.KafkaRawMessageSink} is the production sink. Parsing (RFC 5424,
 * DICOM PS3.15 A.5) happens later, downstream of Kafka, so that the bytes as received are always
 * kept (IHE ITI-20: the ARR accepts any message).
 *
 * <p>Configuration is a plain record ({@link org.atnabridge.ingest.ListenerConfig}); constructors
 * do no I/O, {@code start()} binds, {@code check()} reports health and {@code close()} shuts down.
 * The Netty pipeline stages live in {@code org.atnabridge.ingest.netty}.
 */
@NullMarked
package org.atnabridge.ingest;

import org.jspecify.annotations.NullMarked;
