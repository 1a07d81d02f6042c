package org.atnabridge.streams.convert;

import java.util.List;
import java.util.Objects;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.atnabridge.atna.AtnaConverter;
import org.atnabridge.atna.ConversionException;
import org.atnabridge.schemas.RawMetadata;
import org.atnabridge.streams.outcome.DeadLetters;
import org.atnabridge.streams.outcome.StreamsMeters;
import org.hl7.fhir.r5.model.AuditEvent;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Converts one raw record and forwards each AuditEvent twice ({@link EventForwarder}): its JSON,
 * encoded before enrichment changes the object, to the {@code audit.events} sink, marked with
 * {@link org.atnabridge.schemas.EventHeaders#CHAINED_BY}; then the object to the next step
 * (enrichment). Never throws for bad input: a {@link ConversionException}, an unexpected converter
 * failure, or an AuditEvent whose JSON is over the limit ({@value #EVENT_TOO_LARGE}) sends the
 * record, untouched, to {@link DeadLetters} with a reason, and nothing of that message is
 * forwarded, so one poison record never stops the topology and never half-arrives.
 *
 * <p>An event whose id was chained before from another input record is a later receipt of the same
 * audit message from the same sender ({@link org.atnabridge.streams.chain.FirstReceipts}): nothing
 * of it is forwarded, to {@code audit.events} or the chain, and it is counted per transport.
 */
public final class ConvertProcessor implements Processor<byte[], byte[], Object, Object> {

  private static final Logger LOG = LoggerFactory.getLogger(ConvertProcessor.class);

  private final AtnaConverter converter;
  private final StreamsMeters meters;
  private final DeadLetters deadLetters;
  private final EventForwarder forwarder;
  private @Nullable ProcessorContext<Object, Object> context;

  /**
   * Reason code: a message whose AuditEvent JSON is over the limit (whole message dead-lettered,
   * nothing forwarded).
   */
  public static final String EVENT_TOO_LARGE = EventForwarder.EVENT_TOO_LARGE;

  /**
   * @param forwarder encodes and forwards the events (built with the same {@code deadLetters})
   */
  public ConvertProcessor(
      AtnaConverter converter,
      StreamsMeters meters,
      DeadLetters deadLetters,
      EventForwarder forwarder) {
    this.converter = converter;
    this.meters = meters;
    this.deadLetters = deadLetters;
    this.forwarder = forwarder;
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    this.context = context;
    forwarder.init(context);
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    ProcessorContext<Object, Object> ctx = Objects.requireNonNull(context, "init not called");
    byte[] value = record.value() == null ? new byte[0] : record.value();
    List<AuditEvent> events;
    List<byte[]> encoded;
    RawMetadata metadata = RawMetadata.fromHeaders(record.headers(), record.timestamp());
    // only conversion is guarded here: a failure downstream (enrich, chain, a sink) is not this
    // record's fault and must not be dead-lettered as if it were
    try {
      events = converter.convert(value, metadata);
      encoded = forwarder.encode(ctx, record, events);
      if (encoded == null) {
        return; // dead-lettered: an event over the limit
      }
    } catch (ConversionException e) {
      deadLetters.send(ctx, record, e.failure().name(), e.getMessage());
      return;
    } catch (RuntimeException e) {
      // a converter bug must not stop the partition: park the record and say so
      LOG.warn("converter failed unexpectedly on {}: {}", DeadLetters.describe(ctx), e.toString());
      deadLetters.send(
          ctx, record, "CONVERTER_ERROR", e.getClass().getSimpleName() + ": " + e.getMessage());
      return;
    }
    for (int i = 0; i < events.size(); i++) {
      meters.converted();
    }
    forwarder.forward(ctx, record, events, encoded, metadata.transport());
  }
}
