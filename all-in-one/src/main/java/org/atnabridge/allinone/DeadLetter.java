package org.atnabridge.allinone;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.atnabridge.schemas.DeadLetterHeaders;
import org.jspecify.annotations.Nullable;

/**
 * One record of {@code audit.dlq}: the original key, value and headers, and the {@link
 * DeadLetterHeaders} that say why and where from.
 *
 * @param partition its partition of {@code audit.dlq}
 * @param offset its offset there
 * @param time its record time (the rejected record's own time)
 * @param key the original key, or null
 * @param value the original value (for {@code FRAME_TOO_LARGE}: the frame's prefix)
 * @param headers every header, the original ones and the {@code dlq.*} ones
 */
record DeadLetter(
    int partition,
    long offset,
    Instant time,
    byte @Nullable [] key,
    byte[] value,
    List<Header> headers) {

  static final String PREFIX = "dlq.";

  static DeadLetter of(ConsumerRecord<byte[], byte[]> r) {
    List<Header> headers = new ArrayList<>();
    r.headers().forEach(headers::add);
    return new DeadLetter(
        r.partition(),
        r.offset(),
        Instant.ofEpochMilli(r.timestamp()),
        r.key(),
        r.value() == null ? new byte[0] : r.value(),
        List.copyOf(headers));
  }

  /** The last value of header {@code name} as UTF-8, or null. */
  @Nullable String header(String name) {
    String found = null;
    for (Header h : headers) {
      if (h.key().equals(name) && h.value() != null) {
        found = new String(h.value(), StandardCharsets.UTF_8);
      }
    }
    return found;
  }

  String reason() {
    String r = header(DeadLetterHeaders.REASON);
    return r == null ? "UNKNOWN" : r;
  }

  /** {@code topic/partition/offset} of the rejected record, {@code topic} alone, or {@code -}. */
  String source() {
    String topic = header(DeadLetterHeaders.SOURCE_TOPIC);
    if (topic == null) {
      String stage = header(DeadLetterHeaders.STAGE);
      return stage == null ? "-" : "(" + stage + ")";
    }
    String p = header(DeadLetterHeaders.SOURCE_PARTITION);
    String o = header(DeadLetterHeaders.SOURCE_OFFSET);
    return p == null || o == null ? topic : topic + "/" + p + "/" + o;
  }

  /** The original record's headers: all but the {@code dlq.*} ones. */
  List<Header> originalHeaders() {
    return headers.stream()
        .filter(h -> !h.key().startsWith(PREFIX))
        .map(h -> (Header) new RecordHeader(h.key(), h.value()))
        .toList();
  }
}
