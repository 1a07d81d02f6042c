package org.atnabridge.schemas;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;

/**
 * What ingest knew about a raw record when it arrived, read back from its {@link RawHeaders}.
 *
 * @param transport {@code tcp}, {@code udp}, {@code tls}, {@code http} or {@code unknown}
 * @param peer the sender's socket address, or null when unknown
 * @param receivedAt receive time; falls back to the Kafka record timestamp
 * @param listener the listener id, or null
 */
public record RawMetadata(
    String transport, @Nullable String peer, Instant receivedAt, @Nullable String listener) {

  public static RawMetadata fromHeaders(Headers headers, long recordTimestampMillis) {
    String transport = RawHeaders.get(headers, RawHeaders.TRANSPORT);
    String received = RawHeaders.get(headers, RawHeaders.RECEIVED_AT);
    Instant at = Instant.ofEpochMilli(Math.max(0, recordTimestampMillis));
    if (received != null) {
      try {
        at = Instant.parse(received);
      } catch (DateTimeParseException ignored) {
        // a bad header must not lose the record: keep the broker timestamp
      }
    }
    return new RawMetadata(
        transport == null ? "unknown" : transport,
        RawHeaders.get(headers, RawHeaders.PEER),
        at,
        RawHeaders.get(headers, RawHeaders.LISTENER));
  }
}
