package org.atnabridge.streams.outcome;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.atnabridge.schemas.DeadLetterHeaders;
import org.atnabridge.schemas.RawHeaders;
import org.jspecify.annotations.Nullable;

/**
 * Sends a record the topology cannot process to {@code audit.dlq}: its key, value and headers as
 * they came, plus the {@link DeadLetterHeaders} (typed reason, detail cut to 1 KiB, stage, time,
 * source topic/partition/offset), and counts it.
 */
public final class DeadLetters {

  private static final int MAX_DETAIL_BYTES = 1024;

  private final String stage;
  private final String sink;
  private final Clock clock;
  private final StreamsMeters meters;

  /**
   * @param stage the {@link DeadLetterHeaders#STAGE} of what it sends
   * @param sink the name of the {@code audit.dlq} sink node the records are forwarded to
   */
  public DeadLetters(String stage, String sink, Clock clock, StreamsMeters meters) {
    this.stage = stage;
    this.sink = sink;
    this.clock = clock;
    this.meters = meters;
  }

  public void send(
      ProcessorContext<Object, Object> ctx,
      Record<byte[], byte[]> record,
      String reason,
      @Nullable String detail) {
    RecordMetadata source = ctx.recordMetadata().orElse(null);
    Headers headers = record.headers();
    RawHeaders.put(headers, DeadLetterHeaders.REASON, reason);
    RawHeaders.put(headers, DeadLetterHeaders.DETAIL, detail == null ? reason : truncate(detail));
    RawHeaders.put(headers, DeadLetterHeaders.STAGE, stage);
    RawHeaders.put(headers, DeadLetterHeaders.FAILED_AT, clock.instant().toString());
    if (source != null) {
      RawHeaders.put(headers, DeadLetterHeaders.SOURCE_TOPIC, source.topic());
      RawHeaders.put(
          headers, DeadLetterHeaders.SOURCE_PARTITION, String.valueOf(source.partition()));
      RawHeaders.put(headers, DeadLetterHeaders.SOURCE_OFFSET, String.valueOf(source.offset()));
    }
    meters.deadLetter(stage, reason);
    ctx.forward(
        new Record<Object, Object>(record.key(), record.value(), record.timestamp(), headers),
        sink);
  }

  /** {@code topic-partition@offset} of the record being processed, for logs. */
  public static String describe(ProcessorContext<?, ?> ctx) {
    return ctx.recordMetadata()
        .map(m -> m.topic() + "-" + m.partition() + "@" + m.offset())
        .orElse("record");
  }

  private static String truncate(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return b.length <= MAX_DETAIL_BYTES
        ? s
        : new String(b, 0, MAX_DETAIL_BYTES, StandardCharsets.UTF_8);
  }
}
