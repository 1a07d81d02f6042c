package org.atnabridge.streams.convert;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.atnabridge.atna.AtnaConverter;
import org.atnabridge.atna.ConversionException;
import org.atnabridge.schemas.DeadLetterHeaders;
import org.atnabridge.schemas.EventHeaders;
import org.atnabridge.schemas.RawHeaders;
import org.atnabridge.schemas.RawMetadata;
import org.atnabridge.schemas.RawRecordReference;
import org.atnabridge.streams.AuditTopology;
import org.atnabridge.streams.StreamsMeters;
import org.hl7.fhir.r5.model.AuditEvent;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Converts one raw record and forwards each AuditEvent twice: to {@code audit.events}, marked with
 * {@link EventHeaders#CHAINED_BY}, and then, as the object, to enrichment (which changes it, so
 * the {@code audit.events} sink, which encodes synchronously, comes first). Never throws for bad input: a {@link ConversionException} or an
 * unexpected converter failure sends the record, untouched, to the dead-letter sink with a reason,
 * so one poison record never stops the topology.
 */
public final class ConvertProcessor implements Processor<byte[], byte[], Object, Object> {

  private static final Logger LOG = LoggerFactory.getLogger(ConvertProcessor.class);

  private final AtnaConverter converter;
  private final Clock clock;
  private final byte[] chainedBy;
  private final StreamsMeters meters;
  private @Nullable ProcessorContext<Object, Object> context;

  /** @param applicationId the value of {@link EventHeaders#CHAINED_BY} on the events it writes */
  public ConvertProcessor(AtnaConverter converter, Clock clock, String applicationId, StreamsMeters meters) {
    this.converter = converter;
    this.clock = clock;
    this.meters = meters;
    this.chainedBy = applicationId.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    this.context = context;
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    ProcessorContext<Object, Object> ctx = Objects.requireNonNull(context, "init not called");
    RecordMetadata source = ctx.recordMetadata().orElse(null);
    byte[] value = record.value() == null ? new byte[0] : record.value();
    try {
      RawMetadata metadata = RawMetadata.fromHeaders(record.headers(), record.timestamp());
      List<AuditEvent> events = converter.convert(value, metadata);
      for (AuditEvent event : events) {
        if (source != null) {
          RawRecordReference.of(source.topic(), source.partition(), source.offset()).applyTo(event);
        }
        String id = event.getIdPart();
        meters.converted();
        Headers marked = new RecordHeaders().add(EventHeaders.CHAINED_BY, chainedBy);
        ctx.forward(new Record<Object, Object>(id, event, record.timestamp(), marked), AuditTopology.EVENTS_SINK);
        ctx.forward(new Record<Object, Object>(id, event, record.timestamp()), AuditTopology.ENRICH);
      }
    } catch (ConversionException e) {
      deadLetter(ctx, record, source, e.failure().name(), e.getMessage());
    } catch (RuntimeException e) {
      // a converter bug must not stop the partition: park the record and say so
      LOG.warn("converter failed unexpectedly on {}: {}", describe(source), e.toString());
      deadLetter(ctx, record, source, "CONVERTER_ERROR", e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  private void deadLetter(ProcessorContext<Object, Object> ctx, Record<byte[], byte[]> record,
      @Nullable RecordMetadata source, String reason, @Nullable String detail) {
    Headers headers = record.headers();
    RawHeaders.put(headers, DeadLetterHeaders.REASON, reason);
    RawHeaders.put(headers, DeadLetterHeaders.DETAIL, detail == null ? reason : truncate(detail));
    RawHeaders.put(headers, DeadLetterHeaders.STAGE, AuditTopology.CONVERT_STAGE);
    RawHeaders.put(headers, DeadLetterHeaders.FAILED_AT, clock.instant().toString());
    if (source != null) {
      RawHeaders.put(headers, DeadLetterHeaders.SOURCE_TOPIC, source.topic());
      RawHeaders.put(headers, DeadLetterHeaders.SOURCE_PARTITION, String.valueOf(source.partition()));
      RawHeaders.put(headers, DeadLetterHeaders.SOURCE_OFFSET, String.valueOf(source.offset()));
    }
    LOG.debug("dead-lettered {}: {}", describe(source), reason);
    meters.deadLetter(AuditTopology.CONVERT_STAGE, reason);
    ctx.forward(new Record<Object, Object>(record.key(), record.value(), record.timestamp(), headers),
        AuditTopology.DLQ_SINK);
  }

  private static String describe(@Nullable RecordMetadata m) {
    return m == null ? "record" : m.topic() + "-" + m.partition() + "@" + m.offset();
  }

  private static String truncate(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return b.length <= 1024 ? s : new String(b, 0, 1024, StandardCharsets.UTF_8);
  }
}
