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
import org.atnabridge.schemas.EventHeaders;
import org.atnabridge.schemas.RawMetadata;
import org.atnabridge.schemas.RawRecordReference;
import org.atnabridge.streams.AuditTopology;
import org.atnabridge.streams.DeadLetters;
import org.atnabridge.streams.StreamsMeters;
import org.hl7.fhir.r5.model.AuditEvent;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Converts one raw record and forwards each AuditEvent twice: to {@code audit.events}, marked with
 * {@link EventHeaders#CHAINED_BY}, and then, as the object, to enrichment (which changes it, so
 * the {@code audit.events} sink, which encodes synchronously, comes first). Never throws for bad
 * input: a {@link ConversionException} or an unexpected converter failure sends the record,
 * untouched, to {@link DeadLetters} with a reason, so one poison record never stops the topology.
 */
public final class ConvertProcessor implements Processor<byte[], byte[], Object, Object> {

  private static final Logger LOG = LoggerFactory.getLogger(ConvertProcessor.class);

  private final AtnaConverter converter;
  private final byte[] chainedBy;
  private final StreamsMeters meters;
  private final DeadLetters deadLetters;
  private @Nullable ProcessorContext<Object, Object> context;

  /** @param applicationId the value of {@link EventHeaders#CHAINED_BY} on the events it writes */
  public ConvertProcessor(AtnaConverter converter, Clock clock, String applicationId, StreamsMeters meters) {
    this.converter = converter;
    this.meters = meters;
    this.deadLetters = new DeadLetters(AuditTopology.CONVERT_STAGE, clock, meters);
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
      deadLetters.send(ctx, record, e.failure().name(), e.getMessage());
    } catch (RuntimeException e) {
      // a converter bug must not stop the partition: park the record and say so
      LOG.warn("converter failed unexpectedly on {}: {}", DeadLetters.describe(ctx), e.toString());
      deadLetters.send(ctx, record, "CONVERTER_ERROR", e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }
}
